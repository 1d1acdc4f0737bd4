"""Pay use cases: compute a period's slips, close and lock it, and read slips back.

Named bonuses from other modules (money awards) come from bonus sources: functions of the
connection and the period that return ExternalBonus values. They are passed explicitly: close,
what-if and the slips read SOURCES unless a caller passes others, and each bonus dated within the
period becomes a line on that worker's slip.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from stakhanov.domain.adjustments import adjustment_lines, corrections, merged
from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.errors import Problem, Refusal, Refused, Source
from stakhanov.domain.fulfilment import results
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.lock_checks import Blocker
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.numbers import counted
from stakhanov.domain.payroll import (
    Adjustments,
    ExternalBonus,
    Payroll,
    compute_payroll,
    payroll_of,
)
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.whatif import WhatIf, proposed_norms, replay
from stakhanov.domain.wording import say
from stakhanov.services import payroll_engine
from stakhanov.services.awards import award_bonuses
from stakhanov.services.importing import default_author
from stakhanov.services.method_rewards import method_bonuses
from stakhanov.services.pay_history import histories
from stakhanov.services.pay_spool import PartRefused, PaySpool, spooled
from stakhanov.services.work_orders import piece_ledger, work_order_shares
from stakhanov.store.bulk import lock_ledger_writes
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import ClosedPeriod, PayStore, Totals, analyze_after_close

__all__ = ["ClosedPeriod"]  # the pages name a period's close by it
from stakhanov.store.watermarks import batches_seen, moved_since, snapshot_reads

BonusSource = Callable[[Connection, Period], list[ExternalBonus]]
# Every source a close pays.
SOURCES: tuple[BonusSource, ...] = (award_bonuses, method_bonuses, work_order_shares)


class PayrollRejected(Refused):
    """The period cannot be paid as asked; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems)


@dataclass(frozen=True)
class CloseReport:
    period: Period
    slips: int
    gross: object
    net: object
    digest: str
    adjusted: int  # slips that carry adjustments of earlier closed periods
    already: bool  # the period was closed before; nothing was written
    unpaid: Unpaid | None = None  # work before the period that no closed period pays


@dataclass(frozen=True)
class Unpaid:
    """Work dated before a period that lies in no closed period: unpaid until one covers it."""

    start: dt.date
    end: dt.date
    days: int

    def __str__(self) -> str:
        return (
            f"work on {counted(self.days, 'day')} from {self.start} to {self.end}, before this "
            "period, lies in no closed period and is not paid yet: close a period that covers it"
        )


def external_bonuses(
    connection: Connection, period: Period, sources: Sequence[BonusSource] = SOURCES
) -> list[ExternalBonus]:
    """Every source's bonuses dated within the period."""
    found: list[ExternalBonus] = []
    for source in sources:
        found += [b for b in source(connection, period) if b.date in period]
    return found


def snapshot(connection: Connection, period: Period) -> Ledger:
    store = LedgerStore(connection)
    shift_ids = store.shift_ids_between(period.start, period.end)
    # Work a brigade work order pays is paid by its fund, not again as piece work.
    return piece_ledger(connection, period, store.snapshot(shift_ids, (period.start, period.end)))


def worked_snapshot(connection: Connection, period: Period, workers: Collection[str]) -> Ledger:
    """What the workers' own slips for the period read (decision 0883): the shifts they worked
    with whole crews, those crews' workers and their own paid time; other workers' slips from
    it are not whole."""
    store = LedgerStore(connection)
    shift_ids = store.shift_ids_worked_by(workers, period.start, period.end)
    dates = (period.start, period.end)
    return piece_ledger(connection, period, store.snapshot(shift_ids, dates, workers, workers))


def scale_book(store: PayStore) -> ScaleBook:
    scales, problems = store.scales()
    if problems:
        raise PayrollRejected(problems)
    return ScaleBook.of(scales)


