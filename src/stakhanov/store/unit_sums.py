"""The unit sums' queries (decision 0898): a row per unit (every ancestor of a home) and month
per operation, and over all operations per month and per day.

Kept by services/unit_sums.py, which adds what each home sum's replacement changed; read a
page at a time, searched, sorted and counted in SQL, so that the overview costs the rows it
shows, not the brigades below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, exists, func, select

from stakhanov.store.lists import every_word
from stakhanov.store.read_model import (
    KEYS_AT_ONCE,
    Stored,
    as_dicts,
    one_of,
    paths_within,
    replace_keyed,
)
from stakhanov.store.read_model_tables import (
    read_days,
    read_home_months,
    read_unit_months,
    read_unit_shifts,
    read_unit_total_days,
    read_unit_totals,
)
from stakhanov.store.types import stored_date

Key = tuple[dt.date, str]  # the month or day, and a home's or a unit's path
# The unit sums by what they hold: per operation and month, over all operations per month
# and per day.
TABLES = {"operations": read_unit_months, "totals": read_unit_totals, "days": read_unit_total_days}


def columns(kind: str) -> list[str]:
    """The columns, less the row id, of the home sums (`home_months`, `home_days`) whose rows
    the read model writes as tuples in this order."""
    table = read_home_months if kind == "home_months" else read_days
    return [c.name for c in table.columns if c.name != "row_id"]


def _when(table: Any) -> Any:
    return table.c.date if "date" in table.c else table.c.month


def _keyed(
    connection: Connection, table: Any, column: Any, keys: Iterable[Key]
) -> list[dict[str, Any]]:
    """The rows of `table` whose (date or month, `column`) is one of the keys, with dates."""
    when = _when(table)
    listed = sorted(set(keys))
    found: list[dict[str, Any]] = []
    for i in range(0, len(listed), KEYS_AT_ONCE):
        part = listed[i : i + KEYS_AT_ONCE]
        found += as_dicts(connection.execute(select(table).where(one_of((when, column), part))))
    for row in found:
        row[when.name] = stored_date(row[when.name])
    return found


def home_months(connection: Connection, keys: Iterable[Key] | None) -> list[dict[str, Any]]:
    """The home sums of each (month, home) (None: every one)."""
    if keys is None:
        return _dated(as_dicts(connection.execute(select(read_home_months))), "month")
    return _keyed(connection, read_home_months, read_home_months.c.home, keys)


def home_days(connection: Connection, keys: Iterable[Key] | None) -> list[dict[str, Any]]:
    """The day sums (read_days) of each (date, home) (None: every one)."""
    if keys is None:
        return _dated(as_dicts(connection.execute(select(read_days))), "date")
    return _keyed(connection, read_days, read_days.c.home, keys)


def _dated(rows: list[dict[str, Any]], when: str) -> list[dict[str, Any]]:
    for row in rows:
        row[when] = stored_date(row[when])
    return list(rows)


def held(connection: Connection, kind: str, keys: Iterable[Key]) -> list[dict[str, Any]]:
    """The unit sums of the kind (TABLES) of each (month or day, unit path)."""
    table = TABLES[kind]
    return _keyed(connection, table, table.c.unit_path, keys)


def replace(connection: Connection, kind: str, keys: Iterable[Key], rows: Sequence[Stored]) -> None:
    """Delete the unit sums of the kind of each (month or day, unit path), insert `rows`."""
    table = TABLES[kind]
    when = _when(table)
    written = [_isoformat(r, when.name) for r in rows]
    replace_keyed(connection, table, (when, table.c.unit_path), list(keys), written)


def _isoformat(row: Stored, when: str) -> Stored:
    assert isinstance(row, dict)
    return {**row, when: row[when].isoformat()}


def clear_months(connection: Connection) -> None:
    connection.execute(delete(read_unit_months))
    connection.execute(delete(read_unit_totals))


def clear_days(connection: Connection) -> None:
    connection.execute(delete(read_unit_total_days))


def is_missing(connection: Connection) -> bool:
    """True when home sums are held but no unit sums (a database from before them)."""
    homes = connection.scalar(select(exists(select(read_home_months.c.row_id))))
    units = connection.scalar(select(exists(select(read_unit_months.c.row_id))))
    return bool(homes) and not units


# --- pages ----------------------------------------------------------------------------------

TOTAL_SORTS = {"unit": "unit_path", "hours": "hours_key", "percent": "percent_key"}
TOTAL_SORTS["fair_percent"] = "fair_percent_key"
OPERATION_SORTS = {**TOTAL_SORTS, "operation": "operation", "output": "output_key"}
OPERATION_SORTS["shifts"] = "shifts"


def _scoped(query: Any, table: Any, month: dt.date, within: Sequence[str] | None) -> Any:
    query = query.where(table.c.month == month)
    return query if within is None else query.where(paths_within(table.c.unit_path, within))


def _totals(month: dt.date, within: Sequence[str] | None, words: Sequence[str]) -> Select[Any]:
    t = read_unit_totals
    query = _scoped(select(t), t, month, within)
    found: Select[Any] = query.where(*every_word([t.c.unit_path], words))
    return found


def _with_counted_shifts() -> Any:
    """The unit-operation sums, each with its unit's distinct shifts of the month (0: none)."""
    m, s = read_unit_months, read_unit_shifts
    counted = and_(
        s.c.month == m.c.month,
        s.c.unit_path == m.c.unit_path,
        s.c.operation == m.c.operation,
        s.c.unit.is_not_distinct_from(m.c.unit),
    )
    count = func.coalesce(s.c.shifts, 0).label("shifts")
    return select(m, count).select_from(m.outerjoin(s, counted))


