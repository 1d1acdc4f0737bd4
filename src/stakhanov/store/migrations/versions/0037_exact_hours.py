"""Hours no six-place decimal holds (20min, 1/3): their exact fraction beside `hours` (decision
0463) in crew, shift, paid-time and KTU rows, and beside a closed pay line's `quantity`.

Plain ADD COLUMNs of nullable text on both backends: SQLite adds a nullable column without
rebuilding the table, so the ledger's triggers that refuse UPDATE and DELETE stay as they are.
Every stored row keeps its decimal and an empty `hours_exact`, which the hash chain leaves out
of a row's hash, so every stored link still verifies.

Revision ID: 0037
Revises: 0042 (the lead relinks the chain)
"""

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0042"
branch_labels = None
depends_on = None

COLUMNS = (
    ("shift_entries", "hours_exact"),
    ("crew_entries", "hours_exact"),
    ("time_entries", "hours_exact"),
    ("ktu_entries", "hours_exact"),
    ("pay_lines", "quantity_exact"),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(40), nullable=True))


def downgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