def pending(
    connection: Connection,
    period: Period,
    book: ScaleBook,
    sources: Sequence[BonusSource] = SOURCES,
) -> dict[str, Adjustments]:
    """Corrections of every closed period before this one that were not yet paid.

    A closed period is computed again only if something that pay reads (a ledger batch, a
    scale, an award) was written after the last close that settled its corrections: its own,
    or that of any period after it. Otherwise its slips stand as paid and nothing is owed.
    """
    store = PayStore(connection)
    every = store.periods()
    closed = [c for c in every if c.period.end < period.start]
    if not closed:
        return {}
    last_batch, last_award = store.last_changes()
    slips: dict[int, list[PaySlip]] = {}

    def slips_of(closed_period: ClosedPeriod) -> list[PaySlip]:
        if closed_period.period_id not in slips:
            slips[closed_period.period_id] = store.slips(closed_period)
        return slips[closed_period.period_id]

    parts = []
    for earlier in closed:
        # Adjustments of an earlier period are carried by any period closed after it in time,
        # also one that lies after this period (a gap before it may be closed later).
        after = [c for c in every if c.period.start > earlier.period.end]
        settled = max([earlier, *after], key=lambda c: c.batch_id)
        moved = last_award is not None and last_award > settled.closed_at
        if last_batch < settled.batch_id and not moved:
            continue
        paid = slips_of(earlier)
        carried = {s.worker_id: adjustment_lines(s) for s in paid}
        recomputed = compute_payroll(
            snapshot(connection, earlier.period),
            earlier.period,
            book,
            bonuses=external_bonuses(connection, earlier.period, sources),
            adjustments=carried,
            history=histories(connection, earlier.period, book),
        )
        later = [s for c in after for s in slips_of(c)]
        parts.append(corrections(earlier.period, paid, later, recomputed.slips))
    return merged(parts)


def compute(
    connection: Connection,
    period: Period,
    sources: Sequence[BonusSource] = SOURCES,
    workers: Sequence[str] | None = None,
    inputs: PayInputs | None = None,
) -> Payroll:
    """The period's slips from the ledger as it stands, with pending adjustments; with
    `workers`, theirs only, read from the shifts they worked (a slip reads its own worker's
    results, and a crew is split within its shift), so one worker's slip costs his month.

    Computed by the set-based engine unless the context asks for the domain reference
    (payroll_engine.computed_by); a period the engine cannot keep exact takes the reference.
    Pending corrections of earlier periods are recomputed by the reference (they are computed
    only when something pay reads changed after their close). Both leave out the work that
    brigade work orders pay (their funds pay it). `inputs`: what pay_inputs read already.
    """
    book, bonuses, adjustments, history = inputs or pay_inputs(connection, period, sources)
    found = None
    if payroll_engine.method() == payroll_engine.ENGINE:
        found = payroll_engine.set_based(
            connection, period, book, bonuses, adjustments, history, workers
        )
    if found is None:
        found = _by_reference(connection, period, (book, bonuses, adjustments, history))
    if workers is None:
        return found
    return Payroll(period, tuple(s for s in found.slips if s.worker_id in workers), found.problems)


PayInputs = tuple[ScaleBook, list[ExternalBonus], dict[str, Adjustments], dict[str, PayHistory]]


def pay_inputs(
    connection: Connection, period: Period, sources: Sequence[BonusSource] = SOURCES
) -> PayInputs:
    """What pay reads besides the ledger: the scales, bonuses, pending adjustments and each
    worker's pay history."""
    book = scale_book(PayStore(connection))
    bonuses = external_bonuses(connection, period, sources)
    return (
        book,
        bonuses,
        pending(connection, period, book, sources),
        histories(connection, period, book),
    )


def overlaps(closed: list[ClosedPeriod], period: Period) -> list[Problem]:
    """A closed period that shares a day with `period` (periods never overlap)."""
    for other in closed:
        if other.period.start <= period.end and period.start <= other.period.end:
            return [
                Problem(
                    Source("--from", 0),
                    "period",
                    say(
                        "%(period)s overlaps the closed period %(closed)s; each day is paid in "
                        "one period only (use that period's dates)",
                        period=str(period),
                        closed=str(other.period),
                    ),
                )
            ]
    return []


def unpaid_before(connection: Connection, period: Period) -> Unpaid | None:
    """Shifts and paid time dated before the period that no closed period covers."""
    closed = [c.period for c in PayStore(connection).periods()]
    store = LedgerStore(connection)
    dates = {d for d in store.work_dates_before(period.start) if not any(d in c for c in closed)}
    if not dates:
        return None
    return Unpaid(min(dates), max(dates), len(dates))


def closed_before(connection: Connection, period: Period) -> CloseReport | None:
    """The report of the period if it is closed already; refused if it overlaps another."""
    closed = PayStore(connection).periods()
    same = next((c for c in closed if c.period == period), None)
    if same is not None:
        return CloseReport(period, same.slips, same.gross, same.net, same.digest, 0, True)
    problems = overlaps(closed, period)
    if problems:
        raise PayrollRejected(problems)
    return None


@dataclass(frozen=True)
class Override:
    """A lock made over open blockers: its reason goes on the batch and the lines concerned."""

    reason: str
    blockers: tuple[Blocker, ...]


class LedgerMoved(Refused):
    """The ledger changed while the period was being computed; nothing was written."""

    kind = Refusal.CONFLICT


CLOSE_ATTEMPTS = 3
"""How often a close computes: without the writers' lock, and the last time with it."""


