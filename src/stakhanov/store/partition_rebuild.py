"""Rebuild a ledger table under its own name, partitioned by month or plain again (PostgreSQL).

Used by the migrations that partition the ledger (0038, 0043; decision 0593): the new table has
the same name, columns, sequence, indexes and triggers; its rows are copied in, one partition
per month they hold; the key, the uniqueness of reversals and the reference from a reversal to
its entry take the month's column (a partitioned table's keys must hold it). Only callable
inside a migration (it runs through Alembic's `op`).
"""

from __future__ import annotations

from typing import Any

from alembic import op

from stakhanov.store.partitions import attach


def values(sql: str, *params: Any) -> list[Any]:
    return list(op.get_bind().exec_driver_sql(sql, params).scalars())


def rebuild(table: str, key: str | None, fill: str | None, tag: str) -> None:
    """Rebuild `table` under its own name: partitioned by month of `key`, or plain (None).

    `fill`: a temporary table of (entry_id, d) giving the rows' shift_date. `tag`: the
    migration's number, naming the old table and its indexes while both exist.
    """
    sequence = values("SELECT pg_get_serial_sequence(%s, 'entry_id')", table)[0]
    indexes = values(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = "
        "to_regclass(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))",
        table,
    )
    triggers = values(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
        "AND NOT tgisinternal AND tgparentid = 0",
        table,
    )
    old = f"{table}_before_{tag}"
    op.execute(f"ALTER TABLE {table} RENAME TO {old}")
    owned = values(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass", old
    )
    for name in owned:
        op.execute(f"ALTER INDEX {name} RENAME TO {name[:50]}_{tag}")
    partition = f" PARTITION BY RANGE ({key})" if key else ""
    op.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS){partition}")
    columns = values(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        table,
    )
    selected = [f"o.{c}" for c in columns]
    joined = ""
    if fill:
        at = columns.index("shift_date")
        selected[at] = "coalesce(f.d, (o.written_at AT TIME ZONE 'UTC')::date)"
        joined = f" LEFT JOIN {fill} f ON f.entry_id = o.entry_id"
    rows = f"SELECT {', '.join(selected)} FROM {old} o{joined}"
    if key:
        at = columns.index(key)
        months = values(
            f"SELECT DISTINCT date_trunc('month', m)::date FROM "
            f"(SELECT {selected[at]} AS m FROM {old} o{joined}) x"
        )
        for month in sorted(months):
            attach(op.get_bind(), table, month)
    on = f", {key}" if key else ""
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (entry_id{on})")
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT uq_{table}_reverses UNIQUE (reverses{on})")
    op.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_batch_id_batches "
        "FOREIGN KEY (batch_id) REFERENCES batches (batch_id)"
    )
    op.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_reverses_{table} "
        f"FOREIGN KEY (reverses{on}) REFERENCES {table} (entry_id{on})"
    )
    op.execute(f"INSERT INTO {table} ({', '.join(columns)}) {rows} ORDER BY o.entry_id")
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY {table}.entry_id")
    op.execute(f"DROP TABLE {old}")
    for sql in indexes:
        op.execute(sql.replace(" ON ONLY ", " ON "))
    for sql in triggers:
        op.execute(sql)
