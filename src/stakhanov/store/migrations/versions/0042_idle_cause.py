"""Idle time's cause (Labour Code art. 157): an optional column of time.csv (decision 0466).

A plain ADD COLUMN on both backends: SQLite adds a nullable column without rebuilding the
table, so the ledger's triggers that refuse UPDATE and DELETE stay as they are. The hash chain
leaves empty columns out of a row's hash, so every stored link still verifies.

Revision ID: 0042
Revises: 0038
"""

import sqlalchemy as sa
from alembic import op

revision = "0042"
down_revision = "0038"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("time_entries", sa.Column("cause", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("time_entries") as batch:
        batch.drop_column("cause")
