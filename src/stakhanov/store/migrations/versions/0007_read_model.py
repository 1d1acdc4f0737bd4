"""The read model: each result derived when it is written, indexed by worker, unit and date.

Revision ID: 0007
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0014"
branch_labels = None
depends_on = None

LEDGER = ("worker_entries", "norm_entries", "shift_entries", "output_entries", "crew_entries")


def upgrade() -> None:
    op.create_table(
        "read_results",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("home", sa.String(500), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("hours", sa.Text, nullable=False),
        sa.Column("output", sa.Text, nullable=False),
        sa.Column("unit", sa.String(50), nullable=True),
        *(
            sa.Column(f"{what}_{part}", sa.Text, nullable=True)
            for what in ("norm_output", "earned", "fair")
            for part in ("num", "den")
        ),
        sa.Column("assisted", sa.Boolean, nullable=False),
        sa.Column("pooled", sa.Boolean, nullable=False),
        sa.Column("prepared", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_read_results"),
    )
    op.create_index("ix_read_results_shift_id", "read_results", ["shift_id"])
    op.create_index("ix_read_results_worker_id_date", "read_results", ["worker_id", "date"])
    op.create_index("ix_read_results_home_date", "read_results", ["home", "date"])
    op.create_index("ix_read_results_date", "read_results", ["date"])
    # What a batch wrote is found by its batch_id when the read model is refreshed.
    for table in LEDGER:
        op.create_index(f"ix_{table}_batch_id", table, ["batch_id"])
    op.create_index("ix_shift_entries_workplace_date", "shift_entries", ["workplace", "date"])
    # A ledger written before this revision gets its read model from `stakhanov
    # rebuild-read-model`; migrations never compute (they must not import the engine).


def downgrade() -> None:
    op.drop_index("ix_shift_entries_workplace_date", "shift_entries")
    for table in LEDGER:
        op.drop_index(f"ix_{table}_batch_id", table)
    op.drop_table("read_results")
