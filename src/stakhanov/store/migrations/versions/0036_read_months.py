"""Per month sums of the read model (worker-months, distinct shifts per unit-month) and the
audit's findings of every shift.

The tables start empty; the first command that upgrades a database fills them from the read
model (services.read_model.rebuild_if_stale), as `rebuild-read-model` does.

Revision ID: 0036
Revises: 0019 (the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0019"
branch_labels = None
depends_on = None


def _sums() -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.Text(), nullable=name in NULLABLE)
        for name in (
            "hours",
            "output",
            "normed_hours",
            "norm_output_num",
            "norm_output_den",
            "earned_num",
            "earned_den",
            "fair_num",
            "fair_den",
        )
    ]


NULLABLE = {
    "norm_output_num",
    "norm_output_den",
    "earned_num",
    "earned_den",
    "fair_num",
    "fair_den",
}


def upgrade() -> None:
    op.create_table(
        "read_months",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("home", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("shifts", sa.Integer(), nullable=False),
        *_sums(),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_months"),
    )
    op.create_index("ix_read_months_month_home", "read_months", ["month", "home"])
    op.create_index("ix_read_months_worker_id_month", "read_months", ["worker_id", "month"])
    op.create_table(
        "read_unit_shifts",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("unit_path", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("shifts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_unit_shifts"),
    )
    op.create_index(
        "ix_read_unit_shifts_month_unit_path", "read_unit_shifts", ["month", "unit_path"]
    )
    op.create_table(
        "read_findings",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shift_id", sa.String(length=100), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("kind_order", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=True),
        sa.Column("workers", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_findings"),
    )
    op.create_index("ix_read_findings_shift_id", "read_findings", ["shift_id"])
    op.create_index("ix_read_findings_date", "read_findings", ["date"])


def downgrade() -> None:
    op.drop_table("read_findings")
    op.drop_table("read_unit_shifts")
    op.drop_table("read_months")
