"""Ordinary work kept per month (decision 0899): per worker and operation, and a home's
distinct shifts, written when a refresh sums a worker-month or a home-month again, and read
by a whole-month honour board a row per worker (home) and operation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, delete, exists, select

from stakhanov.store.frames import after, fetch, literal
from stakhanov.store.read_model import (
    KEYS_AT_ONCE,
    ORDINARY_COLUMNS,
    Stored,
    as_dicts,
    homes_within_text,
    insert_rows,
)
from stakhanov.store.read_model_tables import (
    read_ordinary_months,
    read_ordinary_shifts,
    read_results,
)

_ORDINARY = "earned_num IS NOT NULL AND NOT prepared"  # a normed result of a standard shift


def _span(start: dt.date, end: dt.date) -> str:
    return f"date >= '{start.isoformat()}' AND date <= '{end.isoformat()}'"


def _listed(column: str, values: Sequence[str]) -> Iterable[str]:
    for i in range(0, len(values), KEYS_AT_ONCE):
        yield f"{column} IN ({', '.join(literal(v) for v in values[i : i + KEYS_AT_ONCE])})"


def is_missing(connection: Connection) -> bool:
    """True when ordinary results are stored but nothing is kept of them (a database from
    before revision 0052)."""
    held = select(read_results.c.row_id).where(
        read_results.c.earned_num.is_not(None), read_results.c.prepared.is_(False)
    )
    kept = connection.scalar(select(exists(select(read_ordinary_shifts.c.row_id))))
    return bool(connection.scalar(select(exists(held)))) and not kept


def clear(connection: Connection) -> None:
    connection.execute(delete(read_ordinary_months))
    connection.execute(delete(read_ordinary_shifts))


def months_held(connection: Connection) -> list[dt.date]:
    """The first day of every month with an ordinary result."""
    sql = f"SELECT DISTINCT date FROM read_results WHERE {_ORDINARY}"
    return sorted({_date(d).replace(day=1) for (d,) in connection.exec_driver_sql(sql)})


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def workers_of(connection: Connection, start: dt.date, end: dt.date) -> list[str]:
    """Every worker with an ordinary result in [start, end], in order."""
    sql = f"SELECT DISTINCT worker_id FROM read_results WHERE {_span(start, end)} AND {_ORDINARY}"
    return sorted(r[0] for r in connection.exec_driver_sql(sql))


def ordinary_rows(
    connection: Connection, start: dt.date, end: dt.date, workers: Sequence[str]
) -> pa.Table:
    """The workers' normed results of standard shifts of [start, end] (ordinary_frame's
    columns), by the (worker_id, date) index, a list of workers at a time."""
    date = "+date" if connection.dialect.name == "sqlite" else "date"
    sql = (
        f"SELECT {ORDINARY_COLUMNS} FROM read_results WHERE {date} >= '{start.isoformat()}'"
        f" AND {date} <= '{end.isoformat()}' AND {_ORDINARY}"
    )
    end_sql = after(connection, "row_id")
    parts = [fetch(connection, f"{sql} AND false{end_sql}")]  # the columns, when no worker
    parts += [
        fetch(connection, f"{sql} AND {cond}{end_sql}") for cond in _listed("worker_id", workers)
    ]
    return pa.concat_tables(parts)


def shift_frame(
    connection: Connection, start: dt.date, end: dt.date, shift_ids: Sequence[str]
) -> pa.Table:
    """The ordinary results of the shifts in [start, end] (ordinary_frame's columns), by the
    shift index, a list of shifts at a time."""
    sql = f"SELECT {ORDINARY_COLUMNS} FROM read_results WHERE {_span(start, end)} AND {_ORDINARY}"
    end_sql = after(connection, "row_id")
    parts = [fetch(connection, f"{sql} AND false{end_sql}")]
    parts += [
        fetch(connection, f"{sql} AND {cond}{end_sql}") for cond in _listed("shift_id", shift_ids)
    ]
    return pa.concat_tables(parts)


def shifts_listed(shift_ids: Sequence[str]) -> str:
    """SQL: the shift ids listed, as what `shift_id IN (...)` reads (both databases)."""
    return "VALUES " + ", ".join(f"({literal(s)})" for s in shift_ids or [""])


def worked_by_any(start: dt.date, end: dt.date, workers: Sequence[str]) -> str:
    """SQL: ids of [start, end]'s shifts where any of the workers has a result."""
    listed = " OR ".join(_listed("worker_id", workers)) or "false"
    return f"SELECT DISTINCT shift_id FROM read_results WHERE ({listed}) AND {_span(start, end)}"


def homes_of(
    connection: Connection, start: dt.date, end: dt.date, workers: Sequence[str]
) -> dict[str, str]:
    """Each worker's home unit as his stored results of [start, end] keep it."""
    found: dict[str, str] = {}
    for cond in _listed("worker_id", workers):
        sql = "SELECT DISTINCT worker_id, home FROM read_results"
        found.update(
            dict(connection.exec_driver_sql(f"{sql} WHERE {cond} AND {_span(start, end)}").all())
        )
    return found


def replace_workers(
    connection: Connection, month: dt.date, workers: Sequence[str] | None, rows: Sequence[Stored]
) -> None:
    """Replace the kept tallies of the workers' month (None: of everyone)."""
    t = read_ordinary_months
    if workers is None:
        connection.execute(delete(t).where(t.c.month == month))
    for i in range(0, len(workers or ()), KEYS_AT_ONCE):
        part = list(workers or ())[i : i + KEYS_AT_ONCE]
        connection.execute(delete(t).where(t.c.month == month, t.c.worker_id.in_(part)))
    insert_rows(connection, t, rows)


def replace_homes(connection: Connection, month: dt.date, homes: Sequence[str] | None) -> None:
    """Count the distinct ordinary shifts of the homes' month again (None: of every home), per
    operation and over all ('')."""
    t = read_ordinary_shifts
    end = _month_end(month)
    conditions = ["true"] if homes is None else list(_listed("home", homes))
    if homes is None:
        connection.execute(delete(t).where(t.c.month == month))
    else:
        for i in range(0, len(homes), KEYS_AT_ONCE):
            part = list(homes[i : i + KEYS_AT_ONCE])
            connection.execute(delete(t).where(t.c.month == month, t.c.home.in_(part)))
    for cond in conditions:
        for operation in ("operation", "''"):
            group = "home, operation" if operation == "operation" else "home"
            connection.exec_driver_sql(
                "INSERT INTO read_ordinary_shifts (month, home, operation, shifts)"
                f" SELECT '{month.isoformat()}', home, {operation}, count(DISTINCT shift_id)"
                f" FROM read_results WHERE {_span(month, end)} AND {_ORDINARY} AND {cond}"
                f" GROUP BY {group}"
            )


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _in_months(months: tuple[dt.date, dt.date]) -> str:
    return f"month >= '{months[0].isoformat()}' AND month <= '{months[1].isoformat()}'"


def worker_months(
    connection: Connection,
    months: tuple[dt.date, dt.date],
    within: str,
    operation: str | None,
    whole_only: bool = False,
) -> list[dict[str, Any]]:
    """The kept tallies of the months of the workers at home within the unit, of one operation
    (and all, '') or of every operation and all when None; `whole_only`: only the operation's
    (all's when None)."""
    sql = (
        "SELECT * FROM read_ordinary_months"
        f" WHERE {_in_months(months)} AND {homes_within_text([within], connection.dialect.name)}"
    )
    if whole_only:
        sql += f" AND operation = {literal(operation or '')}"
    elif operation is not None:
        sql += f" AND operation IN ({literal(operation)}, '')"
    return as_dicts(connection.exec_driver_sql(sql))


def home_shifts(
    connection: Connection, months: tuple[dt.date, dt.date], within: str, operation: str | None
) -> dict[str, int]:
    """Distinct ordinary shifts per home within the unit over the months, of the operation
    (None: of every operation)."""
    sql = (
        "SELECT home, sum(shifts) FROM read_ordinary_shifts"
        f" WHERE {_in_months(months)} AND {homes_within_text([within], connection.dialect.name)}"
        f" AND operation = {literal(operation or '')} GROUP BY home"
    )
    return {home: int(n) for home, n in connection.exec_driver_sql(sql)}


def shift_rows(connection: Connection, shift_ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """(shift, worker, home, operation) of the ordinary results of the shifts."""
    found: list[tuple[str, str, str, str]] = []
    for cond in _listed("shift_id", shift_ids):
        sql = (
            "SELECT shift_id, worker_id, home, operation FROM read_results"
            f" WHERE {cond} AND {_ORDINARY}"
        )
        found += [(r[0], r[1], r[2], r[3]) for r in connection.exec_driver_sql(sql)]
    return found
