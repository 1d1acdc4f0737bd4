"""Pay use cases: compute a period's slips, close and lock it, and read slips back.

Other modules add named bonuses by registering a source in BONUS_SOURCES: a function of the
connection and the period that returns ExternalBonus values. Close and what-if consult every
source, and each bonus dated within the period becomes a line on that worker's slip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from stakhanov.domain.adjustments import adjustment_lines, corrections, merged
from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.payroll import Adjustments, ExternalBonus, Payroll, compute_payroll
from stakhanov.domain.payslips import PaySlip, digest
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.whatif import WhatIf, replay
from stakhanov.services.importing import default_author
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import ClosedPeriod, PayStore

BonusSource = Callable[[Connection, Period], list[ExternalBonus]]
BONUS_SOURCES: list[BonusSource] = []


class PayrollRejected(Exception):
    """The period cannot be paid as asked; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was written")
        self.problems = problems


@dataclass(frozen=True)
class CloseReport:
    period: Period
    slips: int
    gross: object
    net: object
    digest: str
    adjusted: int  # slips that carry adjustments of earlier closed periods
    already: bool  # the period was closed before; nothing was written


def external_bonuses(connection: Connection, period: Period) -> list[ExternalBonus]:
    """Every registered source's bonuses dated within the period."""
    found: list[ExternalBonus] = []
    for source in BONUS_SOURCES:
        found += [b for b in source(connection, period) if b.date in period]
    return found


def snapshot(connection: Connection, period: Period) -> Ledger:
    store = LedgerStore(connection)
    shift_ids = store.shift_ids_between(period.start, period.end)
    return store.snapshot(shift_ids, (period.start, period.end))


def scale_book(store: PayStore) -> ScaleBook:
    scales, problems = store.scales()
    if problems:
        raise PayrollRejected(problems)
    return ScaleBook.of(scales)


def _pending(connection: Connection, period: Period, book: ScaleBook) -> dict[str, Adjustments]:
    """Corrections of every closed period before this one that were not yet paid."""
    store = PayStore(connection)
    closed = [c for c in store.periods() if c.period.end < period.start]
    slips = {c.period_id: store.slips(c) for c in closed}
    parts = []
    for index, earlier in enumerate(closed):
        paid = slips[earlier.period_id]
        carried = {s.worker_id: adjustment_lines(s) for s in paid}
        recomputed = compute_payroll(
            snapshot(connection, earlier.period),
            earlier.period,
            book,
            bonuses=external_bonuses(connection, earlier.period),
            adjustments=carried,
        )
        later = [s for c in closed[index + 1 :] for s in slips[c.period_id]]
        parts.append(corrections(earlier.period, paid, later, recomputed.slips))
    return merged(parts)


def compute(connection: Connection, period: Period) -> Payroll:
    """The period's slips from the ledger as it stands, with pending adjustments."""
    store = PayStore(connection)
    book = scale_book(store)
    return compute_payroll(
        snapshot(connection, period),
        period,
        book,
        bonuses=external_bonuses(connection, period),
        adjustments=_pending(connection, period, book),
    )


def _check_order(closed: list[ClosedPeriod], period: Period) -> list[Problem]:
    where = Source("--from", 0)
    for other in closed:
        if other.period.start <= period.end and period.start <= other.period.end:
            return [Problem(where, "period", f"{period} overlaps the closed period {other.period}")]
    if closed and period.start < closed[-1].period.start:
        return [
            Problem(
                where,
                "period",
                f"{period} comes before the last closed period {closed[-1].period}; periods "
                "close in order, and later corrections are paid as adjustments",
            )
        ]
    return []


def close(engine: Engine, period: Period, author: str | None = None) -> CloseReport:
    """Compute every slip of the period and lock it. Closing it again changes nothing."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("LOCK TABLE batches IN EXCLUSIVE MODE")
        store = PayStore(connection)
        closed = store.periods()
        same = next((c for c in closed if c.period == period), None)
        if same is not None:
            return CloseReport(period, same.slips, same.gross, same.net, same.digest, 0, True)
        problems = _check_order(closed, period)
        if problems:
            raise PayrollRejected(problems)
        payroll = compute(connection, period)
        if payroll.problems:
            raise PayrollRejected(list(payroll.problems))
        batch_id = store.ledger.new_batch(
            "payroll", f"close {period}", author or default_author(), None
        )
        signature = digest(payroll.slips)
        store.write(period, batch_id, payroll.slips, signature)
        adjusted = sum(1 for s in payroll.slips if adjustment_lines(s) != Adjustments(s.currency))
        return CloseReport(
            period, len(payroll.slips), payroll.gross, payroll.net, signature, adjusted, False
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
        closed = next((c for c in store.periods() if c.period == period), None)
        if closed is not None:
            return Slips(period, closed, store.slips(closed, worker_id), [])
        payroll = compute(connection, period)
    found = [s for s in payroll.slips if worker_id is None or s.worker_id == worker_id]
    return Slips(period, None, found, list(payroll.problems))


def periods(engine: Engine) -> list[ClosedPeriod]:
    with engine.connect() as connection:
        return PayStore(connection).periods()


def whatif(
    engine: Engine,
    period: Period,
    scale: PayScale | None = None,
    norms: NormBook | Sequence[Norm] | None = None,
) -> WhatIf:
    """The period's pay under another scale and/or norms against its pay now; writes nothing.

    Both sides are computed from the ledger as it stands (a closed period's slips differ only
    by corrections that the next close pays as adjustments), without those adjustments.
    """
    with engine.connect() as connection:
        ledger = snapshot(connection, period)
        book = scale_book(PayStore(connection))
        bonuses = external_bonuses(connection, period)
    return replay(ledger, period, book, scale, norms or (), bonuses)
