"""What was written after a computation read the ledger, and whether it could change the pay
of days up to a date.

A close computes without the writers' lock and checks, under it, that nothing it read moved.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from stakhanov.store.records import KINDS, SHIFTS
from stakhanov.store.schema import batches


def batches_seen(connection: Connection) -> set[int]:
    """Every batch this transaction sees (ids are not committed in order, so no maximum)."""
    return set(connection.scalars(select(batches.c.batch_id)))


def moved_since(connection: Connection, seen: set[int], until: dt.date) -> list[int]:
    """Batches not in `seen` that could change pay up to `until`, in order.

    Only a batch whose every ledger row belongs to shifts dated after `until` is left out; any
    other (master data, time, a scale, a review, another close) counts, erring towards moved.
    """
    later = sorted(batches_seen(connection) - seen)
    return [b for b in later if not _only_after(connection, b, until)]


def snapshot_reads(connection: Connection) -> Connection:
    """The connection, reading one snapshot for its whole transaction and taking no write lock.

    PostgreSQL's default (read committed) would let a long computation read part of a batch
    committed meanwhile; SQLite's deferred transactions read one snapshot anyway.
    """
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="REPEATABLE READ", read_only=True)
    return connection.execution_options(read_only=True)


def _only_after(connection: Connection, batch_id: int, until: dt.date) -> bool:
    shift_ids: set[str | None] = set()
    for kind in KINDS:
        table = kind.table
        if "shift_id" not in table.c:
            query = select(table.c.entry_id).where(table.c.batch_id == batch_id).limit(1)
            if connection.execute(query).first() is not None:
                return False
            continue
        found = select(table.c.shift_id).where(table.c.batch_id == batch_id)
        shift_ids.update(connection.scalars(found))
    if not shift_ids or None in shift_ids:
        return False  # no shift: a scale, a review, a close, an incident... may change pay
    shifts = SHIFTS.table
    earliest = connection.execute(
        select(shifts.c.date)
        .where(shifts.c.shift_id.in_(sorted(i for i in shift_ids if i)))
        .order_by(shifts.c.date)
        .limit(1)
    ).scalar()
    return earliest is not None and earliest > until
