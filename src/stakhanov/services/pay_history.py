"""Each worker's pay history that a period's slips read: his closed periods for the average
wage (idle time through the employer's fault, art. 157) and his earlier hours of work for the
accounting periods of summarised accounting (art. 104). Read only when a scale needs them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Connection

from stakhanov.domain.average_wage import PaidPeriod, PayHistory, accrued, billing_window
from stakhanov.domain.pay_rules import IdleBase
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from stakhanov.store.pay_history import idle_through_employer, worked_hours
from stakhanov.store.payroll import PayStore

ZERO = Decimal(0)


def histories(connection: Connection, period: Period, book: ScaleBook) -> dict[str, PayHistory]:
    """The pay history of every worker whose slip for `period` reads one."""
    paid = _paid(connection, period, book)
    worked = _worked_before(connection, period, book)
    return {
        worker: PayHistory(paid.get(worker, ()), worked.get(worker, {}))
        for worker in sorted(set(paid) | set(worked))
    }


def _paid(
    connection: Connection, period: Period, book: ScaleBook
) -> dict[str, tuple[PaidPeriod, ...]]:
    months = [
        s.idle_time.months
        for s in book.scales
        if s.idle_time is not None and s.idle_time.employer is IdleBase.AVERAGE
    ]
    if not months:
        return {}
    workers = idle_through_employer(connection, period.start, period.end)
    if not workers:
        return {}
    first = billing_window(period.start, max(months)).start
    last = billing_window(period.end, 1).end
    store = PayStore(connection)
    closed = [c for c in store.periods() if first <= c.period.end <= last]
    if not closed:
        return {}
    hours = worked_hours(connection, closed[0].period.start, closed[-1].period.end, workers)
    found: dict[str, list[PaidPeriod]] = {w: [] for w in workers}
    for each in closed:
        for slip in store.slips(each):
            if slip.worker_id not in workers:
                continue
            days = hours.get(slip.worker_id, {})
            worked = sum((h for d, h in days.items() if d in each.period), ZERO)
            found[slip.worker_id].append(PaidPeriod(each.period, accrued(slip), worked))
    return {w: tuple(p) for w, p in found.items() if p}


def _worked_before(
    connection: Connection, period: Period, book: ScaleBook
) -> dict[str, dict[dt.date, Decimal]]:
    """Hours of work before the period in the accounting periods that end within it."""
    starts = [
        p.first
        for s in book.scales
        for p in s.accounting_periods
        if p.last in period and p.first < period.start
    ]
    if not starts:
        return {}
    return worked_hours(connection, min(starts), period.start - dt.timedelta(days=1))
