"""Long lists of the pages, one page at a time (store/lists.py): who wrote what, the users
with their grants, and the workers a PIN may be set for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from stakhanov.services.accounts import Account, _account
from stakhanov.services.dashboard import Subtrees, file_names
from stakhanov.store import lists
from stakhanov.store.accounts import AccountStore, aware
from stakhanov.store.db import Source, reading

BATCH_SORTS = tuple(lists.BATCH_SORTS)
USER_SORTS = tuple(lists.USER_SORTS)
WORKER_SORTS = tuple(lists.WORKER_SORTS)


def batches(
    engine: Source, search: str | None, sort: str, descending: bool, limit: int, offset: int
) -> list[dict[str, Any]]:
    """A page of the ledger's writes; a source that names files by their path on the server
    shows their names only (as dashboard.recent_batches)."""
    with reading(engine) as connection:
        rows = lists.batch_page(connection, search, sort, descending, limit, offset)
    return [
        {**r, "source": file_names(r["source"]), "written_at": aware(r["written_at"])} for r in rows
    ]


def batch_count(engine: Source, search: str | None) -> int:
    with reading(engine) as connection:
        return lists.batch_count(connection, search)


def accounts(
    engine: Engine, search: str | None, sort: str, descending: bool, limit: int, offset: int
) -> list[Account]:
    with engine.connect() as connection:
        store = AccountStore(connection)
        rows = lists.user_page(connection, search, sort, descending, limit, offset)
        return [_account(store, row) for row in rows]


def account_count(engine: Engine, search: str | None) -> int:
    with engine.connect() as connection:
        return lists.user_count(connection, search)


def workers(
    engine: Source,
    subtrees: Subtrees,
    search: str | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """A page of the workers at home within the subtrees, each with when their PIN was set."""
    with reading(engine) as connection:
        rows = lists.worker_page(connection, subtrees, search, sort, descending, limit, offset)
    return [{**r, "pin_set_at": r["pin_set_at"] and aware(r["pin_set_at"])} for r in rows]


def worker_count(engine: Source, subtrees: Subtrees, search: str | None) -> int:
    with reading(engine) as connection:
        return lists.worker_count(connection, subtrees, search)