def close(
    engine: Engine,
    period: Period,
    author: str | None = None,
    sources: Sequence[BonusSource] = SOURCES,
    attempts: int = CLOSE_ATTEMPTS,
    override: Override | None = None,
) -> CloseReport:
    """Compute every slip of the period and lock it. Closing it again changes nothing.

    The slips are computed without the writers' lock, so shift entry does not wait for them;
    the lock is taken only to write, after checking that no batch since could change the
    period's pay. If one did, the period is computed again; the last of `attempts` computes
    under the lock, so a close always ends, and writers wait only while the ledger keeps moving.
    The slips are computed in parts of workers and kept on disk until they are written
    (services/pay_spool.py), so a close holds one part at a time.
    """
    for attempt in range(1, attempts + 1):
        last = attempt == attempts
        spool: PaySpool | None = None
        try:
            if not last:
                with snapshot_reads(engine.connect()) as connection, connection.begin():
                    already = closed_before(connection, period)
                    if already is not None:
                        return already
                    seen = batches_seen(connection)
                    spool = spool_of(connection, period, sources, override)
            with engine.begin() as connection:
                lock_ledger_writes(connection)
                already = closed_before(connection, period)
                if already is not None:
                    return already
                if last:
                    spool = spool_of(connection, period, sources, override)
                elif moved_since(connection, seen, period.end):
                    continue
                assert spool is not None
                report = write_spool(connection, period, spool, author, override)
            analyze_after_close(engine, spool.lines)  # after the commit, as an import does
            return report
        finally:
            if spool is not None:
                spool.close()
    raise ValueError(f"a close needs at least one attempt, not {attempts}")


def parts(
    connection: Connection,
    period: Period,
    sources: Sequence[BonusSource] = SOURCES,
    inputs: PayInputs | None = None,
    read_workers: int | None = None,
) -> Iterator[Payroll]:
    """The slips `compute` gives, in parts of workers in worker order (the engine's parts, read
    `read_workers` workers at a time; the reference's whole period as one part). An engine
    part may raise payroll_engine.Unsupported."""
    book, bonuses, adjustments, history = inputs or pay_inputs(connection, period, sources)
    if payroll_engine.method() == payroll_engine.ENGINE:
        found = payroll_engine.set_based_parts(
            connection, period, book, bonuses, adjustments, history, read_workers
        )
        if found is not None:
            return found
    return iter((_by_reference(connection, period, (book, bonuses, adjustments, history)),))


def _by_reference(connection: Connection, period: Period, inputs: PayInputs) -> Payroll:
    """The whole period's slips by the domain reference, from its snapshot."""
    book, bonuses, adjustments, history = inputs
    return compute_payroll(
        snapshot(connection, period),
        period,
        book,
        bonuses=bonuses,
        adjustments=adjustments,
        history=history,
    )


def spool_of(
    connection: Connection,
    period: Period,
    sources: Sequence[BonusSource] = SOURCES,
    override: Override | None = None,
) -> PaySpool:
    """The period's slips spooled to disk as the close will lock them; refused with every
    problem of the period if it has any."""
    blockers, reason = (override.blockers, override.reason) if override else ((), "")
    inputs = pay_inputs(connection, period, sources)  # read once, whichever computes
    try:
        try:
            return spooled(period, parts(connection, period, sources, inputs), blockers, reason)
        except payroll_engine.Unsupported:  # found in a later part: the reference, from the top
            with payroll_engine.computed_by(payroll_engine.REFERENCE):
                found = parts(connection, period, sources, inputs)
                return spooled(period, found, blockers, reason)
    except PartRefused:  # every problem of the period, as the whole computation lists them
        problems = compute(connection, period, sources, inputs=inputs).problems
        raise PayrollRejected(list(problems)) from None


def record(
    connection: Connection,
    period: Period,
    payroll: Payroll,
    author: str | None,
    override: Override | None = None,
) -> CloseReport:
    """Lock the period with its slips, in the caller's transaction; refused with problems.

    With an override, the lines its blockers question say so; without one the slips are
    written exactly as computed.
    """
    if payroll.problems:
        raise PayrollRejected(list(payroll.problems))
    blockers, reason = (override.blockers, override.reason) if override else ((), "")
    ordered = dataclasses.replace(payroll, slips=tuple(sorted(payroll.slips, key=_worker)))
    with spooled(period, (ordered,), blockers, reason, on_disk=False) as spool:  # held already
        return write_spool(connection, period, spool, author, override)


def _worker(slip: PaySlip) -> str:
    return slip.worker_id


