"""Partial indexes of the large ledgers' reversals, for the pages' reads (decision 0590).

Every read of current entries asks of each entry whether a reversal points at it. The unique
index on `reverses` holds a row per entry (NULL for all but the reversals), so PostgreSQL
scanned the whole table to answer it; these indexes hold only the reversals. CREATE INDEX adds
no trigger and rebuilds nothing, so the append-only triggers are untouched on both backends.

Revision ID: 0019
Revises: 0007 (written against 0006; the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("shift_entries", "output_entries", "crew_entries", "time_entries")


def upgrade() -> None:
    where = sa.text("reverses IS NOT NULL")
    for table in TABLES:
        op.create_index(
            f"ix_{table}_reversal",
            table,
            ["reverses"],
            postgresql_where=where,
            sqlite_where=where,
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_reversal", table_name=table)
