"""A shift's optional clock times, `HH:MM`: optional columns of shifts.csv (decision 0461).

Plain ADD COLUMNs on both backends: SQLite adds a nullable column without rebuilding the table,
so the ledger's triggers that refuse UPDATE and DELETE stay as they are. The hash chain leaves
empty columns out of a row's hash, so every stored link still verifies.

Revision ID: 0035
Revises: 0036 (written against 0019; relinked after 0036 landed on main)
"""

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("shift_entries", sa.Column("start_time", sa.String(5), nullable=True))
    op.add_column("shift_entries", sa.Column("end_time", sa.String(5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shift_entries") as batch:
        batch.drop_column("end_time")
        batch.drop_column("start_time")
