"""What the check before a lock reads of the crew, set-based: the kinds of work a period holds,
then only the crew rows of the kinds no scale pays (decision 0880).

A crew row is read with its shift (current, dated within the period) and its worker's grade
(None for a worker the ledger does not list), as the domain's Ledger gives them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql import Subquery

from stakhanov.domain.periods import Period
from stakhanov.store.ledger import CHUNK, current_query
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


def crew_kinds(connection: Connection, period: Period) -> list[Kind]:
    """The distinct (operation, date, grade) of the period's crew rows: what decides whether
    a row can be paid. A few hundred rows where the crew has hundreds of thousands."""
    crew, shifts, workers = _joined(period)
    query = (
        select(crew.c.operation, shifts.c.date, workers.c.grade)
        .select_from(
            crew.join(shifts, shifts.c.shift_id == crew.c.shift_id).outerjoin(
                workers, workers.c.worker_id == crew.c.worker_id
            )
        )
        .distinct()
    )
    return [(r.operation, _date(r.date), r.grade) for r in connection.execute(query)]


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
