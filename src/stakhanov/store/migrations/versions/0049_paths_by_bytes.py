"""Indexes of unit paths compared by bytes on PostgreSQL (decision 0896): a unit's subtree is
a range of paths in collation "C", which these answer; the database's own collation (say
en_US) sorts '/' apart from the letters, so an index in it cannot.

SQLite compares text by its bytes already: its indexes of 0045 and 0048 serve as they are.

Revision ID: 0049
Revises: 0048
"""

from alembic import op

revision = "0049"
down_revision = "0048"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_worker_entries_unit_c": 'worker_entries (unit COLLATE "C")',
    "ix_read_unit_shifts_month_unit_path_c": 'read_unit_shifts (month, unit_path COLLATE "C")',
    "ix_read_unit_day_shifts_unit_path_c_date": (
        'read_unit_day_shifts (unit_path COLLATE "C", date)'
    ),
    "ix_units_path_c": 'units (path COLLATE "C")',
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {columns}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
