"""Skills-and-schools and methods registry tables. All append-only: a renewal is a new
certification, a decision on a method a new step, never an edit."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from stakhanov.store.metadata import metadata
from stakhanov.store.types import ExactDecimal


def _written() -> Column[object]:
    return Column("written_at", DateTime(timezone=True), nullable=False)


certifications = Table(
    "certifications",
    metadata,
    Column("certification_id", Integer, primary_key=True, autoincrement=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("level", String(100), nullable=False),
    Column("certified_by", String(200), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("source", Text, nullable=True),
    Column("by", String(200), nullable=False),
    _written(),
)

courses = Table(
    "courses",
    metadata,
    Column("course_id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("level", String(100), nullable=False),
    Column("validity_days", Integer, nullable=True),
    Column("teacher_id", String(100), nullable=False),
    Column("curriculum", Text, nullable=False),
    Column("by", String(200), nullable=False),
    _written(),
)

course_sessions = Table(
    "course_sessions",
    metadata,
    Column("session_id", Integer, primary_key=True, autoincrement=True),
    Column("course_id", String(100), ForeignKey("courses.course_id"), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("topic", Text, nullable=False),
    Column("hours", String(20), nullable=False),
    Column("attended", Text, nullable=False),  # worker ids, ';'-separated
    Column("by", String(200), nullable=False),
    _written(),
)

examinations = Table(
    "examinations",
    metadata,
    Column("examination_id", Integer, primary_key=True, autoincrement=True),
    Column("course_id", String(100), ForeignKey("courses.course_id"), nullable=False, index=True),
    Column("worker_id", String(100), nullable=False),
    Column("date", Date, nullable=False),
    Column("examiner", String(200), nullable=False),
    Column("result", String(10), nullable=False),
    Column("by", String(200), nullable=False),
    _written(),
)

methods = Table(
    "methods",
    metadata,
    Column("method_id", Integer, primary_key=True, autoincrement=True),
    Column("operation", String(200), nullable=False),
    Column("title", String(300), nullable=False),
    Column("change", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("time_study", Text, nullable=True),
    Column("authors", Text, nullable=False),  # worker ids, ';'-separated, in the order named
    Column("brigade", String(500), nullable=True),
    Column("submitted_on", Date, nullable=False),
    Column("submitted_by", String(200), nullable=False),
    _written(),
)

method_steps = Table(
    "method_steps",
    metadata,
    Column("step_id", Integer, primary_key=True, autoincrement=True),
    Column("method_id", Integer, ForeignKey("methods.method_id"), nullable=False, index=True),
    Column("state", String(30), nullable=False),
    Column("by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    _written(),
)

method_adoptions = Table(
    "method_adoptions",
    metadata,
    Column("method_id", Integer, ForeignKey("methods.method_id"), primary_key=True),
    Column("revision_id", Integer, ForeignKey("norm_revisions.revision_id"), nullable=False),
    Column("share", ExactDecimal(), nullable=False),
    Column("tariff", ExactDecimal(), nullable=False),
    Column("currency", String(10), nullable=False),
    Column("months", Integer, nullable=False),
    _written(),
)
