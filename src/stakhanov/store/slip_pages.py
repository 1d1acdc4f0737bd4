"""The pay page's slip list in SQL: a closed period's locked slips, and the workers an open
period pays, each within the reader's scope, searched, sorted, counted and cut to a page, so
that the page costs what it shows (decision 0875)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, and_, false, func, or_, select, true, type_coerce

from stakhanov.domain.payslips import Section
from stakhanov.domain.slip_lists import Paying, SlipHead, Totals
from stakhanov.store.ledger import current_query
from stakhanov.store.lists import every_word
from stakhanov.store.pay_tables import pay_lines, pay_slips
from stakhanov.store.read_model import paths_within
from stakhanov.store.read_model_tables import read_months
from stakhanov.store.records import CREW, TIME, WORKERS
from stakhanov.store.types import ExactDecimal, kept

ONE_DAY = dt.timedelta(days=1)

Scope = Sequence[str] | None  # the reader's subtrees; None: everywhere
WorkerQuery = Select[Any]  # the workers of an open period's list, to page or to read whole
MONEY = ("gross", "deducted", "net")


def _text(connection: Connection, column: Any) -> Any:
    """Text compared by code point on both databases, as Python compares str."""
    return column.collate("C") if connection.dialect.name == "postgresql" else column


def _homes() -> Any:
    """The current workers' homes, for the scope."""
    table = WORKERS.table
    return (
        current_query(WORKERS)
        .order_by(None)
        .with_only_columns(table.c.worker_id, table.c.unit)
        .subquery("homes")
    )


def closed_query(period_id: int, subtrees: Scope, search: str) -> Select[Any]:
    """The period's slips in the scope (a worker no longer on the register is nobody's unit:
    only an organisation-wide reader sees him), the search found in the id or the name."""
    earnings = (
        select(func.count())
        .where(pay_lines.c.slip_id == pay_slips.c.slip_id)
        .where(pay_lines.c.section == Section.EARNING.value)
        .scalar_subquery()
    )
    query = select(pay_slips, earnings.label("earnings")).where(pay_slips.c.period_id == period_id)
    if subtrees is not None:
        # The scope's workers by the index of their units, then their slips: a brigade's
        # list reads the brigade's slips, not the period's (decision 0893).
        homes = _homes()
        within = select(homes.c.worker_id).where(paths_within(homes.c.unit, subtrees))
        query = query.where(pay_slips.c.worker_id.in_(within))
    text = search.strip().casefold()
    if text:
        query = query.where(*every_word([pay_slips.c.worker_id, pay_slips.c.name], [text]))
    return query


def _order(connection: Connection, sort: str, descending: bool) -> list[Any]:
    """The old list's order: by worker; by name (folded), or by currency then a figure, the
    worker breaking ties, all turned round together when descending."""
    worker = _text(connection, pay_slips.c.worker_id)
    if sort == "name":
        keys = [_text(connection, func.lower(pay_slips.c.name)), worker]
    elif sort in MONEY:
        keys = [_text(connection, pay_slips.c.currency), pay_slips.c[sort], worker]
    else:
        keys = [worker]
    return [k.desc() if descending else k.asc() for k in keys]


def _head(row: Any) -> SlipHead:
    return SlipHead(
        row.worker_id,
        row.name,
        row.currency,
        kept(row, "gross"),
        kept(row, "deducted"),
        kept(row, "net"),
        int(row.earnings),
    )


