"""Norm governance and plans: provenance and plan targets (ledger tables), policies, revisions.

Provenance and plans are imported like the other ledger files, so they share the ledger's
bookkeeping and its corrections by reversal. Policies, revisions and decisions are written by
commands; all of them are append-only in the database (migration 0004).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from stakhanov.store.metadata import ledger_table, metadata
from stakhanov.store.types import ExactDecimal, places_column

provenance_entries = ledger_table(
    "provenance_entries",
    Column("operation", String(200), nullable=False, index=True),
    Column("effective_from", Date, nullable=False),
    Column("method", String(20), nullable=False),
    Column("observations", Integer, nullable=True),
    Column("pace_rating", ExactDecimal(), nullable=True),
    Column("allowances", ExactDecimal(), nullable=True),
    Column("evidence", Text, nullable=True),
    Column("approved_by", Text, nullable=True),
)

plan_entries = ledger_table(
    "plan_entries",
    Column("unit", String(500), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("target", ExactDecimal(), nullable=False),
    Column("unit_of_measure", String(50), nullable=False),
    places_column("target"),  # a cascade splits the target at the precision it is written with
)

governance_policies = Table(
    "governance_policies",
    metadata,
    Column("policy_id", Integer, primary_key=True, autoincrement=True),
    Column("document", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Column("written_at", DateTime(timezone=True), nullable=False),
)

norm_revisions = Table(
    "norm_revisions",
    metadata,
    Column("revision_id", Integer, primary_key=True, autoincrement=True),
    Column("operation", String(200), nullable=False, index=True),
    Column("basis", String(20), nullable=False),
    Column("base_from", Date, nullable=False),
    Column("proposed_norm", ExactDecimal(), nullable=False),
    Column("proposed_on", Date, nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("policy", Text, nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
)

revision_decisions = Table(
    "revision_decisions",
    metadata,
    Column("decision_id", Integer, primary_key=True, autoincrement=True),
    Column(
        "revision_id",
        Integer,
        ForeignKey("norm_revisions.revision_id"),
        nullable=False,
        index=True,
    ),
    Column("step", String(100), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("decided_by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("effective_from", Date, nullable=True),
    Column("written_at", DateTime(timezone=True), nullable=False),
)

APPEND_ONLY = (
    "provenance_entries",
    "plan_entries",
    "governance_policies",
    "norm_revisions",
    "revision_decisions",
)
