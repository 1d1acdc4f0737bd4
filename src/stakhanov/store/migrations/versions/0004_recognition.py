"""Recognition: incidents, rulebooks, record claims, titles, awards, mentoring, competitions,
honour-board preferences. All append-only.

Revision ID: 0004
Revises: 0003
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import DecimalText

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = (
    "incident_entries",
    "rulebooks",
    "record_claims",
    "claim_crew",
    "claim_decisions",
    "title_grants",
    "title_events",
    "awards",
    "innovations",
    "mentorships",
    "mentorship_ends",
    "competitions",
    "competition_units",
    "board_preferences",
)


def _written() -> sa.Column[Any]:
    return sa.Column("written_at", sa.DateTime(timezone=True), nullable=False)


def _claim() -> sa.ForeignKey:
    return sa.ForeignKey("record_claims.claim_id")


def _create(name: str, key: str, *columns: Any) -> None:
    """A table keyed by an autoincrementing integer."""
    op.create_table(
        name,
        sa.Column(key, sa.Integer, primary_key=True, autoincrement=True),
        *columns,
        sa.PrimaryKeyConstraint(key, name=f"pk_{name}"),
    )


def upgrade() -> None:
    _create(
        "incident_entries",
        "entry_id",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.batch_id"), nullable=False),
        sa.Column("reverses", sa.Integer, sa.ForeignKey("incident_entries.entry_id")),
        sa.Column("reason", sa.Text),
        sa.Column("source_file", sa.String(500)),
        sa.Column("source_row", sa.Integer),
        _written(),
        sa.Column("incident_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("shift_id", sa.String(100)),
        sa.Column("worker_ids", sa.Text, nullable=False),
        sa.Column("severity", sa.String(50), nullable=False),
        sa.Column("description", sa.Text),
        sa.UniqueConstraint("reverses", name="uq_incident_entries_reverses"),
    )
    _create(
        "rulebooks",
        "rulebook_id",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("author", sa.String(200), nullable=False),
        _written(),
    )
    op.create_table(
        "record_claims",
        sa.Column("claim_id", sa.String(100), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("shift_id", sa.String(100)),
        sa.Column("pre_registered", sa.Boolean, nullable=False),
        sa.Column("declared", sa.Boolean, nullable=False),
        sa.Column("conditions", sa.String(20), nullable=False),
        sa.Column("resources", sa.Text),
        sa.Column("witnesses", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("registered_by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("claim_id", name="pk_record_claims"),
    )
    _create(
        "claim_crew",
        "member_id",
        sa.Column("claim_id", sa.String(100), _claim(), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
    )
    _create(
        "claim_decisions",
        "decision_id",
        sa.Column("claim_id", sa.String(100), _claim(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("auditor", sa.String(200), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("fingerprint", sa.Text, nullable=False),
        _written(),
    )
    _create(
        "title_grants",
        "title_id",
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("conferred_by", sa.String(200), nullable=False),
        _written(),
    )
    _create(
        "title_events",
        "event_id",
        sa.Column("title_id", sa.Integer, sa.ForeignKey("title_grants.title_id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
    )
    _create(
        "awards",
        "award_id",
        sa.Column("reverses", sa.Integer, sa.ForeignKey("awards.award_id")),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("amount", DecimalText()),
        sa.Column("currency", sa.String(10)),
        sa.Column("description", sa.Text),
        sa.Column("title_id", sa.Integer, sa.ForeignKey("title_grants.title_id")),
        sa.Column("claim_id", sa.String(100), _claim()),
        sa.Column("reason", sa.Text),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
        sa.UniqueConstraint("reverses", name="uq_awards_reverses"),
    )
    _create(
        "innovations",
        "innovation_id",
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
    )
    _create(
        "mentorships",
        "link_id",
        sa.Column("master_id", sa.String(100), nullable=False),
        sa.Column("apprentice_id", sa.String(100), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
    )
    op.create_table(
        "mentorship_ends",
        sa.Column("link_id", sa.Integer, sa.ForeignKey("mentorships.link_id"), nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("link_id", name="pk_mentorship_ends"),
    )
    op.create_table(
        "competitions",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(40), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("banner", sa.String(200)),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("name", name="pk_competitions"),
    )
    _create(
        "competition_units",
        "entry_id",
        sa.Column(
            "competition", sa.String(200), sa.ForeignKey("competitions.name"), nullable=False
        ),
        sa.Column("unit", sa.String(500), nullable=False),
    )
    _create(
        "board_preferences",
        "preference_id",
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
    )
    for table, column in (
        ("incident_entries", "incident_id"),
        ("incident_entries", "date"),
        ("record_claims", "worker_id"),
        ("claim_decisions", "claim_id"),
        ("title_grants", "worker_id"),
        ("title_events", "title_id"),
        ("awards", "worker_id"),
        ("innovations", "worker_id"),
        ("mentorships", "master_id"),
        ("board_preferences", "worker_id"),
    ):
        op.create_index(f"ix_{table}_{column}", table, [column])
    for table in TABLES:
        _append_only(table)


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE in the database itself (the function is 0001's)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION stakhanov_append_only()"
        )
        return
    message = f"{table} is append-only: record a new entry instead"
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
