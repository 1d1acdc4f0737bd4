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

import sqlalchemy as sa
from alembic import op

from stakhanov.store import shift_dates
from stakhanov.store.partition_rebuild import rebuild

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
        rebuild(table, key, fill, revision)
        if table in shift_dates.DATED:
            op.execute(f"CREATE INDEX ix_{table}_shift_date ON {table} (shift_date)")
            op.execute(f"DROP TABLE {FILL}")
        op.execute(f"ANALYZE {table}")  # autovacuum may be off


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in KEYS:
            rebuild(table, None, None, revision)
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
