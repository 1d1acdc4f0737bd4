"""Day sums that answer fulfilment: per day, worker, operation and unit of measure, and the
distinct shifts per day, unit and operation (decision 0599); an index of the month sums by home.

The tables start empty; the first command that upgrades a database fills them from the read
model (services.read_model.rebuild_if_stale), as `rebuild-read-model` does.

Revision ID: 0045
Revises: 0043 (the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

revision = "0045"
down_revision = "0043"
branch_labels = None
depends_on = None

_RATIOS = ("norm_output", "earned", "fair")


def upgrade() -> None:
    op.create_table(
        "read_worker_days",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("home", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("shifts", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("normed_hours", sa.Text(), nullable=False),
        *(
            sa.Column(f"{name}_{part}", sa.Text(), nullable=True)
            for name in _RATIOS
            for part in ("num", "den")
        ),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_worker_days"),
    )
    op.create_index("ix_read_worker_days_date_home", "read_worker_days", ["date", "home"])
    op.create_index("ix_read_worker_days_home_date", "read_worker_days", ["home", "date"])
    op.create_index("ix_read_worker_days_worker_id_date", "read_worker_days", ["worker_id", "date"])
    op.create_table(
        "read_unit_day_shifts",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("unit_path", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("shifts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_unit_day_shifts"),
    )
    op.create_index(
        "ix_read_unit_day_shifts_unit_path_date", "read_unit_day_shifts", ["unit_path", "date"]
    )
    op.create_index("ix_read_months_home_month", "read_months", ["home", "month"])


def downgrade() -> None:
    op.drop_index("ix_read_months_home_month", table_name="read_months")
    op.drop_table("read_unit_day_shifts")
    op.drop_table("read_worker_days")
