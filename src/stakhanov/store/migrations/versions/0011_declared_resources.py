"""The extra resources declared for a shift, by name: an optional column of shifts.csv.

A plain ADD COLUMN on both backends: SQLite adds a nullable column without rebuilding the table,
so the ledger's triggers that refuse UPDATE and DELETE stay as they are.

Revision ID: 0011
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("shift_entries", sa.Column("resources", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shift_entries") as batch:
        batch.drop_column("resources")
