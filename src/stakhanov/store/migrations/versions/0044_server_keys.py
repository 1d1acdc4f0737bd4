"""The server's own keys: an offline kiosk entry's token is signed with one (decision 0866).

Revision ID: 0044
Revises: 0039
"""

import sqlalchemy as sa
from alembic import op

revision = "0044"
down_revision = "0039"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_keys",
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_server_keys"),
    )


def downgrade() -> None:
    op.drop_table("server_keys")
