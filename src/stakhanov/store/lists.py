"""Long lists read one page at a time: the ledger's batches, the users, the workers a PIN may
be set for. Each is searched (a LIKE pattern, case-insensitive), sorted by a named column
(ties broken by the key) and counted, in SQL: a page never reads the whole table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, Row, Select, func, or_, select

from stakhanov.store.account_tables import kiosk_pins, users
from stakhanov.store.db import folded
from stakhanov.store.ledger import current_query
from stakhanov.store.metadata import batches
from stakhanov.store.read_model import paths_within
from stakhanov.store.records import WORKERS

BATCH_SORTS = {
    "batch": batches.c.batch_id,
    "kind": batches.c.kind,
    "author": batches.c.author,
    "written": batches.c.written_at,
}
USER_SORTS = {
    "username": users.c.username,
    "name": users.c.display_name,
    "created": users.c.created_at,
}
_workers = WORKERS.table
WORKER_SORTS = {"worker": _workers.c.worker_id, "name": _workers.c.name, "unit": _workers.c.unit}


def escaped(word: str) -> str:
    """The word as a LIKE pattern's text: its own %, _ and \\ taken literally."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def every_word(columns: Sequence[Any], words: Sequence[str]) -> list[Any]:
    """SQL: each word found, case-insensitively, in one of the columns (a missing value is
    no text); one condition per word, all of which must hold."""
    return [
        or_(
            *(
                folded(func.coalesce(c, "")).like(f"%{escaped(w.casefold())}%", escape="\\")
                for c in columns
            )
        )
        for w in words
    ]


def _matching(columns: Sequence[Column[Any]], search: str | None) -> Any:
    """SQL: the LIKE pattern found, case-insensitively in any alphabet, in one of the columns."""
    if not search:
        return None
    return or_(*(folded(c).like(search.casefold(), escape="\\") for c in columns))


def _page(
    connection: Connection,
    query: Select[Any],
    sort: Column[Any],
    key: Column[Any],
    descending: bool,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    keys = [sort, key] if sort is not key else [key]
    ordered = query.order_by(None).order_by(*(k.desc() if descending else k.asc() for k in keys))
    return [dict(r._mapping) for r in connection.execute(ordered.limit(limit).offset(offset))]


def _count(connection: Connection, query: Select[Any]) -> int:
    found = query.order_by(None).subquery()
    return int(connection.scalar(select(func.count()).select_from(found)) or 0)


def _batches(search: str | None) -> Select[Any]:
    where = _matching(
        [batches.c.kind, batches.c.source, batches.c.author, batches.c.reason], search
    )
    return select(batches) if where is None else select(batches).where(where)


def batch_page(
    connection: Connection, search: str | None, sort: str, descending: bool, limit: int, offset: int
) -> list[dict[str, Any]]:
    column = BATCH_SORTS.get(sort, batches.c.batch_id)
    return _page(
        connection, _batches(search), column, batches.c.batch_id, descending, limit, offset
    )


def batch_count(connection: Connection, search: str | None) -> int:
    return _count(connection, _batches(search))


def _users(search: str | None) -> Select[Any]:
    where = _matching([users.c.username, users.c.display_name, users.c.worker_id], search)
    return select(users) if where is None else select(users).where(where)


def user_page(
    connection: Connection, search: str | None, sort: str, descending: bool, limit: int, offset: int
) -> list[Row[Any]]:
    column = USER_SORTS.get(sort, users.c.username)
    keys = [column, users.c.user_id]
    query = _users(search).order_by(*(k.desc() if descending else k.asc() for k in keys))
    return list(connection.execute(query.limit(limit).offset(offset)))


def user_count(connection: Connection, search: str | None) -> int:
    return _count(connection, _users(search))


def _workers_in(subtrees: Sequence[str] | None, search: str | None) -> Select[Any]:
    """Current workers at home within the subtrees (None: everywhere), with when their PIN was
    set (None: never)."""
    query = (
        current_query(WORKERS)
        .with_only_columns(_workers.c.worker_id, _workers.c.name, _workers.c.unit)
        .add_columns(kiosk_pins.c.set_at.label("pin_set_at"))
        .outerjoin(kiosk_pins, kiosk_pins.c.worker_id == _workers.c.worker_id)
    )
    if subtrees is not None:
        query = query.where(paths_within(_workers.c.unit, subtrees))
    where = _matching([_workers.c.worker_id, _workers.c.name, _workers.c.unit], search)
    return query if where is None else query.where(where)


def worker_page(
    connection: Connection,
    subtrees: Sequence[str] | None,
    search: str | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    column = WORKER_SORTS.get(sort, _workers.c.worker_id)
    query = _workers_in(subtrees, search)
    return _page(connection, query, column, _workers.c.worker_id, descending, limit, offset)


def worker_count(connection: Connection, subtrees: Sequence[str] | None, search: str | None) -> int:
    return _count(connection, _workers_in(subtrees, search))
