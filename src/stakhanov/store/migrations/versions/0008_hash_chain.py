"""The tamper-evident chain: links over every append-only row, and seals quoting its head.

Existing rows are chained here, table by table in the chain's order and each table in key
order; periods already closed and records already verified are sealed with the head this
pass ends on. Both new tables are append-only in the database, like the rows they cover.

Revision ID: 0008
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from stakhanov.store.chain import chain_everything

revision = "0008"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chain_links",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.String(500), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.String(100), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("chain_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_chain_links"),
    )
    op.create_index(
        "ix_chain_links_table_name_row_key", "chain_links", ["table_name", "row_key"], unique=True
    )
    op.create_table(
        "chain_seals",
        sa.Column("seal_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("subject_key", sa.String(500), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("chain_hash", sa.String(64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seal_id", name="pk_chain_seals"),
    )
    chain_everything(op.get_bind())
    for table in ("chain_links", "chain_seals"):
        _append_only(table)


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE in the database itself (the function is 0001's)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION stakhanov_append_only()"
        )
        return
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    op.drop_table("chain_seals")
    op.drop_index("ix_chain_links_table_name_row_key", "chain_links")
    op.drop_table("chain_links")
