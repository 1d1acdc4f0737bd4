"""The skills-and-schools registry in the database: certifications, courses, their sessions and
examinations, read back as domain values and appended, never edited."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from stakhanov.domain.skills import Certification, Course, Examination, Session
from stakhanov.store.ledger import now
from stakhanov.store.registry_tables import (
    certifications,
    course_sessions,
    courses,
    examinations,
)


class SkillStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def certifications(self) -> list[Certification]:
        rows = self.connection.execute(
            select(certifications).order_by(certifications.c.certification_id)
        )
        return [
            Certification(
                r.worker_id, r.operation, r.level, r.certified_by, r.valid_from, r.valid_until
            )
            for r in rows
        ]

    def courses(self) -> list[Course]:
        rows = self.connection.execute(select(courses).order_by(courses.c.course_id))
        return [
            Course(
                r.course_id,
                r.name,
                r.operation,
                r.level,
                r.validity_days,
                r.teacher_id,
                r.curriculum,
            )
            for r in rows
        ]

    def sessions(self) -> list[Session]:
        rows = self.connection.execute(
            select(course_sessions).order_by(course_sessions.c.course_id, course_sessions.c.date)
        )
        return [
            Session(
                r.course_id,
                r.date,
                r.topic,
                r.hours,
                tuple(w for w in r.attended.split(";") if w),
            )
            for r in rows
        ]

    def examinations(self) -> list[Examination]:
        rows = self.connection.execute(
            select(examinations).order_by(examinations.c.date, examinations.c.examination_id)
        )
        return [Examination(r.course_id, r.worker_id, r.date, r.examiner, r.result) for r in rows]

    def add_certifications(self, found: Sequence[tuple[Certification, str]], by: str) -> None:
        """Append certifications, each with the file and row it came from."""
        if found:
            self.connection.execute(
                insert(certifications),
                [
                    {
                        "worker_id": c.worker_id,
                        "operation": c.operation,
                        "level": c.level,
                        "certified_by": c.certified_by,
                        "valid_from": c.valid_from,
                        "valid_until": c.valid_until,
                        "source": source,
                        "by": by,
                        "written_at": now(),
                    }
                    for c, source in found
                ],
            )

    def add_courses(self, found: Sequence[Course], by: str) -> None:
        if found:
            self.connection.execute(
                insert(courses),
                [
                    {
                        "course_id": c.course_id,
                        "name": c.name,
                        "operation": c.operation,
                        "level": c.level,
                        "validity_days": c.validity_days,
                        "teacher_id": c.teacher_id,
                        "curriculum": c.curriculum,
                        "by": by,
                        "written_at": now(),
                    }
                    for c in found
                ],
            )

    def add_sessions(self, found: Sequence[Session], by: str) -> None:
        if found:
            self.connection.execute(
                insert(course_sessions),
                [
                    {
                        "course_id": s.course_id,
                        "date": s.date,
                        "topic": s.topic,
                        "hours": s.hours,
                        "attended": ";".join(s.attended),
                        "by": by,
                        "written_at": now(),
                    }
                    for s in found
                ],
            )

    def add_examinations(self, found: Sequence[Examination], by: str) -> None:
        if found:
            self.connection.execute(
                insert(examinations),
                [
                    {
                        "course_id": e.course_id,
                        "worker_id": e.worker_id,
                        "date": e.date,
                        "examiner": e.examiner,
                        "result": e.result,
                        "by": by,
                        "written_at": now(),
                    }
                    for e in found
                ],
            )
