"""An index of the workers' home units (decision 0893): a unit's page finds its workers by
their path, not by reading every worker of the enterprise.

Revision ID: 0048
Revises: 0047
"""

from alembic import op

revision = "0048"
down_revision = "0047"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_worker_entries_unit", "worker_entries", ["unit"])


def downgrade() -> None:
    op.drop_index("ix_worker_entries_unit", table_name="worker_entries")
