"""The read model's month sums: replacing and reading worker-months and unit shift counts.

Numbers are text as in read_results; services.read_sums computes them set-based (DuckDB), with
the domain's sums where the engine cannot stay exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Table, delete, exists, func, insert, select, text

from stakhanov.domain.units import is_within
from stakhanov.store.frames import after, fetch, literal
from stakhanov.store.read_model import (
    INSERT_CHUNK,
    ROW_COLUMNS,
    Stored,
    as_dicts,
    insert_rows,
    one_of,
    paths_within,
    replace_keyed,
    within_text,
)
from stakhanov.store.read_model_tables import (
    read_home_days,
    read_home_months,
    read_months,
    read_results,
    read_unit_day_shifts,
    read_unit_shifts,
    read_worker_days,
)
from stakhanov.store.types import stored_date

CHUNK = 500  # keys per IN list

Key = tuple[str | None, ...]


_KEYS = (
    "SELECT row_id AS entry_id, shift_id, CAST(date AS TEXT) AS date, worker_id, home,"
    " operation, unit FROM read_results WHERE "
)


def keys_frame(
    connection: Connection, shifts_sql: str | None, month: tuple[dt.date, dt.date] | None = None
) -> pa.Table:
    """(shift, date, worker, home, operation, unit) of the stored rows of the shifts (or of the
    days [start, end] of `month`) as Arrow text columns, without a Python object per row."""
    if shifts_sql is not None:
        where = f"shift_id IN ({shifts_sql})"
    else:
        assert month is not None
        where = f"date >= '{month[0].isoformat()}' AND date <= '{month[1].isoformat()}'"
    return fetch(connection, _KEYS + where + after(connection, "row_id"))


def month_frame(
    connection: Connection, start: dt.date, end: dt.date, workers: Sequence[str] | None
) -> pa.Table:
    """The stored results of [start, end] as Arrow text columns: of the workers (by their
    index, a list of them at a time), or every row (None)."""
    sql = (
        f"SELECT {ROW_COLUMNS} FROM read_results"
        f" WHERE date >= '{start.isoformat()}' AND date <= '{end.isoformat()}'"
    )
    end_sql = after(connection, "row_id")
    if workers is None:
        return fetch(connection, sql + end_sql)
    parts = [fetch(connection, sql + " AND false" + end_sql)]  # the columns, when no worker
    for i in range(0, len(workers), CHUNK):
        listed = ", ".join(literal(w) for w in workers[i : i + CHUNK])
        parts.append(fetch(connection, f"{sql} AND worker_id IN ({listed}){end_sql}"))
    return pa.concat_tables(parts)


def only_shifts_in_month(
    connection: Connection, start: dt.date, end: dt.date, shifts_sql: str, most: int
) -> bool:
    """Whether every stored result of [start, end] is of the shifts `shifts_sql` selects, and
    there are at most `most` of them (a month a refresh may sum whole)."""
    c = read_results.c
    within = (c.date >= start, c.date <= end)
    outside = select(c.row_id).where(*within, text(f"shift_id NOT IN ({shifts_sql})")).limit(1)
    if connection.execute(outside).first() is not None:
        return False
    held = select(c.row_id).where(*within).limit(most + 1).subquery()
    return int(connection.scalar(select(func.count()).select_from(held)) or 0) <= most


def rows_of_worker_months(
    connection: Connection, start: dt.date, end: dt.date, workers: Sequence[str]
) -> list[dict[str, Any]]:
    """The stored results of [start, end] of the workers."""
    c = read_results.c
    found: list[dict[str, Any]] = []
    for i in range(0, len(workers), CHUNK):
        query = select(read_results).where(
            c.date >= start, c.date <= end, c.worker_id.in_(list(workers[i : i + CHUNK]))
        )
        found.extend(dict(r._mapping) for r in connection.execute(query))
    return found


def rows_of_homes(
    connection: Connection, start: dt.date, end: dt.date, homes: Sequence[str]
) -> list[dict[str, Any]]:
    """The stored results of [start, end] of workers at home in exactly these units."""
    c = read_results.c
    found: list[dict[str, Any]] = []
    for i in range(0, len(homes), CHUNK):
        query = select(read_results).where(
            c.date >= start, c.date <= end, c.home.in_(list(homes[i : i + CHUNK]))
        )
        found.extend(dict(r._mapping) for r in connection.execute(query))
    return found


def workers_of_month(connection: Connection, start: dt.date, end: dt.date) -> list[str]:
    """Every worker with a stored result in [start, end], sorted."""
    c = read_results.c
    query = select(c.worker_id).where(c.date >= start, c.date <= end).distinct()
    return sorted(connection.scalars(query))


def months_held(connection: Connection) -> list[dt.date]:
    """The first day of every month the read model holds a result in."""
    days = connection.scalars(select(read_results.c.date).distinct())
    return sorted({stored_date(d).replace(day=1) for d in days})


def replace_worker_months(
    connection: Connection,
    pairs: Iterable[tuple[str, dt.date]] | None,
    rows: Sequence[Stored],
) -> None:
    """Delete the month sums of each (worker, month) (None: all), insert `rows`."""
    c = read_months.c
    replace_keyed(connection, read_months, (c.worker_id, c.month), pairs, rows)


def replace_worker_days(
    connection: Connection,
    month: tuple[dt.date, dt.date] | None,
    workers: Sequence[str] | None,
    rows: Sequence[Stored],
) -> None:
    """Delete the day sums of the workers (None: all) in the month's days (None: every day),
    insert `rows`."""
    c = read_worker_days.c
    if month is None:
        connection.execute(delete(read_worker_days))
    else:
        days = delete(read_worker_days).where(c.date >= month[0], c.date <= month[1])
        if workers is None:
            connection.execute(days)
        for i in range(0, len(workers or []), CHUNK):
            part = list(workers or [])[i : i + CHUNK]
            connection.execute(days.where(c.worker_id.in_(part)))
    insert_rows(connection, read_worker_days, rows)


def replace_home_sums(
    connection: Connection,
    pairs: Iterable[tuple[dt.date, str]] | None,
    rows: Sequence[Stored],
    days: bool = False,
) -> None:
    """Delete the home sums of each (month, home) (with `days`, (date, home); None: all),
    insert `rows`."""
    table, when = _grain(read_home_days, read_home_months, days)
    replace_keyed(connection, table, (when, table.c.home), pairs, rows)


def add_unit_shifts(
    connection: Connection,
    deltas: Mapping[tuple[dt.date, str, str, str | None], int],
    days: bool = False,
) -> None:
    """Add each count to the unit-month's (with `days`, the unit-day's) distinct shifts; a row
    that reaches 0 goes."""
    table, when = _grain(read_unit_day_shifts, read_unit_shifts, days)
    c = table.c
    changed = {k: v for k, v in deltas.items() if v}
    listed = sorted(changed, key=lambda k: (k[0], k[1], k[2], k[3] or ""))
    held: dict[tuple[dt.date, str, str, str | None], tuple[int, int]] = {}
    for i in range(0, len(listed), CHUNK):
        part = {(m, u) for m, u, _, _ in listed[i : i + CHUNK]}
        query = select(c.row_id, when, c.unit_path, c.operation, c.unit, c.shifts).where(
            one_of((when, c.unit_path), sorted(part))
        )
        for r in connection.execute(query):
            month = stored_date(r[1])
            held[(month, r.unit_path, r.operation, r.unit)] = (r.row_id, r.shifts)
    fresh = []
    for key in listed:
        row_id, shifts = held.get(key, (None, 0))
        total = shifts + changed[key]
        if row_id is not None:
            connection.execute(delete(table).where(c.row_id == row_id))
        if total:
            month, path, operation, unit = key
            fresh.append(
                {
                    when.name: month,
                    "unit_path": path,
                    "operation": operation,
                    "unit": unit,
                    "shifts": total,
                }
            )
    for i in range(0, len(fresh), INSERT_CHUNK):
        connection.execute(insert(table), fresh[i : i + INSERT_CHUNK])


def clear_unit_shifts(connection: Connection) -> None:
    connection.execute(delete(read_unit_shifts))
    connection.execute(delete(read_unit_day_shifts))


def _grain(by_day: Table, by_month: Table, days: bool) -> tuple[Table, Any]:
    """The sums' table at the grain asked (a day's or a month's) and its date column."""
    table = by_day if days else by_month
    return table, table.c.date if days else table.c.month


