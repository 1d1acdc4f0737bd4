"""Ordinary work per month, worker and operation, and a home's distinct shifts of it (decision
0899): a whole-month honour board reads a row per worker and operation, not every result.

The tables start empty; the first command that upgrades a database fills them from the stored
results (services.read_model.rebuild_if_stale).

Revision ID: 0052
Revises: 0051
"""

import sqlalchemy as sa
from alembic import op

revision = "0052"
down_revision = "0051"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "read_ordinary_months",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("home", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("shifts", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        *(
            sa.Column(f"{ratio}_{part}", sa.Text(), nullable=False)
            for ratio in ("earned", "fair", "rejected")
            for part in ("num", "den")
        ),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_ordinary_months"),
    )
    op.create_index("ix_read_ordinary_months_month_home", "read_ordinary_months", ["month", "home"])
    op.create_index(
        "ix_read_ordinary_months_worker_id_month", "read_ordinary_months", ["worker_id", "month"]
    )
    op.create_table(
        "read_ordinary_shifts",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("home", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("shifts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_ordinary_shifts"),
    )
    op.create_index("ix_read_ordinary_shifts_month_home", "read_ordinary_shifts", ["month", "home"])


def downgrade() -> None:
    op.drop_table("read_ordinary_shifts")
    op.drop_table("read_ordinary_months")
