"""A person's language on his account: it follows him to every browser he logs in on, and his
pay slips are printed in it (decision 0879).

Revision ID: 0046
Revises: 0045
"""

import sqlalchemy as sa
from alembic import op

revision = "0046"
down_revision = "0045"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("language", sa.String(10), nullable=True))


def downgrade() -> None:
    # In place on both databases (SQLite 3.35+): rebuilding `users` would trip the grants'
    # and sessions' foreign keys.
    op.execute("ALTER TABLE users DROP COLUMN language")