def month_rows(
    connection: Connection,
    months: tuple[dt.date, dt.date],
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
    days: bool = False,
) -> list[dict[str, Any]]:
    """The worker-month sums of the months (with `days`, the worker-day sums of the days
    [first, last]), of homes within the subtrees or of one worker."""
    table, when = _grain(read_worker_days, read_months, days)
    c = table.c
    query = select(table).where(when >= months[0], when <= months[1])
    if worker_id is not None:  # the (worker, date) index finds one worker's few sums
        query = query.where(c.worker_id == worker_id)
    elif within is not None:  # the (home, date) index, a home at a time
        query = query.where(c.home.in_(homes_within(connection, months, within, days)))
    # No order: the sums are exact in any order, and the planner may read by the date index.
    found = as_dicts(connection.execute(query))
    if worker_id is None or within is None:
        return found
    # One worker's few sums kept by their homes here: as a condition in SQL, the range of
    # homes could lead SQLite to read every home's sums of the dates instead.
    return [r for r in found if any(is_within(r["home"], s) for s in within)]


def home_rows(
    connection: Connection,
    months: tuple[dt.date, dt.date],
    within: Sequence[str] | None = None,
    days: bool = False,
) -> list[dict[str, Any]]:
    """The home sums of the months (with `days`, of the days [first, last]), of homes within
    the subtrees (None: all): a row per home, operation and unit of measure each month (day)."""
    table, when = _grain(read_home_days, read_home_months, days)
    c = table.c
    query = select(table).where(when >= months[0], when <= months[1])
    if within is not None:  # the (home, date) index, a home at a time
        query = query.where(c.home.in_(homes_within(connection, months, within, days)))
    return as_dicts(connection.execute(query))


