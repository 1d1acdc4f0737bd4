"""Per day sums of the read model: normed results per day and home unit (the daily trend) and
measured output per day, workplace and operation (the plans' actuals).

The tables start empty; the first command that upgrades a database fills them from the read
model and the ledger (services.read_model.rebuild_if_stale), as `rebuild-read-model` does.

Revision ID: 0039
Revises: 0037 (the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

revision = "0039"
down_revision = "0037"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "read_days",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("home", sa.String(length=500), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        *(
            sa.Column(name, sa.Text(), nullable=True)
            for name in ("earned_num", "earned_den", "fair_num", "fair_den")
        ),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_days"),
    )
    op.create_index("ix_read_days_date_home", "read_days", ["date", "home"])
    op.create_index("ix_read_days_home_date", "read_days", ["home", "date"])
    op.create_table(
        "read_output_days",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("workplace", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("quantity", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_output_days"),
    )
    op.create_index("ix_read_output_days_date_workplace", "read_output_days", ["date", "workplace"])


def downgrade() -> None:
    op.drop_table("read_output_days")
    op.drop_table("read_days")
