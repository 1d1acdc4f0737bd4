"""Sign-off of the day's counts: a worker confirms or disputes his credits on each shift of a
day; the foreman and the auditor see what was confirmed, disputed or left unconfirmed.

A dispute goes through the disputes service's store in the same transaction, so it appears
wherever disputes appear and is answered there (decision 0845).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.access import Permission
from stakhanov.domain.disputes import Subject, check_text
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period
from stakhanov.domain.signoffs import Credit, SignOff, State, Verdict, seen_text, state_of
from stakhanov.domain.wording import say
from stakhanov.services import dashboard
from stakhanov.services.accounts import Account
from stakhanov.services.dashboard import ShiftView
from stakhanov.store import disputes as dispute_store
from stakhanov.store import signoffs as store


@dataclass(frozen=True)
class DayShift:
    """One shift of the worker's day: his lines on it, and where his sign-off stands."""

    view: ShiftView
    lines: list[dict[str, Any]]
    seen: str
    state: State
    latest: SignOff | None


def credits_of(view: ShiftView, worker_id: str) -> list[Credit]:
    units = {o["operation"]: o["unit"] for o in view.outputs}
    return [
        Credit(c["operation"], c["hours"], c["credited"], units.get(c["operation"]))
        for c in view.crew
        if c["worker_id"] == worker_id
    ]


def day(engine: Engine, worker_id: str, on: dt.date) -> list[DayShift]:
    """The worker's shifts on a day, oldest first, each with its sign-off state."""
    views = list(reversed(dashboard.shifts(engine, Period(on, on), None, worker_id=worker_id)))
    with engine.connect() as connection:
        latest = store.latest(connection, [v.shift.shift_id for v in views])
    found = []
    for view in views:
        seen = seen_text(credits_of(view, worker_id))
        signed = latest.get((view.shift.shift_id, worker_id))
        lines = [c for c in view.crew if c["worker_id"] == worker_id]
        found.append(DayShift(view, lines, seen, state_of(signed, seen), signed))
    return found


def sign(
    engine: Engine,
    worker_id: str,
    on: dt.date,
    shift_id: str,
    verdict: Verdict,
    reason: str | None,
    by: str,
) -> SignOff:
    """Record a confirmation or a dispute of the worker's counts on one shift of the day."""
    return sign_day(engine, worker_id, on, {shift_id: (verdict, reason)}, by)[0]


def sign_day(
    engine: Engine,
    worker_id: str,
    on: dt.date,
    choices: Mapping[str, tuple[Verdict, str | None]],
    by: str,
) -> list[SignOff]:
    """Sign several shifts of a day at once: all are checked before any is written.

    Confirming what is already confirmed writes nothing and returns the standing sign-off.
    A dispute needs a reason and opens a dispute on the shift, in the same transaction.
    """
    worked = {d.view.shift.shift_id: d for d in day(engine, worker_id, on)}
    checked = []
    for shift_id, (verdict, reason) in choices.items():
        if shift_id not in worked:
            raise InvalidValue(
                "shift_id", shift_id, say("is not a shift you worked on %(on)s", on=on)
            )
        text = None
        if verdict is Verdict.DISPUTED:
            text = check_text(f"reason.{shift_id}", reason or "")
        checked.append((worked[shift_id], verdict, text))
    signed = []
    with engine.begin() as connection:
        for found, verdict, text in checked:
            if verdict is Verdict.CONFIRMED and found.state is State.CONFIRMED:
                assert found.latest is not None
                signed.append(found.latest)
                continue
            shift_id = found.view.shift.shift_id
            dispute_id = None
            if text is not None:
                opened = dispute_store.write_dispute(
                    connection, worker_id, Subject.SHIFT, shift_id, text, by
                )
                dispute_id = opened.dispute_id
            signed.append(
                store.write(
                    connection, worker_id, shift_id, on, verdict, found.seen, text, dispute_id, by
                )
            )
    return signed


def states(engine: Engine, views: Iterable[ShiftView]) -> dict[tuple[str, str], State]:
    """(shift, worker) → confirmed, disputed or unconfirmed, for every crew member shown."""
    shown = list(views)
    with engine.connect() as connection:
        latest = store.latest(connection, [v.shift.shift_id for v in shown])
    found = {}
    for view in shown:
        for worker_id in dict.fromkeys(c["worker_id"] for c in view.crew):
            seen = seen_text(credits_of(view, worker_id))
            key = (view.shift.shift_id, worker_id)
            found[key] = state_of(latest.get(key), seen)
    return found


def seen_by(engine: Engine, account: Account, period: Period) -> dict[tuple[str, str], State]:
    """The sign-off states an account may see: those of shifts at workplaces it may view
    (the foreman, the auditor), and a worker his own only."""
    subtrees = account.scopes(Permission.VIEW_SHIFTS)
    if subtrees != []:
        return states(engine, dashboard.shifts(engine, period, subtrees))
    if account.worker_id and account.allows(Permission.VIEW_OWN):
        views = dashboard.shifts(engine, period, None, worker_id=account.worker_id)
        own = states(engine, views)
        return {k: v for k, v in own.items() if k[1] == account.worker_id}
    return {}
