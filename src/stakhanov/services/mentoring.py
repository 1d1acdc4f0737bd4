"""Linking masters to apprentices, ending links, and reporting which mentoring worked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.mentoring import (
    EXPECTED_APPRENTICES,
    EXPECTED_GAIN,
    MasterReport,
    Mentorship,
    Outcome,
    Progress,
    by_master,
)
from stakhanov.domain.performance import Tally, merged_by, ordinary_work, tally_by
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import percent_or_none, rounded
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.services import ordinary
from stakhanov.services.reviews import doubtful_results
from stakhanov.store import mentoring as mentoring_store
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import WORKERS

BEFORE_DAYS = 30


class MentoringRefused(Refused):
    """The link or its end cannot be recorded."""


def load_links(connection: Connection) -> list[Mentorship]:
    return mentoring_store.links(connection)


def link(
    engine: Engine,
    master_id: str,
    apprentice_id: str,
    start: dt.date,
    by: str,
    note: str | None = None,
) -> Mentorship:
    """Link a master to an apprentice from a date; one open link per pair."""
    if master_id == apprentice_id:
        raise MentoringRefused(
            say("a master cannot be their own apprentice"), field="apprentice_id"
        )
    with engine.begin() as connection:
        known = {w.worker_id for w in LedgerStore(connection).records(WORKERS, Worker)}
        unknown = [w for w in (master_id, apprentice_id) if w not in known]
        if unknown:
            raise MentoringRefused(
                say("unknown worker %(id)r%(hint)s", id=unknown[0], hint=""), field="apprentice_id"
            )
        for existing in load_links(connection):
            if (existing.master_id, existing.apprentice_id) == (master_id, apprentice_id) and (
                existing.end is None or existing.end >= start
            ):
                raise MentoringRefused(
                    say(
                        "%(master)s already mentors %(apprentice)s (link %(link)s)",
                        master=master_id,
                        apprentice=apprentice_id,
                        link=existing.link_id,
                    ),
                    field="apprentice_id",
                )
        return mentoring_store.write_link(connection, master_id, apprentice_id, start, by, note)


def end(engine: Engine, link_id: int, on: dt.date, by: str, reason: str | None) -> Mentorship:
    with engine.begin() as connection:
        found = [m for m in load_links(connection) if m.link_id == link_id]
        if not found:
            raise MentoringRefused(
                say("unknown link %(link)s", link=link_id), kind=Refusal.NOT_FOUND
            )
        if found[0].end is not None:
            raise MentoringRefused(
                say(
                    "link %(link)s already ended on %(date)s", link=link_id, date=str(found[0].end)
                ),
                field="on",
            )
        if on < found[0].start:
            raise MentoringRefused(
                say("link %(link)s began on %(date)s", link=link_id, date=str(found[0].start)),
                field="on",
            )
        mentoring_store.write_end(connection, link_id, on, by, reason)
        m = found[0]
        return Mentorship(m.link_id, m.master_id, m.apprentice_id, m.start, on)


def _tally(connection: Connection, worker_id: str, period: Period | None) -> Tally:
    """The apprentice's ordinary work in the window (no incident gates it), from his stored
    results alone (services.ordinary.tallies)."""
    if period is None:
        return Tally()
    found = ordinary.tallies(connection, period, None, (), (), worker_id, per_worker=True)
    return merged_by(found, lambda w: w).get(worker_id, Tally())


def reference_tally(connection: Connection, worker_id: str, period: Period | None) -> Tally:
    """`_tally` by the domain's code over a snapshot of the period's whole ledger (what it
    did before it read stored results; the tests compare both)."""
    if period is None:
        return Tally()
    store = LedgerStore(connection)
    ledger = store.snapshot(store.shift_ids_between(period.start, period.end))
    works = [
        w
        for w in ordinary_work(ledger, period, (), doubtful_results(connection, ledger, period))
        if w.worker_id == worker_id
    ]
    return tally_by(works, lambda w: w.worker_id).get(worker_id, Tally())


def report(
    engine: Engine, as_of: dt.date, before_days: int = BEFORE_DAYS, reference: bool = False
) -> tuple[list[Progress], list[MasterReport]]:
    """Every link's apprentice before and after, and each master's verdict (`reference`: the
    apprentices' work by the domain's code over the ledger, what the tests compare with)."""
    tally = reference_tally if reference else _tally
    with engine.connect() as connection:
        found = []
        for mentorship in load_links(connection):
            if mentorship.start > as_of:
                continue
            before, after = mentorship.windows(before_days, as_of)
            found.append(
                Progress(
                    mentorship,
                    tally(connection, mentorship.apprentice_id, before),
                    tally(connection, mentorship.apprentice_id, after),
                )
            )
    return found, by_master(found)


def progress_dict(item: Progress) -> dict[str, Any]:
    m = item.mentorship
    ratio = item.ratio
    return {
        "link_id": m.link_id,
        "master_id": m.master_id,
        "apprentice_id": m.apprentice_id,
        "from": m.start,
        "to": m.end,
        "before_shifts": item.before.shifts,
        "before_fair_percent": percent_or_none(item.before.fair_percent),
        "after_shifts": item.after.shifts,
        "after_fair_percent": percent_or_none(item.after.fair_percent),
        "ratio": None if ratio is None else rounded(ratio, Decimal("0.01")),
        "expected_ratio": EXPECTED_GAIN,
        "outcome": item.outcome.value,
    }


def master_dict(item: MasterReport) -> dict[str, Any]:
    return {
        "master_id": item.master_id,
        "apprentices": len(item.progress),
        "expected_apprentices": EXPECTED_APPRENTICES,
        "doubled": item.count(Outcome.DOUBLED),
        "improved": item.count(Outcome.IMPROVED),
        "unchanged": item.count(Outcome.UNCHANGED),
        "worse": item.count(Outcome.WORSE),
        "too_early": item.count(Outcome.TOO_EARLY),
        "verdict": item.verdict.value,
    }
