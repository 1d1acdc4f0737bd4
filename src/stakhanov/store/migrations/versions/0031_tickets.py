"""Tickets printed at the source and receipts of entries sent from phones (decision 0841).

Revision ID: 0031
Revises: 0019 (the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import ExactDecimal

revision = "0031"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("ticket_id", sa.String(40), nullable=False),
        sa.Column("order_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("quantity", ExactDecimal(), nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("workplace", sa.String(500), nullable=False),
        sa.Column("printed_by", sa.String(200), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_tickets"),
    )
    op.create_index("ix_tickets_order_id", "tickets", ["order_id"])
    op.create_table(
        "entry_receipts",
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("batch_id", sa.Integer, nullable=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name="pk_entry_receipts"),
    )


def downgrade() -> None:
    op.drop_table("entry_receipts")
    op.drop_index("ix_tickets_order_id", table_name="tickets")
    op.drop_table("tickets")
