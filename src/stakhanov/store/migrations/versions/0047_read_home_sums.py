"""Sums per month and per day, home unit, operation and unit of measure (decision 0881): the
director's views by unit read a row per brigade instead of a row per worker.

The tables start empty; the first command that upgrades a database fills them from the read
model (services.read_model.rebuild_if_stale), as `rebuild-read-model` does.

Revision ID: 0047
Revises: 0046
"""

import sqlalchemy as sa
from alembic import op

revision = "0047"
down_revision = "0046"
branch_labels = None
depends_on = None

_RATIOS = ("norm_output", "earned", "fair")
_TABLES = (("read_home_months", "month"), ("read_home_days", "date"))


def upgrade() -> None:
    for name, when in _TABLES:
        op.create_table(
            name,
            sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column(when, sa.Date(), nullable=False),
            sa.Column("home", sa.String(length=500), nullable=False),
            sa.Column("operation", sa.String(length=200), nullable=False),
            sa.Column("unit", sa.String(length=50), nullable=True),
            sa.Column("hours", sa.Text(), nullable=False),
            sa.Column("output", sa.Text(), nullable=False),
            sa.Column("normed_hours", sa.Text(), nullable=False),
            *(
                sa.Column(f"{ratio}_{part}", sa.Text(), nullable=True)
                for ratio in _RATIOS
                for part in ("num", "den")
            ),
            sa.PrimaryKeyConstraint("row_id", name=f"pk_{name}"),
        )
        op.create_index(f"ix_{name}_{when}_home", name, [when, "home"])
        op.create_index(f"ix_{name}_home_{when}", name, ["home", when])


def downgrade() -> None:
    for name, _ in reversed(_TABLES):
        op.drop_table(name)
