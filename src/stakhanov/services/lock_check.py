"""The check before a period is locked, and the lock that runs it first.

The check lists what would be paid without anyone having vouched for it: open pooled,
implausible and uncredited-output findings, work no scale can pay, open disputes. A lock over
any of them needs an override with a reason, which the slip lines it touches then carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.disputes import Subject
from stakhanov.domain.errors import Problem, Refusal, Refused, Source
from stakhanov.domain.lock_checks import (
    BLOCKING_FINDINGS,
    Blocker,
    dispute_blockers,
    finding_blockers,
    unpayable,
    unpayable_blocker,
    why_unpayable,
)
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.wording import say, say_n
from stakhanov.services import disputes, payroll, reviews, work_orders
from stakhanov.store import disputes as dispute_store
from stakhanov.store import lock_checks as crew_store
from stakhanov.store import read_findings as stored_findings
from stakhanov.store.payroll import PayStore


@dataclass(frozen=True)
class LockCheck:
    period: Period
    blockers: list[Blocker]
    closed: bool  # the period is locked already: nothing to check

    @property
    def blocking(self) -> list[Blocker]:
        return [b for b in self.blockers if b.blocks]

    @property
    def clear(self) -> bool:
        return not self.blocking


class LockBlocked(Refused):
    """The period has blocking findings and no override was given; nothing was written."""

    kind = Refusal.CONFLICT

    def __init__(self, found: LockCheck) -> None:
        lines = [f"{b.kind.value} {b.subject}: {b.message}" for b in found.blocking]
        # Also as problems, so that a background close (a job) lists each one.
        where = f"check {found.period}"
        problems = [
            Problem(
                Source(where, n),
                b.kind.value,
                say("%(subject)s: %(message)s", subject=b.subject, message=b.message),
            )
            for n, b in enumerate(found.blocking, start=1)
        ]
        super().__init__(
            say_n(
                "%(period)s has %(count)d open item that blocks its lock; resolve it or lock "
                "with an override and its reason (--override)",
                "%(period)s has %(count)d open items that block its lock; resolve them or lock "
                "with an override and its reason (--override)",
                len(lines),
                period=str(found.period),
            ),
            *lines,
            problems=problems,
            field="override",
        )
        self.check = found  # the edges say each item in their reader's words


def check(engine: Engine, period: Period) -> LockCheck:
    """What blocks locking the period now; nothing when it is locked already.

    Set-based (decision 0880): the stored findings of the period that no review closes, the
    work no scale pays decided once per (operation, date, grade) and read row by row only
    where it is unpayable, and the period's open disputes, each read in SQL. The same
    blockers, in the same order, as the domain's reference (`reference_check`).
    """
    with engine.connect() as connection:
        if any(c.period == period for c in PayStore(connection).periods()):
            return LockCheck(period, [], True)
        book = payroll.scale_book(PayStore(connection))
        kinds = [k.value for k in BLOCKING_FINDINGS]
        found = stored_findings.in_audit_order(
            connection, stored_findings.where(period.start, period.end, None, kinds, None), "open"
        )
        unpaid = unpayable_in(connection, period, book)
        open_disputes = dispute_store.open_in(connection, period)
    shift_ids = {d.reference for d in open_disputes if d.subject is Subject.SHIFT}
    blockers = [
        *finding_blockers(found),
        *unpaid,
        *dispute_blockers(open_disputes, period, shift_ids),
    ]
    return LockCheck(period, blockers, False)


def unpayable_in(connection: Connection, period: Period, book: ScaleBook) -> list[Blocker]:
    """The domain's `unpayable` over the period's piece ledger, without loading it: each kind
    of work (operation, date, grade) is decided once, then only the unpayable kinds' crew rows
    are read; work that a work order pays is left out as `piece_ledger` leaves it out."""
    reasons = {
        kind: why
        for kind in crew_store.crew_kinds(connection, period)
        if (why := why_unpayable(*kind, book)) is not None
    }
    rows = crew_store.crew_rows_of(connection, period, reasons)
    covered = work_orders.covered_in(connection, period) if rows else set()
    found: dict[tuple[str, str, str], Blocker] = {}
    # By crew key alone, as the domain orders the crew (a grade may be None: never compared).
    for shift_id, worker_id, operation, date, grade in sorted(rows, key=lambda r: r[:3]):
        if (shift_id, operation) in covered:
            continue
        why = reasons[(operation, date, grade)]
        found.setdefault(
            (shift_id, worker_id, operation),
            unpayable_blocker(worker_id, shift_id, operation, why),
        )
    return list(found.values())


def reference_check(engine: Engine, period: Period) -> LockCheck:
    """The check as the domain computes it over the whole period's ledger: the readable
    reference the property tests hold `check` to (decision 0880)."""
    with engine.connect() as connection:
        if any(c.period == period for c in PayStore(connection).periods()):
            return LockCheck(period, [], True)
        ledger = payroll.snapshot(connection, period)
        book = payroll.scale_book(PayStore(connection))
    found = [r.finding for r in reviews.reviewed_findings(engine, period) if r.review is None]
    shift_ids = {s.shift_id for s in ledger.shifts_between(period.start, period.end)}
    blockers = [
        *finding_blockers(found),
        *unpayable(ledger, period, book),
        *dispute_blockers(disputes.load(engine), period, shift_ids),
    ]
    return LockCheck(period, blockers, False)


def lock(
    engine: Engine, period: Period, author: str | None = None, override: str | None = None
) -> payroll.CloseReport:
    """Check, then close: refused while something blocks and no override reason is given."""
    found = check(engine, period)
    if found.closed:
        return payroll.close(engine, period, author)
    reason = (override or "").strip()
    blocking = found.blocking
    if blocking and not reason and all(b.overridable for b in blocking):
        raise LockBlocked(found)
    # A blocker no override can pay stops the close itself, with its located problems.
    chosen = payroll.Override(reason, tuple(blocking)) if blocking else None
    return payroll.close(engine, period, author, override=chosen)


def check_dict(found: LockCheck) -> dict[str, Any]:
    """The check as the CLI's --json and the API give it."""
    return {
        "from": found.period.start,
        "to": found.period.end,
        "closed": found.closed,
        "clear": found.clear,
        "blockers": [
            {
                "kind": b.kind.value,
                "overridable": b.overridable,
                "blocks": b.blocks,
                "subject": b.subject,
                "operation": b.operation,
                "line": b.line_key,
                "worker_ids": list(b.worker_ids),
                "message": b.message,
            }
            for b in found.blockers
        ],
    }
