"""Paid time (time_entries) is partitioned by month of its date on PostgreSQL (decision 0598).

Like the shifts in migration 0038: the table is rebuilt as a partitioned table with the same
name, columns, sequence, indexes and triggers, its rows copied in, one partition per month they
hold; the key, the uniqueness of reversals and the reference from a reversal to its entry take
`date`. A time entry carries its own date, so nothing is derived and every chain link still
verifies. SQLite is unchanged.

Revision ID: 0043
Revises: 0039 (the lead relinks the chain)
"""

from alembic import op

from stakhanov.store.partition_rebuild import rebuild

revision = "0043"
down_revision = "0044"
branch_labels = None
depends_on = None

TABLE, KEY = "time_entries", "date"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    rebuild(TABLE, KEY, None, revision)
    op.execute(f"ANALYZE {TABLE}")  # autovacuum may be off


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        rebuild(TABLE, None, None, revision)
