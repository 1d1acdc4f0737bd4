"""Pay: scale versions, paid time, reject faults, and closed periods with their slips and lines.

Revision ID: 0002
Revises: 0001
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import DecimalText

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEDGER = ("time_entries", "reject_fault_entries", "pay_scale_entries")
LOCKED = ("pay_periods", "pay_slips", "pay_lines")


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
    _ledger_table(
        "time_entries",
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("hours", DecimalText(), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    _ledger_table(
        "reject_fault_entries",
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("quantity", DecimalText(), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    _ledger_table(
        "pay_scale_entries",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "pay_periods",
        sa.Column("period_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.batch_id"), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("slips", sa.Integer, nullable=False),
        sa.Column("gross", DecimalText(), nullable=False),
        sa.Column("net", DecimalText(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("period_id", name="pk_pay_periods"),
        sa.UniqueConstraint("start_date", name="uq_pay_periods_start_date"),
    )
    op.create_table(
        "pay_slips",
        sa.Column("slip_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period_id", sa.Integer, sa.ForeignKey("pay_periods.period_id"), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("gross", DecimalText(), nullable=False),
        sa.Column("deducted", DecimalText(), nullable=False),
        sa.Column("net", DecimalText(), nullable=False),
        sa.PrimaryKeyConstraint("slip_id", name="pk_pay_slips"),
    )
    op.create_table(
        "pay_lines",
        sa.Column("line_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slip_id", sa.Integer, sa.ForeignKey("pay_slips.slip_id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("section", sa.String(10), nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("quantity", DecimalText(), nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("rate", DecimalText(), nullable=False),
        sa.Column("amount", DecimalText(), nullable=False),
        sa.Column("explain", sa.Text, nullable=False),
        sa.Column("reference", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("line_id", name="pk_pay_lines"),
    )
    op.create_index("ix_time_entries_worker_id", "time_entries", ["worker_id"])
    op.create_index("ix_time_entries_date", "time_entries", ["date"])
    op.create_index("ix_reject_fault_entries_shift_id", "reject_fault_entries", ["shift_id"])
    op.create_index("ix_pay_scale_entries_name", "pay_scale_entries", ["name"])
    op.create_index("ix_pay_slips_period_id", "pay_slips", ["period_id"])
    op.create_index("ix_pay_slips_worker_id", "pay_slips", ["worker_id"])
    op.create_index("ix_pay_lines_slip_id", "pay_lines", ["slip_id"])
    for table in LEDGER:
        _forbid_edits(table, f"{table} is append-only: record a reversing entry instead")
    for table in LOCKED:
        _forbid_edits(table, f"{table} is locked: a closed pay period never changes")


def _forbid_edits(table: str, message: str) -> None:
    """Ledger entries and closed periods are never edited, by the database's own rule."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION stakhanov_locked() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION stakhanov_locked('{message}')"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    for table in (*reversed(LOCKED), *reversed(LEDGER)):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS stakhanov_locked()")
