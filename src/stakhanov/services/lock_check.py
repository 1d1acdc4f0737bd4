"""The check before a period is locked, and the lock that runs it first.

The check lists what would be paid without anyone having vouched for it: open pooled,
implausible and uncredited-output findings, work no scale can pay, open disputes. A lock over
any of them needs an override with a reason, which the slip lines it touches then carry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.disputes import Subject
from stakhanov.domain.errors import Problem, Refusal, Refused, Source
from stakhanov.domain.lock_checks import (
    BLOCKING_FINDINGS,
    Blocker,
    Unpayable,
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
from stakhanov.store.lock_checks import Kind
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


@dataclass(frozen=True)
class CheckPage:
    """One page of a period's check (of what a search finds in it), with the counts."""

    period: Period
    blockers: list[Blocker]  # the page's
    total: int  # items in the whole check
    found: int  # items the search finds: every one without a search
    blocking: int  # items of the whole check that block the lock
    closed: bool

    @property
    def clear(self) -> bool:
        return not self.blocking


# A run of the check's items: how many, and a reader of `limit` of them after `offset`.
Run = tuple[int, Callable[[int, int | None], list[Blocker]]]


def page(
    engine: Engine,
    period: Period,
    offset: int,
    limit: int | None,
    blocking_first: bool = False,
    words: Sequence[str] = (),
) -> CheckPage:
    """Items [offset, offset + limit) of `check`'s list (with `blocking_first`, of that list
    with what blocks first, each part in its order; with `words`, of its items whose `words`
    hold each, case-insensitively), built alone: the counts are the store's, and the crew
    rows no scale pays are searched and paged in SQL (decision 0885)."""
    with engine.connect() as connection:
        if any(c.period == period for c in PayStore(connection).periods()):
            return CheckPage(period, [], 0, 0, 0, True)
        book = payroll.scale_book(PayStore(connection))
        kinds = crew_store.crew_kinds(connection, period)
        reasons = {k: why for k in kinds if (why := why_unpayable(*k, book)) is not None}
        covered = work_orders.covered_in(connection, period) if reasons else set()
        held = {k: (why.covered, _marked(k, why)) for k, why in reasons.items()}
        with crew_store.holding(connection, held, covered):
            unpaid = _unpaid_counts(connection, period, reasons, kinds, bool(covered))
            runs, total = _runs(connection, period, reasons, unpaid, blocking_first, words)
            shown = _cut(runs, offset, limit)
    # Findings and disputes always block; unpayable work only where a scale covers it.
    return CheckPage(period, shown, total, sum(n for n, _ in runs), total - unpaid[False], False)


def _marked(kind: Kind, why: Unpayable) -> str:
    """The words of a kind's blockers, with the worker and the shift marked for the store."""
    return unpayable_blocker(crew_store.WORKER, crew_store.SHIFT, kind[0], why).words


def _has(blocker: Blocker, words: Sequence[str]) -> bool:
    text = blocker.words.casefold()
    return all(w.casefold() in text for w in words)


def _unpaid_counts(
    connection: Connection,
    period: Period,
    reasons: dict[Kind, Unpayable],
    kinds: dict[Kind, int],
    covered: bool,
) -> dict[bool, int]:
    """How many unpayable crew rows block and how many do not: the kinds' counts, less the
    rows a work order covers."""
    found = {True: 0, False: 0}
    for kind, why in reasons.items():
        found[why.covered] += kinds[kind]
    if covered:
        for blocks, n in crew_store.covered_counts(connection, period).items():
            found[blocks] -= n
    return found


def _runs(
    connection: Connection,
    period: Period,
    reasons: dict[Kind, Unpayable],
    unpaid: dict[bool, int],
    blocking_first: bool,
    words: Sequence[str],
) -> tuple[list[Run], int]:
    """The check's items with every word as runs in its order, and how many items the whole
    check has."""
    whole = stored_findings.where(
        period.start, period.end, None, [k.value for k in BLOCKING_FINDINGS], None
    )
    conditions = whole + stored_findings.with_words(words)
    found = stored_findings.counts(connection, whole, "status", "open").get("open", 0)
    open_disputes = dispute_store.open_in(connection, period)
    shift_ids = {d.reference for d in open_disputes if d.subject is Subject.SHIFT}
    disputed = dispute_blockers(open_disputes, period, shift_ids)  # a handful: kept whole
    total = found + sum(unpaid.values()) + len(disputed)
    listed = unpaid
    if words:
        found = stored_findings.counts(connection, conditions, "status", "open").get("open", 0)
        disputed = [b for b in disputed if _has(b, words)]
        listed = crew_store.unpaid_counts(connection, period, words)

    def findings(offset: int, limit: int | None) -> list[Blocker]:
        return finding_blockers(
            stored_findings.in_audit_order(connection, conditions, "open", limit, offset)
        )

    def unpayable(blocks: bool | None) -> Run:
        def read(offset: int, limit: int | None) -> list[Blocker]:
            rows = crew_store.unpaid_page(connection, period, blocks, words, offset, limit)
            return [unpayable_blocker(w, s, o, reasons[(o, d, g)]) for s, w, o, d, g in rows]

        return (sum(listed.values()) if blocks is None else listed[blocks]), read

    disputes_run: Run = (len(disputed), lambda o, n: disputed[o : None if n is None else o + n])
    if blocking_first:
        runs = [(found, findings), unpayable(True), disputes_run, unpayable(False)]
    else:
        runs = [(found, findings), unpayable(None), disputes_run]
    return runs, total


def _cut(runs: list[Run], offset: int, limit: int | None) -> list[Blocker]:
    """Items [offset, offset + limit) of the runs one after another, each run read only for
    its part of them."""
    shown: list[Blocker] = []
    for size, read in runs:
        wanted = None if limit is None else limit - len(shown)
        if wanted == 0:
            break
        if offset < size:
            shown += read(offset, wanted)
        offset = max(0, offset - size)
    return shown


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
