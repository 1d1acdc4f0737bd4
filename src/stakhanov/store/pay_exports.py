"""Reading a closed period's locked slips for exports, streamed: a period may hold a million
lines, so rows come off a server-side cursor in batches and sums are taken in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, func, select

from stakhanov.domain.journal import LineTotal
from stakhanov.domain.payslips import PayLine, Section
from stakhanov.store.pay_tables import pay_lines, pay_periods, pay_slips
from stakhanov.store.payroll import pay_line
from stakhanov.store.types import kept, with_places

BATCH = 5000


@dataclass(frozen=True)
class ExportLine:
    """A stored line with its slip's worker and its place on the slip."""

    worker_id: str
    name: str
    currency: str
    section: str
    position: int
    line: PayLine


@dataclass(frozen=True)
class SlipNet:
    worker_id: str
    name: str
    currency: str
    net: Decimal


@dataclass(frozen=True)
class PaidRate:
    """A piece rate paid on an operation in closed periods, and how much output it paid."""

    currency: str
    unit: str
    rate: Decimal
    lines: int
    quantity: Decimal


def _streamed(connection: Connection) -> Connection:
    return connection.execution_options(stream_results=True, yield_per=BATCH)


def lines(connection: Connection, period_id: int) -> Iterator[ExportLine]:
    """Every line of the period's slips: by worker, earnings before deductions, slip order."""
    query = (
        select(pay_slips.c.worker_id, pay_slips.c.name, pay_slips.c.currency, pay_lines)
        .join(pay_lines, pay_lines.c.slip_id == pay_slips.c.slip_id)
        .where(pay_slips.c.period_id == period_id)
        .order_by(pay_slips.c.worker_id, pay_lines.c.section.desc(), pay_lines.c.position)
    )
    for row in _streamed(connection).execute(query):
        yield ExportLine(
            row.worker_id, row.name, row.currency, row.section, row.position, pay_line(row)
        )


def line_totals(connection: Connection, period_id: int) -> Iterator[LineTotal]:
    """The sum of each worker's lines per section and code, summed by the database."""
    query = (
        select(
            pay_slips.c.worker_id,
            pay_slips.c.currency,
            pay_lines.c.section,
            pay_lines.c.code,
            func.sum(pay_lines.c.amount).label("amount"),
            func.max(pay_lines.c.amount_places).label("places"),
        )
        .join(pay_lines, pay_lines.c.slip_id == pay_slips.c.slip_id)
        .where(pay_slips.c.period_id == period_id)
        .group_by(
            pay_slips.c.worker_id, pay_slips.c.currency, pay_lines.c.section, pay_lines.c.code
        )
    )
    for row in _streamed(connection).execute(query):
        amount = with_places(row.amount, row.places)
        assert amount is not None
        yield LineTotal(row.worker_id, row.currency, Section(row.section), row.code, amount)


def nets(connection: Connection, period_id: int) -> Iterator[SlipNet]:
    """Each slip's net pay, by worker."""
    query = (
        select(pay_slips.c.worker_id, pay_slips.c.name, pay_slips.c.currency)
        .add_columns(pay_slips.c.net, pay_slips.c.net_places)
        .where(pay_slips.c.period_id == period_id)
        .order_by(pay_slips.c.worker_id)
    )
    for row in _streamed(connection).execute(query):
        yield SlipNet(row.worker_id, row.name, row.currency, kept(row, "net"))


def line_count(connection: Connection, period_id: int) -> int:
    query = (
        select(func.count())
        .select_from(pay_lines.join(pay_slips, pay_lines.c.slip_id == pay_slips.c.slip_id))
        .where(pay_slips.c.period_id == period_id)
    )
    return int(connection.execute(query).scalar() or 0)


def piece_rates(
    connection: Connection, operation: str, start: dt.date, end: dt.date
) -> list[PaidRate]:
    """Piece rates paid on the operation by the closed periods that lie within the dates."""
    escaped = operation.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(
            pay_slips.c.currency,
            pay_lines.c.unit,
            pay_lines.c.rate,
            func.max(pay_lines.c.rate_places).label("places"),
            func.count().label("lines"),
            func.sum(pay_lines.c.quantity).label("quantity"),
        )
        .join(pay_slips, pay_lines.c.slip_id == pay_slips.c.slip_id)
        .join(pay_periods, pay_periods.c.period_id == pay_slips.c.period_id)
        .where(
            pay_periods.c.start_date >= start,
            pay_periods.c.end_date <= end,
            pay_lines.c.section == Section.EARNING.value,
            pay_lines.c.code == "piece",
            pay_lines.c.key.like(f"piece:%:{escaped}", escape="\\"),
        )
        .group_by(pay_slips.c.currency, pay_lines.c.unit, pay_lines.c.rate)
        .order_by(pay_slips.c.currency, pay_lines.c.unit, pay_lines.c.rate)
    )
    found = []
    for row in connection.execute(query):
        rate = with_places(row.rate, row.places)
        assert rate is not None
        found.append(PaidRate(row.currency, row.unit, rate, int(row.lines), row.quantity))
    return found
