"""Workers' sign-offs of their day's counts: one append-only, hash-chained table (decision 0845).

Revision ID: 0032
Revises: 0036 (main's head when merged; the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

TABLE = "day_signoffs"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("signoff_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("shift_id", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("seen", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("dispute_id", sa.Integer, nullable=True),
        sa.Column("signed_by", sa.String(200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signoff_id", name=f"pk_{TABLE}"),
    )
    op.create_index(f"ix_{TABLE}_worker_id", TABLE, ["worker_id"])
    op.create_index(f"ix_{TABLE}_shift_id", TABLE, ["shift_id"])
    # Like the disputes: the database itself refuses UPDATE and DELETE.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION stakhanov_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
        )


def downgrade() -> None:
    op.drop_table(TABLE)
