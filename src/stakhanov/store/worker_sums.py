"""A page of the workers of a scope by operation from the worker month sums (decision 0900):
grouped, searched, sorted, cut and counted in SQL, so that a unit's view of its workers costs
the rows it shows, not the unit's whole workforce.

A row is a worker's sums of an operation and unit of measure over the month, from the one or
several (one per home, after a transfer) rows of `read_months` of homes in the scope. Its name
is the worker's current one where his home is in the scope now (else his id), as the unit's
view names him.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, func, select

from stakhanov.domain.units import is_within
from stakhanov.store.ledger import current_query
from stakhanov.store.lists import every_word
from stakhanov.store.read_model import as_dicts, paths_within
from stakhanov.store.read_model_tables import read_months
from stakhanov.store.read_sums import homes_within
from stakhanov.store.records import WORKERS
from stakhanov.store.sort_keys import exact_sum, percent_key
from stakhanov.store.types import stored_date

SORTS = ("name", "operation", "shifts", "hours", "output", "percent", "fair_percent")


def _key(sort: str) -> Any:
    """The aggregate a sort orders by (None: the order of the list)."""
    m = read_months.c
    return {
        "shifts": func.sum(m.shifts),
        "hours": exact_sum(m.hours),
        "output": exact_sum(m.output),
        "percent": percent_key(m.earned_num, m.earned_den, m.normed_hours),
        "fair_percent": percent_key(m.fair_num, m.fair_den, m.normed_hours),
    }.get(sort)


def scope(connection: Connection, month: dt.date, within: Sequence[str] | None) -> Any:
    """SQL: the month's sums of homes within the subtrees (None: every home), by the (month,
    home) index: the homes are the scope's units with a shift counted in the month, read once
    for a page's queries."""
    m = read_months.c
    condition = m.month == month
    if within is None:
        return condition
    return condition & m.home.in_(homes_within(connection, (month, month), within, False))


def _names(within: Sequence[str] | None) -> Any:
    """Current workers at home within the subtrees: (worker_id, name)."""
    w = WORKERS.table.c
    query = current_query(WORKERS).order_by(None).with_only_columns(w.worker_id, w.name)
    if within is not None:
        query = query.where(paths_within(w.unit, within))
    return query.subquery("names")


def _grouped(
    scoped: Any, within: Sequence[str] | None, words: Sequence[str], sort: str
) -> Select[Any]:
    """A row per (worker, operation, unit of measure) that every word finds in the name, the
    worker's id or the operation, with the sort's key and, where searched or sorted by it, the
    name."""
    m = read_months.c
    columns: list[Any] = [m.worker_id, m.operation, m.unit]
    key = _key(sort)
    if key is not None:
        columns.append(key.label("sort_key"))
    groups = (
        select(*columns).where(scoped).group_by(m.worker_id, m.operation, m.unit).subquery("groups")
    )
    if not words and sort != "name":
        return select(groups)
    names = _names(within)
    name = func.coalesce(names.c.name, groups.c.worker_id)
    query = select(groups, name.label("name")).select_from(
        groups.outerjoin(names, names.c.worker_id == groups.c.worker_id)
    )
    # One text a row, as the lists cut in Python search it: one fold per row and word.
    text = name + " " + groups.c.worker_id + " " + groups.c.operation
    found: Select[Any] = query.where(*every_word([text], words))
    return found


def _page(
    connection: Connection, query: Select[Any], sort: str, descending: bool, limit: int, offset: int
) -> list[dict[str, Any]]:
    """In the order of the sort, missing values last either way; ties (and no sort) in the
    order of the list: worker id, operation, unit of measure by code point ('' for none)."""
    found = query.subquery()
    c = found.c

    def by_code_point(column: Any) -> Any:  # as Python orders text: PostgreSQL's collation "C"
        return column.collate("C") if connection.dialect.name == "postgresql" else column

    ties = [by_code_point(c.worker_id), by_code_point(c.operation)]
    ties.append(by_code_point(func.coalesce(c.unit, "")))
    order: list[Any] = []
    if sort in SORTS:
        column = c.name if sort == "name" else c.operation if sort == "operation" else c.sort_key
        keyed = by_code_point(column) if sort in ("name", "operation") else column
        order = [column.is_(None), keyed.desc() if descending else keyed.asc()]
    total = func.count().over().label("total")  # counted in the same pass as the sort
    selected = select(c.worker_id, c.operation, c.unit, total)
    ordered = selected.order_by(*order, *ties).limit(limit).offset(offset)
    return as_dicts(connection.execute(ordered))


def worker_page(
    connection: Connection,
    scoped: Any,
    within: Sequence[str] | None,
    words: Sequence[str],
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int | None]:
    """The keys (worker_id, operation, unit) of a page of the workers by operation of the
    `scope` (within the subtrees) that the search finds, in the sort's order, and how many
    rows it finds (None: the page is past the end, the rows were not counted)."""
    query = _grouped(scoped, within, words, sort)
    rows = _page(connection, query, sort, descending, limit, offset)
    total = int(rows[0]["total"]) if rows else None if offset > 0 else 0
    for row in rows:
        del row["total"]
    return rows, total


def row_count(
    connection: Connection, scoped: Any, within: Sequence[str] | None, words: Sequence[str]
) -> int:
    """How many rows of the `scope` the search finds, unsorted."""
    counted = _grouped(scoped, within, words, "")
    return int(connection.scalar(select(func.count()).select_from(counted.subquery())) or 0)


def worker_count(connection: Connection, scoped: Any) -> int:
    """How many workers have sums in the `scope`."""
    query = select(func.count(read_months.c.worker_id.distinct())).where(scoped)
    return int(connection.scalar(query) or 0)


def rows_of(
    connection: Connection,
    month: dt.date,
    within: Sequence[str] | None,
    keys: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The month's sums of the page's workers at homes within the subtrees (every operation:
    the caller keeps the page's), by the (worker, month) index."""
    m = read_months.c
    workers = sorted({k["worker_id"] for k in keys})
    if not workers:
        return []
    query = select(read_months).where(m.month == month, m.worker_id.in_(workers))
    found = as_dicts(connection.execute(query))
    for row in found:
        row["month"] = stored_date(row["month"])
    if within is None:
        return found
    return [r for r in found if any(is_within(r["home"], s) for s in within)]


def names_within(
    connection: Connection, within: Sequence[str] | None, worker_ids: Sequence[str]
) -> dict[str, str]:
    """The current names of the workers named whose home is within the subtrees now."""
    w = WORKERS.table.c
    query = current_query(WORKERS).order_by(None).with_only_columns(w.worker_id, w.name)
    query = query.where(w.worker_id.in_(sorted(set(worker_ids))))
    if within is not None:
        query = query.where(paths_within(w.unit, within))
    return {r.worker_id: r.name for r in connection.execute(query)} if worker_ids else {}
