"""Sums per unit (every ancestor of a home) and month, per operation, and over all operations
per month and per day (decision 0898): the overview pages its units in SQL and draws the trend
from a row per day, however many brigades lie below.

The tables start empty; the first command that upgrades a database fills them from the home
sums (services.read_model.rebuild_if_stale). The stored findings gain their shift's workplace,
and their counts per month, kind and unit are kept beside them, filled the same way.

Revision ID: 0050
Revises: 0049
"""

import sqlalchemy as sa
from alembic import op

revision = "0050"
down_revision = "0049"
branch_labels = None
depends_on = None

_RATIOS = ("norm_output", "earned", "fair")


def _keys(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(f"{name}_key", sa.BigInteger(), nullable=True) for name in names]


def _byte_order(name: str, columns: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {name} ON {columns}")


def upgrade() -> None:
    op.create_table(
        "read_unit_months",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("unit_path", sa.String(length=500), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("homes", sa.Integer(), nullable=False),
        sa.Column("normed_homes", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("normed_hours", sa.Text(), nullable=False),
        *(
            sa.Column(f"{ratio}_{part}", sa.Text(), nullable=True)
            for ratio in _RATIOS
            for part in ("num", "den")
        ),
        *_keys("hours", "output", "percent", "fair_percent"),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_unit_months"),
    )
    op.create_index(
        "ix_read_unit_months_month_unit_path", "read_unit_months", ["month", "unit_path"]
    )
    _byte_order(
        "ix_read_unit_months_month_unit_path_c", 'read_unit_months (month, unit_path COLLATE "C")'
    )
    for name, when in (("read_unit_totals", "month"), ("read_unit_total_days", "date")):
        op.create_table(
            name,
            sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column(when, sa.Date(), nullable=False),
            sa.Column("unit_path", sa.String(length=500), nullable=False),
            sa.Column("homes", sa.Integer(), nullable=False),
            sa.Column("hours", sa.Text(), nullable=False),
            *(
                sa.Column(f"{ratio}_{part}", sa.Text(), nullable=False)
                for ratio in ("earned", "fair")
                for part in ("num", "den")
            ),
            *_keys("hours", "percent", "fair_percent"),
            sa.PrimaryKeyConstraint("row_id", name=f"pk_{name}"),
        )
    op.create_index(
        "ix_read_unit_totals_month_unit_path", "read_unit_totals", ["month", "unit_path"]
    )
    _byte_order(
        "ix_read_unit_totals_month_unit_path_c", 'read_unit_totals (month, unit_path COLLATE "C")'
    )
    op.create_index(
        "ix_read_unit_total_days_unit_path_date", "read_unit_total_days", ["unit_path", "date"]
    )
    _byte_order(
        "ix_read_unit_total_days_unit_path_c_date",
        'read_unit_total_days (unit_path COLLATE "C", date)',
    )

    op.add_column("read_findings", sa.Column("workplace", sa.String(length=500), nullable=True))
    op.create_table(
        "read_finding_counts",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("unit_path", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_finding_counts"),
    )
    op.create_index(
        "ix_read_finding_counts_month_unit_path", "read_finding_counts", ["month", "unit_path"]
    )


def downgrade() -> None:
    op.drop_table("read_finding_counts")
    with op.batch_alter_table("read_findings") as batch:
        batch.drop_column("workplace")
    for name in ("read_unit_total_days", "read_unit_totals", "read_unit_months"):
        op.drop_table(name)
