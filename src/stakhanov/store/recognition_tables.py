"""Recognition tables: incidents, the rulebook, claims and decisions, titles, awards, mentoring,
competitions and honour-board preferences. Every one of them is append-only: a change of mind
is a new row (a decision, an event, a reversal), never an edit.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from stakhanov.store.metadata import ledger_table, metadata
from stakhanov.store.types import ExactDecimal, places_column

incident_entries = ledger_table(
    "incident_entries",
    Column("incident_id", String(100), nullable=False, index=True),
    Column("date", Date, nullable=False, index=True),
    Column("shift_id", String(100), nullable=True),
    Column("worker_ids", Text, nullable=False),
    Column("severity", String(50), nullable=False),
    Column("description", Text, nullable=True),
)


def _written() -> Column[object]:
    return Column("written_at", DateTime(timezone=True), nullable=False)


rulebooks = Table(
    "rulebooks",
    metadata,
    Column("rulebook_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("source", Text, nullable=True),
    Column("author", String(200), nullable=False),
    _written(),
)

record_claims = Table(
    "record_claims",
    metadata,
    Column("claim_id", String(100), primary_key=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("date", Date, nullable=False),
    Column("shift_id", String(100), nullable=True),
    Column("pre_registered", Boolean, nullable=False),
    Column("declared", Boolean, nullable=False),
    Column("conditions", String(20), nullable=False),
    Column("resources", Text, nullable=True),
    Column("witnesses", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("registered_by", String(200), nullable=False),
    _written(),
)

claim_crew = Table(
    "claim_crew",
    metadata,
    Column("member_id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String(100), ForeignKey("record_claims.claim_id"), nullable=False),
    Column("worker_id", String(100), nullable=False),
    Column("operation", String(200), nullable=False),
)

claim_decisions = Table(
    "claim_decisions",
    metadata,
    Column("decision_id", Integer, primary_key=True, autoincrement=True),
    Column(
        "claim_id", String(100), ForeignKey("record_claims.claim_id"), nullable=False, index=True
    ),
    Column("status", String(20), nullable=False),
    Column("auditor", String(200), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("fingerprint", Text, nullable=False),
    _written(),
)

title_grants = Table(
    "title_grants",
    metadata,
    Column("title_id", Integer, primary_key=True, autoincrement=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("title", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("rule", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("conferred_by", String(200), nullable=False),
    _written(),
)

title_events = Table(
    "title_events",
    metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("title_id", Integer, ForeignKey("title_grants.title_id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("date", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(200), nullable=False),
    _written(),
)

awards = Table(
    "awards",
    metadata,
    Column("award_id", Integer, primary_key=True, autoincrement=True),
    Column("reverses", Integer, ForeignKey("awards.award_id"), nullable=True, unique=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("code", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("amount", ExactDecimal(), nullable=True),
    places_column("amount", nullable=True),  # money as the rulebook writes it: 500.00
    Column("currency", String(10), nullable=True),
    Column("description", Text, nullable=True),
    Column("title_id", Integer, ForeignKey("title_grants.title_id"), nullable=True),
    Column("claim_id", String(100), ForeignKey("record_claims.claim_id"), nullable=True),
    Column("reason", Text, nullable=True),
    Column("by", String(200), nullable=False),
    _written(),
)

innovations = Table(
    "innovations",
    metadata,
    Column("innovation_id", Integer, primary_key=True, autoincrement=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("description", Text, nullable=False),
    Column("by", String(200), nullable=False),
    _written(),
)

mentorships = Table(
    "mentorships",
    metadata,
    Column("link_id", Integer, primary_key=True, autoincrement=True),
    Column("master_id", String(100), nullable=False, index=True),
    Column("apprentice_id", String(100), nullable=False),
    Column("start", Date, nullable=False),
    Column("note", Text, nullable=True),
    Column("by", String(200), nullable=False),
    _written(),
)

mentorship_ends = Table(
    "mentorship_ends",
    metadata,
    Column("link_id", Integer, ForeignKey("mentorships.link_id"), primary_key=True),
    Column("end", Date, nullable=False),
    Column("reason", Text, nullable=True),
    Column("by", String(200), nullable=False),
    _written(),
)

competitions = Table(
    "competitions",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("metric", String(40), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("step", String(20), nullable=False),
    Column("banner", String(200), nullable=True),
    Column("by", String(200), nullable=False),
    _written(),
)

competition_units = Table(
    "competition_units",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("competition", String(200), ForeignKey("competitions.name"), nullable=False),
    Column("unit", String(500), nullable=False),
)

board_preferences = Table(
    "board_preferences",
    metadata,
    Column("preference_id", Integer, primary_key=True, autoincrement=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("public", Boolean, nullable=False),
    Column("reason", Text, nullable=True),
    Column("by", String(200), nullable=False),
    _written(),
)