def home_frame(
    connection: Connection, months: tuple[dt.date, dt.date], within: Sequence[str] | None
) -> pa.Table:
    """home_rows of the months as Arrow text columns (date: the month, home, hours: the normed
    hours, earned and fair numerators and denominators), without a Python object per row; the
    homes within the subtrees are those `_homes` reads, here a subquery."""
    first, last = (f"'{m.isoformat()}'" for m in months)
    sql = (
        "SELECT row_id AS entry_id, CAST(month AS TEXT) AS date, home, normed_hours AS hours,"
        " earned_num, earned_den, fair_num, fair_den FROM read_home_months"
        f" WHERE month >= {first} AND month <= {last}"
    )
    sql += _homes_within(connection, "read_unit_shifts", "month", (first, last), within)
    return fetch(connection, sql + after(connection, "row_id"))


def _homes_within(
    connection: Connection,
    counts: str,
    when: str,
    span: tuple[str, str],
    within: Sequence[str] | None,
) -> str:
    """SQL: ` AND home IN (...)` the units within the subtrees that the unit shift counts
    `counts` hold over the span of `when` (quoted literals); nothing for every home."""
    if within is None:
        return ""
    first, last = span
    scoped = within_text("unit_path", within, connection.dialect.name)
    return (
        f" AND home IN (SELECT unit_path FROM {counts}"
        f" WHERE {when} >= {first} AND {when} <= {last} AND ({scoped}))"
    )


def home_days_frame(
    connection: Connection, days: tuple[dt.date, dt.date], within: Sequence[str] | None
) -> pa.Table:
    """home_rows of the days [first, last] as Arrow text columns (home, operation, unit and the
    sums as stored), without a Python object per row; the homes within the subtrees are those
    `homes_within` reads, here a subquery."""
    first, last = (f"'{d.isoformat()}'" for d in days)
    sql = (
        "SELECT row_id AS entry_id, home, operation, unit, hours, output, normed_hours,"
        " norm_output_num, norm_output_den, earned_num, earned_den, fair_num, fair_den"
        f" FROM read_home_days WHERE date >= {first} AND date <= {last}"
    )
    sql += _homes_within(connection, "read_unit_day_shifts", "date", (first, last), within)
    # `+row_id`: SQLite then reads the days by the (date, home) index, not every row by row_id.
    return fetch(connection, sql + after(connection, "+row_id"))


def unit_day_shifts(
    connection: Connection, days: tuple[dt.date, dt.date], scope: str | None
) -> dict[tuple[str, str, str | None], int]:
    """Distinct shifts per (unit, operation, unit of measure) over the days [first, last],
    summed in SQL (integers, exact on both databases), of the units within the scope (None:
    every unit)."""
    c = read_unit_day_shifts.c
    query = select(c.unit_path, c.operation, c.unit, func.sum(c.shifts)).where(
        c.date >= days[0], c.date <= days[1]
    )
    if scope is not None:
        query = query.where(paths_within(c.unit_path, [scope]))
    found = connection.execute(query.group_by(c.unit_path, c.operation, c.unit))
    return {(path, operation, unit): int(n) for path, operation, unit, n in found}


def homes_within(
    connection: Connection, months: tuple[dt.date, dt.date], within: Sequence[str], days: bool
) -> list[str]:
    """The units within the subtrees with a shift counted in the span: every home of a sum
    there among them (a unit's counts include its home's), read from the few unit counts."""
    table, when = _grain(read_unit_day_shifts, read_unit_shifts, days)
    c = table.c
    query = select(c.unit_path).where(
        when >= months[0], when <= months[1], paths_within(c.unit_path, within)
    )
    return sorted(set(connection.scalars(query.distinct())))


def unit_shift_rows(
    connection: Connection,
    months: tuple[dt.date, dt.date],
    paths: Sequence[str] | None = None,
    days: bool = False,
) -> list[dict[str, Any]]:
    """Distinct shifts per unit-month of the months (with `days`, per unit-day of the days),
    of the unit paths, if named."""
    table, when = _grain(read_unit_day_shifts, read_unit_shifts, days)
    c = table.c
    query = select(c.unit_path, c.operation, c.unit, c.shifts).where(
        when >= months[0], when <= months[1]
    )
    if paths is not None:
        query = query.where(c.unit_path.in_(list(paths)))
    return as_dicts(connection.execute(query))


def is_stale(connection: Connection) -> bool:
    """True when the read model holds results but no month or day sums, per worker or per
    home (filled before they were)."""
    held = connection.scalar(select(exists(select(read_results.c.row_id))))
    summed = connection.scalar(select(exists(select(read_months.c.row_id))))
    by_day = connection.scalar(select(exists(select(read_worker_days.c.row_id))))
    homes = connection.scalar(select(exists(select(read_home_months.c.row_id))))
    home_days = connection.scalar(select(exists(select(read_home_days.c.row_id))))
    return bool(held) and not (summed and by_day and homes and home_days)
