"""The ledger's monthly partitions on PostgreSQL (decision 0593); nothing to do on SQLite.

A write makes the months it writes before its rows go in: there is no default partition, so
a month's partition can always be attached later. A partition is created standalone and then
attached (SHARE UPDATE EXCLUSIVE on the parent: readers never wait), under an advisory lock
so that two writers never make the same month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, Table

from stakhanov.store.bulk import IMPORT_LOCK
from stakhanov.store.schema import MONTHLY

PARTITION_LOCK = IMPORT_LOCK + 2  # the chain's is IMPORT_LOCK + 1


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def partition_name(table: Table | str, month: dt.date) -> str:
    name = table if isinstance(table, str) else table.name
    return f"{name}_y{month.year:04d}m{month.month:02d}"


def partitioned(connection: Connection) -> bool:
    """Whether this database partitions the ledger (PostgreSQL from migration 0038 on)."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.exec_driver_sql(
        "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
        "WHERE c.relname = 'crew_entries' AND c.relnamespace = to_regnamespace(current_schema())"
    ).first()
    return found is not None


def monthly_tables(connection: Connection) -> list[str]:
    """The monthly tables (MONTHLY's, in its order) that this database partitions: a table
    is partitioned by the migration that made it monthly (0038, 0043), not before."""
    if connection.dialect.name != "postgresql":
        return []
    found = connection.exec_driver_sql(
        "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
        "WHERE c.relnamespace = to_regnamespace(current_schema())"
    ).scalars()
    present = set(found)
    return [t.name for t in MONTHLY if t.name in present]


def attached(connection: Connection, table: str) -> set[str]:
    """The names of a partitioned table's partitions."""
    rows = connection.exec_driver_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%(table)s)",
        {"table": table},
    )
    return {row[0] for row in rows}


def ensure(connection: Connection, dates: Iterable[dt.date | None]) -> list[str]:
    """Make the months of `dates` in every monthly table, in this transaction; the partitions
    made. Attaching locks `batches` against other writers until commit (its foreign key), so
    a long write makes its months first with `make_ahead`."""
    if connection.dialect.name != "postgresql":
        return []
    months = sorted({month_of(d) for d in dates if d is not None})
    if not months:
        return []
    names = monthly_tables(connection)
    if not names:
        return []

    def missing() -> list[tuple[str, dt.date]]:
        present = {name: attached(connection, name) for name in names}
        return [(n, m) for n in names for m in months if partition_name(n, m) not in present[n]]

    if not missing():
        return []
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PARTITION_LOCK})")
    made = []
    for name, month in missing():  # tables in one order: two writers lock the parents alike
        attach(connection, name, month)
        made.append(partition_name(name, month))
    return made


def attach(connection: Connection, table: str, month: dt.date) -> None:
    """Create one month's partition and attach it (the parent's indexes, keys and triggers
    follow by themselves)."""
    partition = partition_name(table, month)
    connection.exec_driver_sql(
        f"CREATE TABLE {partition} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    connection.exec_driver_sql(
        f"ALTER TABLE {table} ATTACH PARTITION {partition} "
        f"FOR VALUES FROM ('{month.isoformat()}') TO ('{next_month(month).isoformat()}')"
    )


def make_ahead(engine: Engine, dates: Iterable[dt.date | None]) -> list[str]:
    """Make the months of `dates` in a short transaction of their own, before a write."""
    wanted = {d for d in dates if d is not None}
    if not wanted or engine.dialect.name != "postgresql":
        return []
    with engine.begin() as connection:
        return ensure(connection, wanted)
