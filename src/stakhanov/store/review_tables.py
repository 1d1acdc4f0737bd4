"""Auditors' reviews of audit findings: append-only decisions; the latest one counts."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from stakhanov.store.metadata import metadata

finding_reviews = Table(
    "finding_reviews",
    metadata,
    Column("review_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("shift_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=True),
    Column("decision", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("finding_message", Text, nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
)
