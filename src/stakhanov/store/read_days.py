"""The read model's day sums: normed results per day and home unit, measured output per day
and workplace (decision 0596). Numbers are text, exact, as in read_results.

services.read_sums computes the results' sums set-based; the output sums are one GROUP BY of
the ledger's current outputs at the days and workplaces a write touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, delete, exists, select

from stakhanov.domain.values import STORED_PLACES
from stakhanov.store.frames import after, fetch, literal
from stakhanov.store.read_model import (
    ROW_COLUMNS,
    as_dicts,
    homes_within,
    homes_within_text,
    replace_keyed,
)
from stakhanov.store.read_model_tables import read_days, read_output_days, read_results
from stakhanov.store.types import SCALE, stored_date

CHUNK = 500  # keys per IN list
Day = tuple[dt.date, str]  # a date and a home unit


def homes_frame(
    connection: Connection, first: dt.date, last: dt.date, homes: Sequence[str]
) -> pa.Table:
    """The stored results of [first, last] of workers at home in exactly these units, as
    Arrow text columns (a list of homes at a time)."""
    sql = (
        f"SELECT {ROW_COLUMNS} FROM read_results"
        f" WHERE date >= '{first.isoformat()}' AND date <= '{last.isoformat()}'"
    )
    end_sql = after(connection, "row_id")
    parts = [fetch(connection, sql + " AND false" + end_sql)]  # the columns
    for i in range(0, len(homes), CHUNK):
        listed = ", ".join(literal(h) for h in homes[i : i + CHUNK])
        parts.append(fetch(connection, f"{sql} AND home IN ({listed}){end_sql}"))
    return pa.concat_tables(parts)


def replace_days(
    connection: Connection, days: Iterable[Day] | None, rows: Sequence[dict[str, Any]]
) -> None:
    """Delete the sums of each (date, home) (None: all), insert `rows`."""
    replace_keyed(connection, read_days, (read_days.c.date, read_days.c.home), days, rows)


def day_rows(
    connection: Connection, start: dt.date, end: dt.date, within: Sequence[str] | None
) -> list[dict[str, Any]]:
    """The day sums of [start, end] of homes within the subtrees (None: all)."""
    c = read_days.c
    query = select(read_days).where(c.date >= start, c.date <= end)
    if within is not None:
        query = query.where(homes_within(c.home, within))
    found = connection.execute(query.order_by(c.date, c.row_id))
    return [{**r, "date": stored_date(r["date"])} for r in as_dicts(found)]


def days_frame(
    connection: Connection, start: dt.date, end: dt.date, within: Sequence[str] | None
) -> pa.Table:
    """day_rows as Arrow text columns (date, home, hours, earned and fair numerators and
    denominators), without a Python object per row: the trend sums them set-based."""
    sql = (
        "SELECT row_id AS entry_id, CAST(date AS TEXT) AS date, home, hours, earned_num,"
        " earned_den, fair_num, fair_den FROM read_days"
        f" WHERE date >= '{start.isoformat()}' AND date <= '{end.isoformat()}'"
    )
    if within is not None:
        sql += f" AND {homes_within_text(within, connection.dialect.name)}"
    return fetch(connection, sql + after(connection, "row_id"))


# Shifts first, then their outputs by shift_id: the unary + keeps SQLite (without statistics
# inside the import's transaction) from reading every entry through the index of `reverses`.
# The sum is written as text at its longest scale by the database itself (no Python row).
_OUTPUTS = """
INSERT INTO read_output_days (date, workplace, operation, unit, quantity)
SELECT s.date, s.workplace, o.operation, o.unit,
       {quantity}
FROM shift_entries s CROSS JOIN output_entries o
WHERE o.shift_id = s.shift_id AND {chosen}
  AND +s.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM shift_entries r
      WHERE r.reverses = s.entry_id AND r.reverses IS NOT NULL)
  AND +o.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM output_entries r
      WHERE r.reverses = o.entry_id AND r.reverses IS NOT NULL)
GROUP BY s.date, s.workplace, o.operation, o.unit
"""


def quantity_text(connection: Connection) -> str:
    """SQL: the exact sum of the outputs `o` at the longest scale written, as text (as
    Python's Decimal adds them; `quantity_places` is never NULL for an output). NUMERIC rounds
    to that scale on PostgreSQL; SQLite's integer micro-units are cut into digits."""
    if connection.dialect.name == "postgresql":
        return "CAST(round(sum(o.quantity), max(o.quantity_places)) AS TEXT)"
    total, places = "sum(o.quantity)", "max(o.quantity_places)"
    return (
        f"CASE WHEN {total} < 0 THEN '-' ELSE '' END || (abs({total}) / {SCALE})"
        f" || CASE WHEN {places} > 0 THEN '.' || substr(printf('%0{STORED_PLACES}d',"
        f" abs({total}) % {SCALE}), 1, {places}) ELSE '' END"
    )


def replace_outputs(connection: Connection, shifts_sql: str | None) -> None:
    """Sum the current measured output again at every (date, workplace) the shifts had or
    have (None: everywhere), in SQL on the exact columns; the sum keeps its longest scale.
    One DELETE and one INSERT ... SELECT: the places are never listed in Python."""
    quantity = quantity_text(connection)
    if shifts_sql is None:
        connection.execute(delete(read_output_days))
        connection.exec_driver_sql(_OUTPUTS.format(quantity=quantity, chosen="true"))
        return
    of_shifts = f"FROM shift_entries WHERE shift_id IN ({shifts_sql})"
    # each in its index's column order: (date, workplace) here, (workplace, date) in the ledger
    gone = f"(date, workplace) IN (SELECT date, workplace {of_shifts})"
    connection.exec_driver_sql(f"DELETE FROM read_output_days WHERE {gone}")
    chosen = f"(s.workplace, s.date) IN (SELECT workplace, date {of_shifts})"
    connection.exec_driver_sql(_OUTPUTS.format(quantity=quantity, chosen=chosen))


def output_rows(
    connection: Connection, start: dt.date, end: dt.date
) -> list[tuple[dt.date, str, str, str, Decimal]]:
    """(date, workplace, operation, unit, quantity) of the measured output of [start, end]."""
    c = read_output_days.c
    query = select(c.date, c.workplace, c.operation, c.unit, c.quantity).where(
        c.date >= start, c.date <= end
    )
    return [
        (stored_date(r.date), r.workplace, r.operation, r.unit, Decimal(r.quantity))
        for r in connection.execute(query.order_by(c.date, c.row_id))
    ]


def is_stale(connection: Connection) -> bool:
    """True when the read model holds results but no day sums (filled before they were)."""
    held = connection.scalar(select(exists(select(read_results.c.row_id))))
    summed = connection.scalar(select(exists(select(read_days.c.row_id))))
    return bool(held) and not summed