def write_spool(
    connection: Connection,
    period: Period,
    spool: PaySpool,
    author: str | None,
    override: Override | None = None,
) -> CloseReport:
    """Write the spooled slips as the period's locked slips, in the caller's transaction."""
    store = PayStore(connection)
    reason = None if override is None else f"override: {override.reason}"
    batch_id = store.ledger.new_batch(
        "payroll", f"close {period}", author or default_author(), reason
    )
    totals = Totals(spool.count, spool.gross, spool.net, spool.digest)
    store.write(period, batch_id, spool.slips(), totals)
    return CloseReport(
        period,
        spool.count,
        spool.gross,
        spool.net,
        spool.digest,
        spool.adjusted,
        False,
        unpaid_before(connection, period),
    )


@dataclass(frozen=True)
class Slips:
    """The slips of a period: locked when it is closed, else computed as it would close now."""

    period: Period
    closed: ClosedPeriod | None
    slips: list[PaySlip]
    problems: list[Problem]


def slips(engine: Engine, period: Period, worker_id: str | None = None) -> Slips:
    with engine.connect() as connection:
        store = PayStore(connection)
        every = store.periods()
        closed = next((c for c in every if c.period == period), None)
        if closed is not None:
            return Slips(period, closed, store.slips(closed, worker_id), [])
        overlapping = overlaps(every, period)
        if overlapping:
            return Slips(period, None, [], overlapping)
        payroll = compute(connection, period, workers=None if worker_id is None else [worker_id])
    found = [s for s in payroll.slips if worker_id is None or s.worker_id == worker_id]
    return Slips(period, None, found, list(payroll.problems))


def periods(engine: Engine) -> list[ClosedPeriod]:
    with engine.connect() as connection:
        return PayStore(connection).periods()


def pay_under(
    engine: Engine,
    period: Period,
    norms: Sequence[Norm],
    workers: Collection[str] | None = None,
) -> tuple[Payroll, Payroll]:
    """The period's slips under the stored norms and with `norms` in force on every date
    (domain.whatif.proposed_norms), without adjustments; writes nothing.

    With `workers`, their own slips only, from the shifts they worked (a crew is split within
    its shift, and a slip reads only its worker's results, paid time and bonuses): by the
    set-based engine, the shifts read once and closed under both norm books (decision 0906),
    unless the context asks for the reference or the engine cannot keep them exact; then by
    the domain on `worked_snapshot`. The problems are those met paying them. Without
    `workers`, everyone's, by the domain on the whole period: the readable reference.
    """
    with engine.connect() as connection:
        book = scale_book(PayStore(connection))
        bonuses = external_bonuses(connection, period)
        history = histories(connection, period, book)
        if workers is not None:  # their own slips only: the crew-mates' would not be whole
            bonuses = [b for b in bonuses if b.worker_id in workers]
            if payroll_engine.method() == payroll_engine.ENGINE:
                found = payroll_engine.workers_pay(
                    connection, period, book, bonuses, history, workers, norms
                )
                if found is not None:
                    return found
            ledger = worked_snapshot(connection, period, workers)
        else:
            ledger = snapshot(connection, period)
    changed = ledger.with_norms(proposed_norms(ledger.norms, norms))
    old, new = (
        payroll_of(
            measured,
            period,
            book,
            [
                r
                for r in results(measured, period.start, period.end)
                if workers is None or r.worker_id in workers
            ],
            bonuses,
            history=history,
        )
        for measured in (ledger, changed)
    )
    return old, new


def whatif(
    engine: Engine,
    period: Period,
    scale: PayScale | None = None,
    norms: NormBook | Sequence[Norm] | None = None,
    workers: Collection[str] | None = None,
) -> WhatIf:
    """The period's pay under another scale and/or norms against its pay now; writes nothing.

    Both sides are computed from the ledger as it stands (a closed period's slips differ only
    by corrections that the next close pays as adjustments), without those adjustments. With
    `workers`, theirs only, from the shifts they worked (`worked_snapshot`); the problems are
    those met computing them.
    """
    with engine.connect() as connection:
        if workers is None:
            ledger = snapshot(connection, period)
        else:
            ledger = worked_snapshot(connection, period, workers)
        book = scale_book(PayStore(connection))
        bonuses = external_bonuses(connection, period)
        # A proposed scale may ask for a history the stored ones do not.
        history = histories(connection, period, book.proposing(scale) if scale else book)
    if workers is None:
        return replay(ledger, period, book, scale, norms or (), bonuses, history)
    mine = [b for b in bonuses if b.worker_id in workers]
    found = replay(ledger, period, book, scale, norms or (), mine, history)
    return dataclasses.replace(
        found, workers=tuple(c for c in found.workers if c.worker_id in workers)
    )