def _operations(
    month: dt.date,
    within: Sequence[str] | None,
    words: Sequence[str],
    shifts: bool,
    normed: bool = True,
) -> Select[Any]:
    """The unit-operation sums (`normed`: those with a percentage); with `shifts`, each with
    its distinct shifts (0: none), which only a sort by them needs before the page is cut."""
    m = read_unit_months
    query: Any = select(m)
    if shifts:
        query = _with_counted_shifts()
    query = _scoped(query, m, month, within)
    if normed:  # only the rows with a percentage
        query = query.where(m.c.percent_key.is_not(None))
    found: Select[Any] = query.where(*every_word([m.c.unit_path, m.c.operation], words))
    return found


def unit_months(
    connection: Connection, first: dt.date, last: dt.date, within: Sequence[str] | None
) -> list[dict[str, Any]]:
    """The unit-operation sums of the months [first, last] of every unit within the subtrees
    (None: every unit), each with its distinct shifts (0: none), as `fulfilment --by unit`
    lists them."""
    m = read_unit_months
    query = _with_counted_shifts()
    query = query.where(m.c.month >= first, m.c.month <= last)
    if within is not None:
        query = query.where(paths_within(m.c.unit_path, within))
    rows = as_dicts(connection.execute(query))
    for row in rows:
        row["month"] = stored_date(row["month"])
    return rows


def _with_shifts(connection: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's rows, each with its unit's distinct shifts of the operation (0: none)."""
    s = read_unit_shifts
    pairs = sorted({(r["month"], r["unit_path"]) for r in rows})
    counts: dict[tuple[Any, ...], int] = {}
    for r in _keyed(connection, s, s.c.unit_path, pairs):  # a few hundred keys a statement
        counts[(r["month"], r["unit_path"], r["operation"], r["unit"])] = r["shifts"]
    for row in rows:
        key = (stored_date(row["month"]), row["unit_path"], row["operation"], row["unit"])
        row["shifts"] = counts.get(key, 0)
    return rows


def _page(
    connection: Connection,
    query: Select[Any],
    sort: Any,
    descending: bool,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """A page in the order of the sort column, missing values last either way, ties in the
    order of the paths (by code point on both databases) and operations."""
    found = query.subquery()
    c = found.c

    def by_code_point(column: Any) -> Any:  # as Python orders text: PostgreSQL's collation "C"
        return column.collate("C") if connection.dialect.name == "postgresql" else column

    path = by_code_point(c.unit_path)
    ties: list[Any] = [path]
    if "operation" in c:  # a unit of measure missing sorts first, as '' (as the domain sorts)
        ties += [by_code_point(c.operation), by_code_point(func.coalesce(c.unit, ""))]
    order: list[Any] = []
    if sort is not None and sort != "unit_path":
        column = by_code_point(c[sort]) if sort == "operation" else c[sort]
        order += [c[sort].is_(None), column.desc() if descending else column.asc()]
    elif sort == "unit_path" and descending:
        ties[0] = path.desc()
    ordered = select(found).order_by(*order, *ties).limit(limit).offset(offset)
    return as_dicts(connection.execute(ordered))


def _count(connection: Connection, query: Select[Any]) -> int:
    return int(connection.scalar(select(func.count()).select_from(query.subquery())) or 0)


def totals_page(
    connection: Connection,
    month: dt.date,
    within: Sequence[str] | None,
    words: Sequence[str],
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the units' totals over all operations in the month, and how many there are."""
    query = _totals(month, within, words)
    rows = _page(connection, query, TOTAL_SORTS.get(sort), descending, limit, offset)
    return rows, _count(connection, query)


def operations_page(
    connection: Connection,
    month: dt.date,
    within: Sequence[str] | None,
    words: Sequence[str],
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
    normed: bool = True,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the units' sums per operation (`normed`: those with a percentage), and how
    many: the
    shifts are joined to every row only where they sort the list, else to the page's."""
    by_shifts = sort == "shifts"
    query = _operations(month, within, words, by_shifts, normed)
    rows = _page(connection, query, OPERATION_SORTS.get(sort), descending, limit, offset)
    count = _count(connection, _operations(month, within, words, False, normed))
    return (rows if by_shifts else _with_shifts(connection, rows)), count


def total_days(
    connection: Connection, start: dt.date, end: dt.date, paths: Sequence[str]
) -> list[dict[str, Any]]:
    """The day totals of [start, end] of the units named."""
    t = read_unit_total_days
    query = select(t).where(t.c.date >= start, t.c.date <= end, t.c.unit_path.in_(list(paths)))
    return _dated(as_dicts(connection.execute(query.order_by(t.c.date))), "date")
