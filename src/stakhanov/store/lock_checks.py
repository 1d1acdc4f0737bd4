"""What the check before a lock reads of the crew, set-based: the kinds of work a period holds,
then only the crew rows of the kinds no scale pays (decision 0880); or, for one page of the
check, their counts and the page's rows alone, searched and ordered in SQL (decision 0885).

A crew row is read with its shift (current, dated within the period) and its worker's grade
(None for a worker the ledger does not list), as the domain's Ledger gives them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Column, Connection, MetaData, Table, Text, exists, func, select
from sqlalchemy.sql import Subquery

from stakhanov.domain.periods import Period
from stakhanov.store.ledger import CHUNK, current_query
from stakhanov.store.lists import every_word
from stakhanov.store.records import CREW, SHIFTS, WORKERS

Kind = tuple[str, dt.date, str | None]  # (operation, shift date, worker's grade)
Row = tuple[str, str, str, dt.date, str | None]  # (shift, worker, operation, date, grade)


def _joined(period: Period) -> tuple[Subquery, Subquery, Subquery]:
    """The period's current crew rows, its current shifts and every current worker."""
    crew_table = CREW.table
    shift_table = SHIFTS.table
    # A crew row carries its shift's date (decision 0593): bounding it reads only the
    # period's monthly partitions on PostgreSQL.
    crew = (
        current_query(CREW)
        .order_by(None)
        .where(crew_table.c.shift_date >= period.start, crew_table.c.shift_date <= period.end)
        .subquery()
    )
    shifts = (
        current_query(SHIFTS)
        .order_by(None)
        .where(shift_table.c.date >= period.start, shift_table.c.date <= period.end)
        .subquery()
    )
    workers = current_query(WORKERS).order_by(None).subquery()
    return crew, shifts, workers


def crew_kinds(connection: Connection, period: Period) -> dict[Kind, int]:
    """The distinct (operation, date, grade) of the period's crew rows, what decides whether a
    row can be paid, with how many rows each has. A few hundred kinds where the crew has
    hundreds of thousands of rows (one current row per crew key: an import merges by key)."""
    crew, shifts, workers = _joined(period)
    query = (
        select(crew.c.operation, shifts.c.date, workers.c.grade, func.count())
        .select_from(
            crew.join(shifts, shifts.c.shift_id == crew.c.shift_id).outerjoin(
                workers, workers.c.worker_id == crew.c.worker_id
            )
        )
        .group_by(crew.c.operation, shifts.c.date, workers.c.grade)
    )
    return {(r[0], _date(r[1]), r[2]): int(r[3]) for r in connection.execute(query)}


def crew_rows_of(connection: Connection, period: Period, kinds: Collection[Kind]) -> list[Row]:
    """The period's crew rows of the given kinds, with their dates and grades; unordered.

    Read by operation (a grade may be NULL, which no IN matches), then kept by kind exactly."""
    if not kinds:
        return []
    wanted = set(kinds)
    crew, shifts, workers = _joined(period)
    joined = crew.join(shifts, shifts.c.shift_id == crew.c.shift_id).outerjoin(
        workers, workers.c.worker_id == crew.c.worker_id
    )
    found: list[Row] = []
    operations = sorted({k[0] for k in wanted})
    for start in range(0, len(operations), CHUNK):
        query = (
            select(
                crew.c.shift_id, crew.c.worker_id, crew.c.operation, shifts.c.date, workers.c.grade
            )
            .select_from(joined)
            .where(crew.c.operation.in_(operations[start : start + CHUNK]))
        )
        for r in connection.execute(query):
            date = _date(r.date)
            if (r.operation, date, r.grade) in wanted:
                found.append((r.shift_id, r.worker_id, r.operation, date, r.grade))
    return found


