"""Norm governance and plans: provenance, plan targets, policies, revisions and decisions.

Revision ID: 0003
Revises: 0002
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import DecimalText

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = (
    "provenance_entries",
    "plan_entries",
    "governance_policies",
    "norm_revisions",
    "revision_decisions",
)


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
        "provenance_entries",
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("observations", sa.Integer, nullable=True),
        sa.Column("pace_rating", DecimalText(), nullable=True),
        sa.Column("allowances", DecimalText(), nullable=True),
        sa.Column("evidence", sa.Text, nullable=True),
        sa.Column("approved_by", sa.Text, nullable=True),
    )
    op.create_index("ix_provenance_entries_operation", "provenance_entries", ["operation"])
    _ledger_table(
        "plan_entries",
        sa.Column("unit", sa.String(500), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("target", DecimalText(), nullable=False),
        sa.Column("unit_of_measure", sa.String(50), nullable=False),
    )
    op.create_index("ix_plan_entries_unit", "plan_entries", ["unit"])
    op.create_table(
        "governance_policies",
        sa.Column("policy_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("policy_id", name="pk_governance_policies"),
    )
    op.create_table(
        "norm_revisions",
        sa.Column("revision_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("base_from", sa.Date, nullable=False),
        sa.Column("proposed_norm", DecimalText(), nullable=False),
        sa.Column("proposed_on", sa.Date, nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("revision_id", name="pk_norm_revisions"),
    )
    op.create_index("ix_norm_revisions_operation", "norm_revisions", ["operation"])
    op.create_table(
        "revision_decisions",
        sa.Column("decision_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "revision_id",
            sa.Integer,
            sa.ForeignKey(
                "norm_revisions.revision_id",
                name="fk_revision_decisions_revision_id_norm_revisions",
            ),
            nullable=False,
        ),
        sa.Column("step", sa.String(100), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("effective_from", sa.Date, nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("decision_id", name="pk_revision_decisions"),
    )
    op.create_index("ix_revision_decisions_revision_id", "revision_decisions", ["revision_id"])
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
