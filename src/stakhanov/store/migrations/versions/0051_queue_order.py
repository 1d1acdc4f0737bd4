"""Indexes in the audit queue's orders, and of the findings' workplaces (decision 0901): a
page of the queue walks an index and stops when it is full, however many findings are kept.

Each sort has its index: by date, kind or shift, then the rest of the queue's order. Text
compares by code points, as Python compares it: SQLite's own order, PostgreSQL's collation
"C", with a finding without an operation first. Neither database maps them (SQLAlchemy
reflects neither the collation nor the order of nulls), so they are named in
read_model_tables.QUEUE_INDEXES.

Revision ID: 0051
Revises: 0050
"""

from alembic import op

revision = "0051"
down_revision = "0050"
branch_labels = None
depends_on = None

# name: the columns after the sort's own
_INDEXES = {
    "ix_read_findings_queue_date": ("date", "shift_id", "kind", "operation"),
    "ix_read_findings_queue_kind": ("kind", "date", "shift_id", "operation"),
    "ix_read_findings_queue_shift": ("shift_id", "date", "kind", "operation"),
    "ix_read_findings_workplace": ("workplace", "date"),
}


def _column(name: str, postgres: bool) -> str:
    if not postgres or name in ("date", "workplace"):  # a workplace is matched, not ordered
        return name
    return f'{name} COLLATE "C" NULLS FIRST' if name == "operation" else f'{name} COLLATE "C"'


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, columns in _INDEXES.items():
        listed = ", ".join(_column(c, postgres) for c in columns)
        op.execute(f"CREATE INDEX {name} ON read_findings ({listed})")


def downgrade() -> None:
    for name in _INDEXES:
        op.execute(f"DROP INDEX {name}")
