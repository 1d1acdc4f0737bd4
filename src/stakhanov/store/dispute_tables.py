"""Disputes and their answers: both only ever appended."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text

from stakhanov.store.metadata import metadata

disputes = Table(
    "disputes",
    metadata,
    Column("dispute_id", Integer, primary_key=True, autoincrement=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("subject", String(20), nullable=False),
    Column("reference", String(500), nullable=False),
    Column("text", Text, nullable=False),
    Column("opened_by", String(200), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
)

dispute_answers = Table(
    "dispute_answers",
    metadata,
    Column("answer_id", Integer, primary_key=True, autoincrement=True),
    Column("dispute_id", Integer, ForeignKey("disputes.dispute_id"), nullable=False, index=True),
    Column("verdict", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("answered_by", String(200), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)
