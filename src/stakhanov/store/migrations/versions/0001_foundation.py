"""Foundation: batches, units and the append-only ledger of workers, norms, shifts, output, crew.

Revision ID: 0001
Revises:
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import DecimalText

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LEDGER = ("worker_entries", "norm_entries", "shift_entries", "output_entries", "crew_entries")


def _ledger_table(name: str, *payload: sa.Column[Any]) -> None:
    op.create_table(
        name,
        sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.batch_id"), nullable=False),
        sa.Column("reverses", sa.Integer, sa.ForeignKey(f"{name}.entry_id"), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("source_file", sa.String(500), nullable=True),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        *payload,
        sa.PrimaryKeyConstraint("entry_id", name=f"pk_{name}"),
        sa.UniqueConstraint("reverses", name=f"uq_{name}_reverses"),
    )


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name="pk_batches"),
    )
    op.create_table(
        "units",
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("parent", sa.String(500), sa.ForeignKey("units.path"), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("path", name="pk_units"),
    )
    _ledger_table(
        "worker_entries",
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(500), nullable=False),
        sa.Column("trade", sa.String(200), nullable=True),
        sa.Column("grade", sa.String(50), nullable=True),
    )
    _ledger_table(
        "norm_entries",
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("norm", DecimalText(), nullable=False),
        sa.Column("norm_hours", DecimalText(), nullable=True),
        sa.Column("includes", sa.Text, nullable=True),
        sa.Column("max_rate", DecimalText(), nullable=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("method", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
    )
    _ledger_table(
        "shift_entries",
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("hours", DecimalText(), nullable=False),
        sa.Column("workplace", sa.String(500), nullable=False),
        sa.Column("conditions", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    _ledger_table(
        "output_entries",
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("quantity", DecimalText(), nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("rejected", DecimalText(), nullable=True),
    )
    _ledger_table(
        "crew_entries",
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("hours", DecimalText(), nullable=False),
        sa.Column("credited", DecimalText(), nullable=True),
        sa.Column("coefficient", DecimalText(), nullable=True),
    )
    op.create_index("ix_worker_entries_worker_id", "worker_entries", ["worker_id"])
    op.create_index("ix_norm_entries_operation", "norm_entries", ["operation"])
    op.create_index("ix_shift_entries_shift_id", "shift_entries", ["shift_id"])
    op.create_index("ix_shift_entries_date", "shift_entries", ["date"])
    op.create_index("ix_output_entries_shift_id", "output_entries", ["shift_id"])
    op.create_index("ix_crew_entries_shift_id", "crew_entries", ["shift_id"])
    op.create_index("ix_crew_entries_worker_id", "crew_entries", ["worker_id"])
    op.create_table(
        "finding_reviews",
        sa.Column("review_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("finding_message", sa.Text, nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("review_id", name="pk_finding_reviews"),
    )
    op.create_index("ix_finding_reviews_shift_id", "finding_reviews", ["shift_id"])
    for table in (*LEDGER, "finding_reviews"):
        _forbid_edits(table)


def _forbid_edits(table: str) -> None:
    """The ledger is append-only in the database itself, not just by convention."""
    message = f"{table} is append-only: record a reversing entry instead"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION stakhanov_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: record a reversing entry instead', "
            "TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION stakhanov_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    for table in reversed(("batches", "units", *LEDGER, "finding_reviews")):
        op.drop_table(table)
