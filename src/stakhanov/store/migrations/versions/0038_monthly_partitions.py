"""Output and crew rows carry their shift's date; on PostgreSQL shifts, outputs and crew rows
are partitioned by month (decisions 0593, 0594).

`shift_date` is derived: the chain leaves it out of a row's content, so every stored link still
verifies, and verify-ledger checks it against the shift entries instead. It is filled here by
the rules of store/shift_dates.py.

SQLite: the column is added (no rebuild) and filled with the append-only triggers lifted for
the UPDATE and put back as they were. PostgreSQL: each table is rebuilt as a partitioned table
with the same name, columns, sequence, indexes and triggers; its rows are copied in, one
partition per month they hold; the key, the uniqueness of reversals and the reference from a
reversal to its entry take the month's column (a partitioned table's keys must hold it).

Revision ID: 0038
Revises: 0032 (the lead relinks the chain)
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store import shift_dates

revision = "0038"
down_revision = "0032"
branch_labels = None
depends_on = None

KEYS = {"shift_entries": "date", "output_entries": "shift_date", "crew_entries": "shift_date"}
FILL = "stakhanov_shift_dates"


def upgrade() -> None:
    bind = op.get_bind()
    for table in shift_dates.DATED:
        op.add_column(table, sa.Column("shift_date", sa.Date, nullable=True))
    shifts = shift_dates.ShiftDates.read(bind)
    if bind.dialect.name != "postgresql":
        for table in shift_dates.DATED:
            _sqlite_fill(table, shift_dates.expected(bind, table, shifts))
            op.create_index(f"ix_{table}_shift_date", table, ["shift_date"])
        return
    for table, key in KEYS.items():
        fill = None
        if table in shift_dates.DATED:
            _temp_dates(shift_dates.expected(bind, table, shifts))
            fill = FILL
        _rebuild(table, key, fill)
        if table in shift_dates.DATED:
            op.execute(f"CREATE INDEX ix_{table}_shift_date ON {table} (shift_date)")
            op.execute(f"DROP TABLE {FILL}")
        op.execute(f"ANALYZE {table}")  # autovacuum may be off


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in KEYS:
            _rebuild(table, None, None)
    for table in shift_dates.DATED:
        op.drop_index(f"ix_{table}_shift_date", table_name=table)
        if bind.dialect.name == "postgresql":
            op.drop_column(table, "shift_date")
            continue
        triggers = _sqlite_triggers(table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("shift_date")
        for sql in triggers:
            op.execute(sql)


def _sqlite_triggers(table: str) -> list[str]:
    found = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (table,),
        )
        .all()
    )
    for name, _ in found:
        op.execute(f"DROP TRIGGER {name}")
    return [sql for _, sql in found]


def _sqlite_fill(table: str, dates: dict[int, str | None]) -> None:
    """Filling a derived column is not an edit: the triggers are lifted for it alone."""
    triggers = _sqlite_triggers(table)
    cursor = op.get_bind().connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        f"UPDATE {table} SET shift_date = coalesce(?, substr(written_at, 1, 10)) "
        "WHERE entry_id = ?",
        [(date, key) for key, date in dates.items()],
    )
    cursor.close()
    for sql in triggers:
        op.execute(sql)


def _temp_dates(dates: dict[int, str | None]) -> None:
    op.execute(f"CREATE TEMP TABLE {FILL} (entry_id integer PRIMARY KEY, d date)")
    cursor = op.get_bind().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {FILL} (entry_id, d) FROM STDIN") as copy:
        for key, date in dates.items():
            copy.write_row((key, date))
    cursor.close()


def _values(sql: str, *params: Any) -> list[Any]:
    return list(op.get_bind().exec_driver_sql(sql, params).scalars())


def _rebuild(table: str, key: str | None, fill: str | None) -> None:
    """Rebuild `table` under its own name: partitioned by month of `key`, or plain (None).

    `fill`: a temporary table of (entry_id, d) giving the rows' shift_date.
    """
    sequence = _values("SELECT pg_get_serial_sequence(%s, 'entry_id')", table)[0]
    indexes = _values(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = "
        "to_regclass(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))",
        table,
    )
    triggers = _values(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
        "AND NOT tgisinternal AND tgparentid = 0",
        table,
    )
    old = f"{table}_before_0038"
    op.execute(f"ALTER TABLE {table} RENAME TO {old}")
    owned = _values(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass", old
    )
    for name in owned:
        op.execute(f"ALTER INDEX {name} RENAME TO {name[:50]}_0038")
    partition = f" PARTITION BY RANGE ({key})" if key else ""
    op.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS){partition}")
    columns = _values(
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
        months = _values(
            f"SELECT DISTINCT date_trunc('month', m)::date FROM "
            f"(SELECT {selected[at]} AS m FROM {old} o{joined}) x"
        )
        for month in sorted(months):
            _attach(table, month)
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


def _attach(table: str, month: Any) -> None:
    from stakhanov.store.partitions import attach

    attach(op.get_bind(), table, month)
