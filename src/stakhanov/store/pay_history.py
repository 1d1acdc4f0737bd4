"""What earlier periods tell pay: a worker's hours of work by day, and who was idle through
the employer's fault (domain/average_wage.py, domain/period_overtime.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, and_, select

from stakhanov.domain.timesheets import IdleCause, TimeKind
from stakhanov.store.ledger import current_query
from stakhanov.store.records import CREW, SHIFTS, TIME

CHUNK = 500
Worked = dict[str, dict[dt.date, Decimal]]


def worked_hours(
    connection: Connection, first: dt.date, last: dt.date, workers: Iterable[str] | None = None
) -> Worked:
    """Hours of work by worker and day from `first` to `last`: crew rows of current shifts and
    hourly time entries (idle, rest and non-productive time are not work). Summed here in
    Decimal, exactly, as the domain sums them."""
    shifts = current_query(SHIFTS).subquery()
    crew = current_query(CREW).subquery()
    time = current_query(TIME).subquery()
    in_crew = (
        select(crew.c.worker_id, shifts.c.date, crew.c.hours)
        .join(shifts, shifts.c.shift_id == crew.c.shift_id)
        .where(and_(shifts.c.date >= first, shifts.c.date <= last))
    )
    hourly = select(time.c.worker_id, time.c.date, time.c.hours).where(
        and_(time.c.date >= first, time.c.date <= last, time.c.kind == TimeKind.HOURLY.value)
    )
    queries = [(in_crew, crew.c.worker_id), (hourly, time.c.worker_id)]
    chosen = None if workers is None else sorted(set(workers))
    found: Worked = defaultdict(lambda: defaultdict(Decimal))
    chunks: list[list[str] | None] = [None]
    if chosen is not None:
        chunks = [chosen[i : i + CHUNK] for i in range(0, len(chosen), CHUNK)]
    for query, who in queries:
        for chunk in chunks:
            narrowed = query if chunk is None else query.where(who.in_(chunk))
            for worker_id, day, hours in connection.execute(narrowed):
                found[worker_id][day] += hours
    return {w: dict(days) for w, days in found.items()}


def idle_through_employer(connection: Connection, first: dt.date, last: dt.date) -> set[str]:
    """The workers with idle time through the employer's fault between two days."""
    time = TIME.table
    query = (
        current_query(TIME)
        .with_only_columns(time.c.worker_id)
        .where(
            and_(
                time.c.date >= first,
                time.c.date <= last,
                time.c.kind == TimeKind.IDLE.value,
                time.c.cause == IdleCause.EMPLOYER.value,
            )
        )
        .order_by(None)
        .distinct()
    )
    return set(connection.execute(query).scalars())