def _date(value: Any) -> dt.date:
    """A date as the driver gives it (SQLite through SQLAlchemy's Date: already a date)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# The unpayable kinds and the work orders' (shift, operation) pairs of one check, held in
# temporary tables for one page of it (decision 0885): a join replaces an IN list that, with no
# scale at all, would name every kind of work of the period. A kind's `words` are what a search
# looks in (`Blocker.words`), with its row's worker and shift marked: SQL puts them in.
WORKER, SHIFT = "\x1fworker\x1f", "\x1fshift\x1f"
_held = MetaData()
UNPAID = Table(
    "lock_check_unpaid",
    _held,
    Column("operation", CREW.table.c.operation.type, nullable=False),
    Column("date", SHIFTS.table.c.date.type, nullable=False),
    Column("grade", WORKERS.table.c.grade.type),
    Column("blocks", Boolean, nullable=False),
    Column("words", Text, nullable=False),
    prefixes=["TEMPORARY"],
)
COVERED = Table(
    "lock_check_covered",
    _held,
    Column("shift_id", CREW.table.c.shift_id.type, primary_key=True),
    Column("operation", CREW.table.c.operation.type, primary_key=True),
    prefixes=["TEMPORARY"],
)


@contextmanager
def holding(
    connection: Connection,
    kinds: Mapping[Kind, tuple[bool, str]],
    covered: Collection[tuple[str, str]],
) -> Iterator[None]:
    """The unpayable kinds (whether each blocks, and its words) and the covered pairs, for
    `covered_counts`, `unpaid_counts` and `unpaid_page` on this connection; dropped after."""
    _drop(connection)
    for table in (UNPAID, COVERED):
        table.create(connection)
    if kinds:
        connection.execute(
            UNPAID.insert(),
            [
                {"operation": o, "date": d, "grade": g, "blocks": b, "words": w}
                for (o, d, g), (b, w) in kinds.items()
            ],
        )
    if covered:
        connection.execute(COVERED.insert(), [{"shift_id": s, "operation": o} for s, o in covered])
    yield
    # Made in the connection's transaction: after an error its rollback takes them away (a
    # drop in a failed PostgreSQL transaction would only hide the error).
    _drop(connection)


def _drop(connection: Connection) -> None:
    """The held tables, if this (pooled) connection has them; never a table of the schema."""
    schema = "pg_temp" if connection.dialect.name == "postgresql" else "temp"
    for table in (UNPAID, COVERED):
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.{table.name}")


def _unpaid(period: Period, covered: bool = False, words: Sequence[str] = ()) -> Subquery:
    """The period's unpayable work held by `holding`, one row per crew key: shift, worker,
    operation, date, grade and whether it blocks; work a work order covers left out (or, with
    `covered`, that work alone); with `words`, only where each is in the row's words."""
    crew, shifts, workers = _joined(period)
    k = UNPAID.c
    joined = (
        crew.join(shifts, shifts.c.shift_id == crew.c.shift_id)
        .outerjoin(workers, workers.c.worker_id == crew.c.worker_id)
        .join(UNPAID, (k.operation == crew.c.operation) & (k.date == shifts.c.date))
    )
    text_ = func.replace(func.replace(k.words, WORKER, crew.c.worker_id), SHIFT, crew.c.shift_id)
    paid_so = exists().where(
        COVERED.c.shift_id == crew.c.shift_id, COVERED.c.operation == crew.c.operation
    )
    return (
        select(
            crew.c.shift_id,
            crew.c.worker_id,
            crew.c.operation,
            shifts.c.date,
            workers.c.grade,
            k.blocks,
        )
        .select_from(joined)
        .where(k.grade.is_not_distinct_from(workers.c.grade), paid_so if covered else ~paid_so)
        .where(*every_word([text_], words))
        .subquery()
    )


def unpaid_counts(connection: Connection, period: Period, words: Sequence[str]) -> dict[bool, int]:
    """How many rows of held unpayable work have every word, by whether they block."""
    return _counts(connection, _unpaid(period, words=words))


def covered_counts(connection: Connection, period: Period) -> dict[bool, int]:
    """How many crew rows of held unpayable kinds a work order covers, by whether they block:
    what `crew_kinds`' counts hold that the check leaves out."""
    return _counts(connection, _unpaid(period, covered=True))


def _counts(connection: Connection, unpaid: Subquery) -> dict[bool, int]:
    query = select(unpaid.c.blocks, func.count()).group_by(unpaid.c.blocks)
    found = {True: 0, False: 0}
    found.update({bool(blocks): int(n) for blocks, n in connection.execute(query)})
    return found


def unpaid_page(
    connection: Connection,
    period: Period,
    blocks: bool | None,
    words: Sequence[str],
    offset: int,
    limit: int | None,
) -> list[Row]:
    """`limit` crew keys of held unpayable work after `offset`, in crew key order (as Python
    compares text); only those that block, or that do not, when `blocks` says; only those with
    every word."""
    unpaid = _unpaid(period, words=words)
    c = unpaid.c
    key = [_by_code_point(connection, k) for k in (c.shift_id, c.worker_id, c.operation)]
    query = (
        select(c.shift_id, c.worker_id, c.operation, c.date, c.grade)
        .order_by(*key)
        .limit(limit)
        .offset(offset or None)
    )
    if blocks is not None:
        query = query.where(c.blocks == blocks)
    return [
        (r.shift_id, r.worker_id, r.operation, _date(r.date), r.grade)
        for r in connection.execute(query)
    ]


def _by_code_point(connection: Connection, column: Any) -> Any:
    """Text ordered as Python orders str (PostgreSQL's default follows the locale)."""
    return column.collate("C") if connection.dialect.name == "postgresql" else column
