"""Skills and schools: the registry as read (certifications, imported and granted by
examinations; courses), what lapses, the crew the planner takes, and what title rules count.
Importing and entering are in `skill_imports`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Problem
from stakhanov.domain.periods import Period
from stakhanov.domain.skills import (
    Certification,
    Course,
    Examination,
    Lapse,
    Session,
    lapsing,
    registry,
)
from stakhanov.domain.units import is_within
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker

# Importing and entering live in skill_imports; callers reach them here too.
from stakhanov.services.skill_imports import COURSE_FILES as COURSE_FILES
from stakhanov.services.skill_imports import Counts as Counts
from stakhanov.services.skill_imports import SkillsRejected as SkillsRejected
from stakhanov.services.skill_imports import enter as enter
from stakhanov.services.skill_imports import (
    enter_examination as enter_examination,
)
from stakhanov.services.skill_imports import (
    import_certifications as import_certifications,
)
from stakhanov.services.skill_imports import import_courses as import_courses
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.skills import SkillStore


@dataclass(frozen=True)
class Registry:
    workers: Mapping[str, Worker]
    certifications: list[Certification]
    courses: list[Course]
    sessions: list[Session]
    examinations: list[Examination]

    def within(self, unit: str | None) -> list[Certification]:
        return [c for c in self.certifications if self.in_unit(c.worker_id, unit)]

    def in_unit(self, worker_id: str, unit: str | None) -> bool:
        worker = self.workers.get(worker_id)
        return unit is None or (worker is not None and is_within(worker.unit, unit))


def read_registry(connection: Connection) -> Registry:
    store = SkillStore(connection)
    courses, exams = store.courses(), store.examinations()
    return Registry(
        LedgerStore(connection).master().workers,
        registry(store.certifications(), courses, exams),
        courses,
        store.sessions(),
        exams,
    )


def load(engine: Engine) -> Registry:
    with engine.connect() as connection:
        return read_registry(connection)


def certifications(
    engine: Engine, unit: str | None = None, worker: str | None = None, on: dt.date | None = None
) -> list[Certification]:
    found = load(engine).within(unit)
    return [
        c
        for c in found
        if (worker is None or c.worker_id == worker) and (on is None or c.valid_on(on))
    ]


def lapses(engine: Engine, on: dt.date, within_days: int, unit: str | None = None) -> list[Lapse]:
    """Certifications that hold on `on` and end, unrenewed, within the next `within_days`."""
    window = Period(on, on + dt.timedelta(days=within_days))
    return lapsing(load(engine).within(unit), window)


def certification_dict(c: Certification) -> dict[str, Any]:
    return {
        "worker_id": c.worker_id,
        "operation": c.operation,
        "level": c.level or None,
        "certified_by": c.certified_by,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
        "course_id": c.course_id,
    }


def lapse_dict(lapse: Lapse) -> dict[str, Any]:
    return {
        "worker_id": lapse.worker_id,
        "operation": lapse.operation,
        "level": lapse.level or None,
        "last_day": lapse.last_day,
        "days_left": lapse.days_left,
        "certified_by": lapse.certified_by,
    }


def course_dict(course: Course, registry: Registry) -> dict[str, Any]:
    sessions = [s for s in registry.sessions if s.course_id == course.course_id]
    exams = [e for e in registry.examinations if e.course_id == course.course_id]
    return {
        "course_id": course.course_id,
        "name": course.name,
        "operation": course.operation,
        "level": course.level or None,
        "validity_days": course.validity_days,
        "teacher_id": course.teacher_id,
        "curriculum": course.curriculum,
        "sessions": len(sessions),
        "attendees": len({w for s in sessions for w in s.attended}),
        "examined": len(exams),
        "passed": sorted({e.worker_id for e in exams if e.passed}),
    }


def courses(engine: Engine, unit: str | None = None) -> list[dict[str, Any]]:
    """Courses with their sessions and results; with a unit, those it teaches or attends."""
    found = load(engine)
    rows = []
    for course in found.courses:
        people = {course.teacher_id} | {
            w for s in found.sessions if s.course_id == course.course_id for w in s.attended
        }
        if unit is None or any(found.in_unit(w, unit) for w in people):
            rows.append(course_dict(course, found))
    return rows


def crew_of(engine: Engine, unit: str) -> tuple[list[tuple[str, str]], list[Certification]]:
    """The workers of a unit (id and name) and their certifications, for the crew planner."""
    found = load(engine)
    workers = sorted(
        (w.worker_id, w.name) for w in found.workers.values() if is_within(w.unit, unit)
    )
    if not workers:
        raise SkillsRejected(
            [Problem(None, "unit", say("no worker belongs to %(unit)r", unit=unit))]
        )
    return workers, found.within(unit)


def course_counts(connection: Connection, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Per worker, the courses whose examination they passed in the period, and the courses
    they taught a session of in it: what title rules may name."""
    store = SkillStore(connection)
    passed: dict[str, set[str]] = {}
    for e in store.examinations():
        if e.passed and e.date in period:
            passed.setdefault(e.worker_id, set()).add(e.course_id)
    teachers = {c.course_id: c.teacher_id for c in store.courses()}
    taught: dict[str, set[str]] = {}
    for s in store.sessions():
        if s.date in period and s.course_id in teachers:
            taught.setdefault(teachers[s.course_id], set()).add(s.course_id)
    return (
        {w: len(c) for w, c in passed.items()},
        {w: len(c) for w, c in taught.items()},
    )