def closed_page(
    connection: Connection,
    period_id: int,
    subtrees: Scope,
    search: str,
    sort: str,
    descending: bool,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[SlipHead]:
    """The slips found, in the order asked; every one without a limit (read as they come)."""
    query = closed_query(period_id, subtrees, search).order_by(
        *_order(connection, sort, descending)
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    for row in connection.execution_options(stream_results=True).execute(query):
        yield _head(row)


def closed_totals(
    connection: Connection, period_id: int, subtrees: Scope, search: str
) -> list[Totals]:
    """One line per currency of the slips found: their count and exact sums, at the most
    places any slip was written with (as adding the slips' own figures gives them)."""
    found = closed_query(period_id, subtrees, search).subquery()
    sums = [type_coerce(func.sum(found.c[m]), ExactDecimal()) for m in MONEY]
    places = [func.max(found.c[f"{m}_places"]) for m in MONEY]
    rows = connection.execute(
        select(found.c.currency, func.count(), *sums, *places)
        .group_by(found.c.currency)
        .order_by(_text(connection, found.c.currency))
    )
    return [
        Totals(row[0], int(row[1]), *(_at(row[2 + i], row[5 + i]) for i in range(3)))
        for row in rows
    ]


def _at(value: Decimal, places: int | None) -> Decimal:
    return value if places is None else value.quantize(Decimal(1).scaleb(-places))


def _on(day: Any, operation: Any, runs: Sequence[Paying]) -> Any:
    """SQL: the day lies in a run and a scale pays the operation then."""
    return or_(
        false(),
        *(
            and_(
                day >= r.start,
                day <= r.end,
                true() if r.operations is None else operation.in_(sorted(r.operations)),
            )
            for r in runs
        ),
    )


def _paid(runs: Sequence[Paying], others: Sequence[str]) -> Select[Any]:
    """Current workers with work or paid time that a scale pays, or among `others` (those a
    bonus or an adjustment pays): whom the open period has a slip for.

    Each worker is asked by index whether he worked or was paid time (EXISTS, not IN a list
    of everyone who did): a page in worker order reads its own workers and stops, where the
    list of a month's workers was built and sorted for every page (decision 0909)."""
    workers, time = WORKERS.table, TIME.table
    timed = (
        current_query(TIME)
        .order_by(None)
        .with_only_columns(time.c.worker_id)
        .where(time.c.worker_id == workers.c.worker_id, _on(time.c.date, time.c.operation, runs))
    )
    paid = [_worked(runs, workers.c.worker_id), timed.exists()]
    if others:
        paid.append(workers.c.worker_id.in_(sorted(set(others))))
    return (
        current_query(WORKERS)
        .order_by(None)
        .with_only_columns(workers.c.worker_id, workers.c.name)
        .where(or_(*paid))
    )


def _worked(runs: Sequence[Paying], worker: Any) -> Any:
    """SQL: the worker has current crew rows that a run pays. Where every run is of whole
    months, from the worker month sums (a row per worker, month and operation: every current
    crew row has its result there), else from the crew rows themselves."""
    if all(r.start.day == 1 and r.end.month != (r.end + ONE_DAY).month for r in runs):
        months = read_months.c
        found = select(months.worker_id).where(
            months.worker_id == worker, _on(months.month, months.operation, runs)
        )
        return found.exists()
    crew = CREW.table
    return (
        current_query(CREW)
        .order_by(None)
        .with_only_columns(crew.c.worker_id)
        .where(crew.c.worker_id == worker, _on(crew.c.shift_date, crew.c.operation, runs))
        .exists()
    )


def open_workers(
    runs: Sequence[Paying],
    others: Sequence[str],
    subtrees: Scope,
    search: str,
) -> WorkerQuery:
    """The open period's workers in the scope whose id or name holds the search."""
    workers = WORKERS.table
    query = _paid(runs, others)
    if subtrees is not None:
        query = query.where(paths_within(workers.c.unit, subtrees))
    text = search.strip().casefold()
    if text:
        query = query.where(*every_word([workers.c.worker_id, workers.c.name], [text]))
    return query


def worker_ids(
    connection: Connection,
    query: Select[Any],
    sort: str,
    descending: bool,
    limit: int | None = None,
    offset: int = 0,
) -> list[str]:
    """The ids of `open_workers`, by name (folded) or id, the id breaking ties."""
    workers = WORKERS.table
    worker = _text(connection, workers.c.worker_id)
    keys = [_text(connection, func.lower(workers.c.name)), worker] if sort == "name" else [worker]
    ordered = query.order_by(*(k.desc() if descending else k.asc() for k in keys))
    if limit is not None:
        ordered = ordered.limit(limit).offset(offset)
    return [row.worker_id for row in connection.execute(ordered)]


def in_scope(connection: Connection, worker_id: str, subtrees: Scope) -> bool:
    """Whether the worker's home is within the subtrees (a worker off the register: only
    for an organisation-wide reader)."""
    if subtrees is None:
        return True
    homes = _homes()
    query = select(homes.c.worker_id).where(
        homes.c.worker_id == worker_id, paths_within(homes.c.unit, subtrees)
    )
    return connection.execute(query).first() is not None


def count(connection: Connection, query: Select[Any]) -> int:
    return int(connection.scalar(select(func.count()).select_from(query.subquery())) or 0)
