"""What the pages read of the ledger's bookkeeping: the known units, the batches written, the
date of the newest shift."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, select

from stakhanov.store.schema import batches, crew_entries, shift_entries, units
from stakhanov.store.types import stored_date


def unit_paths(connection: Connection) -> list[str]:
    """Every known unit's path, in tree order."""
    return list(connection.scalars(select(units.c.path).order_by(units.c.path)))


def recent_batches(connection: Connection, limit: int) -> list[dict[str, Any]]:
    """The newest batches, newest first, each as its row."""
    query = select(batches).order_by(batches.c.batch_id.desc()).limit(limit)
    return [dict(row._mapping) for row in connection.execute(query)]


def latest_date(connection: Connection, worker_id: str | None) -> dt.date | None:
    """The date of the newest shift entry (of the worker's crews, if named)."""
    query = select(func.max(shift_entries.c.date))
    if worker_id is not None:  # crew rows carry their shift's date (decision 0594)
        query = select(func.max(crew_entries.c.shift_date)).where(
            crew_entries.c.worker_id == worker_id
        )
    value = connection.scalar(query)  # SQLite hands back an aggregate of dates as text
    return None if value is None else stored_date(value)
