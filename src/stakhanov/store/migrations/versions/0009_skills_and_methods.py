"""Skills and schools (certifications, courses, sessions, examinations) and the methods
registry (methods, their steps, their adoptions as the basis of a norm revision).

Revision ID: 0009
Revises: 0006
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from stakhanov.store.types import ExactDecimal

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _written() -> sa.Column[object]:
    return sa.Column("written_at", WHEN, nullable=False)


def _of_course(name: str, key: sa.Column[Any], *columns: sa.Column[Any]) -> None:
    op.create_table(
        name,
        key,
        *columns,
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint(key.name, name=f"pk_{name}"),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.course_id"], name=f"fk_{name}_course_id_courses"
        ),
    )
    op.create_index(f"ix_{name}_course_id", name, ["course_id"])


def upgrade() -> None:
    op.create_table(
        "certifications",
        sa.Column("certification_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("level", sa.String(100), nullable=False),
        sa.Column("certified_by", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("certification_id", name="pk_certifications"),
    )
    op.create_index("ix_certifications_worker_id", "certifications", ["worker_id"])
    op.create_table(
        "courses",
        sa.Column("course_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("level", sa.String(100), nullable=False),
        sa.Column("validity_days", sa.Integer, nullable=True),
        sa.Column("teacher_id", sa.String(100), nullable=False),
        sa.Column("curriculum", sa.Text, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("course_id", name="pk_courses"),
    )
    _of_course(
        "course_sessions",
        sa.Column("session_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("hours", sa.String(20), nullable=False),
        sa.Column("attended", sa.Text, nullable=False),
    )
    _of_course(
        "examinations",
        sa.Column("examination_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(100), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("examiner", sa.String(200), nullable=False),
        sa.Column("result", sa.String(10), nullable=False),
    )
    op.create_table(
        "methods",
        sa.Column("method_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("operation", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("time_study", sa.Text, nullable=True),
        sa.Column("authors", sa.Text, nullable=False),
        sa.Column("brigade", sa.String(500), nullable=True),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("method_id", name="pk_methods"),
    )
    op.create_table(
        "method_steps",
        sa.Column("step_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("method_id", sa.Integer, nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("step_id", name="pk_method_steps"),
        sa.ForeignKeyConstraint(
            ["method_id"], ["methods.method_id"], name="fk_method_steps_method_id_methods"
        ),
    )
    op.create_index("ix_method_steps_method_id", "method_steps", ["method_id"])
    op.create_table(
        "method_adoptions",
        sa.Column("method_id", sa.Integer, nullable=False),
        sa.Column("revision_id", sa.Integer, nullable=False),
        sa.Column("share", ExactDecimal(), nullable=False),
        sa.Column("tariff", ExactDecimal(), nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("months", sa.Integer, nullable=False),
        _written(),
        sa.PrimaryKeyConstraint("method_id", name="pk_method_adoptions"),
        sa.ForeignKeyConstraint(
            ["method_id"], ["methods.method_id"], name="fk_method_adoptions_method_id_methods"
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["norm_revisions.revision_id"],
            name="fk_method_adoptions_revision_id_norm_revisions",
        ),
    )


def downgrade() -> None:
    for name in (
        "method_adoptions",
        "method_steps",
        "methods",
        "examinations",
        "course_sessions",
        "courses",
        "certifications",
    ):
        op.drop_table(name)
