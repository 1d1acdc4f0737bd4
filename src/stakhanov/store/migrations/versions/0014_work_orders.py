"""Brigade work orders and KTU: two ledger tables, append-only like the rest of the ledger.

Revision ID: 0014
Revises: 0008
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import ExactDecimal

revision = "0014"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("work_order_entries", "ktu_entries")


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
    key = payload[0].name
    op.create_index(f"ix_{name}_{key}", name, [key])


def upgrade() -> None:
    _ledger_table(
        "work_order_entries",
        sa.Column("work_order", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(500), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("operations", sa.Text, nullable=True),
        sa.Column("measure", sa.String(50), nullable=True),
        sa.Column("rate", ExactDecimal(), nullable=True),
        sa.Column("fund", ExactDecimal(), nullable=True),
        sa.Column("split", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("minor_unit", ExactDecimal(), nullable=False),
        sa.Column("ktu_min", ExactDecimal(), nullable=True),
        sa.Column("ktu_max", ExactDecimal(), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    _ledger_table(
        "ktu_entries",
        sa.Column("work_order", sa.String(100), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("ktu", ExactDecimal(), nullable=False),
        sa.Column("ktu_reason", sa.Text, nullable=True),
        sa.Column("hours", ExactDecimal(), nullable=True),
        sa.Column("tariff", ExactDecimal(), nullable=True),
    )
    for table in TABLES:
        _append_only(table)


def _append_only(table: str) -> None:
    """Like the foundation's ledger: the database itself refuses UPDATE and DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION stakhanov_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
