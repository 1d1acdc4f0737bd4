"""Workers' sign-offs of their day's counts: only ever appended (decision 0845)."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Integer, String, Table, Text

from stakhanov.store.metadata import metadata

day_signoffs = Table(
    "day_signoffs",
    metadata,
    Column("signoff_id", Integer, primary_key=True, autoincrement=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("shift_id", String(100), nullable=False, index=True),
    Column("day", Date, nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("seen", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("dispute_id", Integer, nullable=True),
    Column("signed_by", String(200), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
)
