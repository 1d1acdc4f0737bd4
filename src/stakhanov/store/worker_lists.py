"""A page of the workers list in SQL: searched by id, name, unit or trade, sorted by a column,
cut to one page and counted, so that a list of many thousands never loads whole."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Select, func, select

from stakhanov.domain.units import parse_path
from stakhanov.domain.workers import Worker
from stakhanov.store.ledger import current_query
from stakhanov.store.lists import every_word
from stakhanov.store.read_model import KEYS_AT_ONCE, paths_within
from stakhanov.store.records import WORKERS

SORTS = ("worker_id", "name", "unit", "trade", "grade")


def worker_page(
    connection: Connection,
    subtrees: Sequence[str] | None,
    words: Sequence[str],
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[Worker], int]:
    """One page of the current workers within the subtrees (None: all), every word found in
    the id, name, unit or trade; with the number of workers that match."""
    table = WORKERS.table
    query = current_query(WORKERS).order_by(None)
    if subtrees is not None:
        query = query.where(paths_within(table.c.unit, subtrees))
    searched = (table.c.worker_id, table.c.name, table.c.unit, table.c.trade)
    query = query.where(*every_word(searched, words))
    total = connection.scalar(select(func.count()).select_from(query.subquery())) or 0
    column: Any = table.c[sort if sort in SORTS else "worker_id"]
    first = column.desc() if descending else column.asc()
    # NULL (no trade, no grade) last either way; the worker id breaks ties, so pages are stable.
    rows = connection.execute(
        query.order_by(column.is_(None), first, table.c.worker_id.asc()).limit(limit).offset(offset)
    )
    found = [WORKERS.from_row(row) for row in rows]
    assert all(isinstance(w, Worker) for w in found)
    return found, total  # type: ignore[return-value]


def workers_within(
    connection: Connection, unit: str, worker_ids: Collection[str] | None = None
) -> list[Worker]:
    """The current workers at home in the unit or below it, found by the index of their
    units (decision 0893): a unit's page reads its workers, not the workforce; with
    `worker_ids`, only those of them (a board's shown workers)."""
    query = current_query(WORKERS).where(paths_within(WORKERS.table.c.unit, [unit]))
    if worker_ids is None:
        return _workers(connection, query)
    chosen = sorted(worker_ids)
    found: list[Worker] = []
    for i in range(0, len(chosen), KEYS_AT_ONCE):
        part = chosen[i : i + KEYS_AT_ONCE]
        found += _workers(connection, query.where(WORKERS.table.c.worker_id.in_(part)))
    return found


def _workers(connection: Connection, query: Select[Any]) -> list[Worker]:
    found = [WORKERS.from_row(row) for row in connection.execute(query)]
    return [w for w in found if isinstance(w, Worker)]


def homes_within(connection: Connection, unit: str) -> dict[str, str]:
    """Each current worker's home at home in the unit or below it: `workers_within`'s units,
    without a record per worker (a team board of the whole enterprise reads only these)."""
    table = WORKERS.table
    query = (
        current_query(WORKERS)
        .with_only_columns(table.c.worker_id, table.c.unit)
        .where(paths_within(table.c.unit, [unit]))
    )
    return {row.worker_id.strip(): parse_path(row.unit) for row in connection.execute(query)}


def trades_within(connection: Connection, unit: str, trades: Collection[str]) -> dict[str, str]:
    """The trade of each current worker at home within the unit whose trade is one of
    `trades`, in the order `workers_within` reads them (the later entry counts)."""
    table = WORKERS.table
    query = (
        current_query(WORKERS)
        .with_only_columns(table.c.worker_id, table.c.trade)
        .where(paths_within(table.c.unit, [unit]), table.c.trade.in_(sorted(trades)))
    )
    return {row.worker_id: row.trade for row in connection.execute(query)} if trades else {}
