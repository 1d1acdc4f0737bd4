"""Skills and schools: import certifications and courses, list them, and find what lapses.

An import is judged whole: every problem in every file is collected and located, and only a
batch with none is written, in one transaction. A row already stored exactly as it is counts as
unchanged (importing the same file twice writes nothing); a row whose key is stored with other
content is refused: a certification is never edited, a renewal is a new one from a later day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.periods import Period
from stakhanov.domain.skills import (
    Certification,
    Course,
    Examination,
    Lapse,
    Session,
    exam_problem,
    lapsing,
    registry,
)
from stakhanov.domain.units import is_within
from stakhanov.domain.workers import Worker
from stakhanov.services import skill_files
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.skills import SkillStore

T = TypeVar("T")
COURSE_FILES = ("courses.csv", "course_sessions.csv", "examinations.csv")


class SkillsRejected(Refused):
    """The files have problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems)


@dataclass(frozen=True)
class Counts:
    added: int
    unchanged: int


def _workers(connection: Connection) -> Mapping[str, Worker]:
    return LedgerStore(connection).snapshot([]).workers


def _new(
    found: Sequence[tuple[T, Source]],
    stored: Sequence[T],
    key: Callable[[T], Hashable],
    problems: list[Problem],
    column: str,
) -> tuple[list[tuple[T, Source]], int]:
    """The rows not stored yet, and how many are stored as they are; a key stored (or given
    twice) with other content is a problem."""
    known = {key(s): s for s in stored}
    seen: dict[Hashable, Source] = {}
    new, unchanged = [], 0
    for value, where in found:
        k = key(value)
        if k in seen:
            problems.append(Problem(where, column, f"repeats row {seen[k].row}"))
        elif k in known and known[k] != value:
            problems.append(
                Problem(where, column, "is stored with other content; records are never edited")
            )
        elif k in known:
            unchanged += 1
        else:
            new.append((value, where))
        seen[k] = where
    return new, unchanged


def _unknown(
    worker_id: str, workers: Mapping[str, Worker], where: Source, column: str
) -> list[Problem]:
    return [] if worker_id in workers else [Problem(where, column, f"unknown worker {worker_id!r}")]


def import_certifications(engine: Engine, text: str, file: str, by: str) -> Counts:
    problems: list[Problem] = []
    found = skill_files.read_rows(text, file, skill_files.certification, problems)
    with engine.begin() as connection:
        workers = _workers(connection)
        store = SkillStore(connection)
        for c, where in found:
            problems += _unknown(c.worker_id, workers, where, "worker_id")
        new, unchanged = _new(found, store.certifications(), _cert_key, problems, "valid_from")
        if problems:
            raise SkillsRejected(problems)
        store.add_certifications([(c, str(where)) for c, where in new], by)
    return Counts(len(new), unchanged)


def _cert_key(c: Certification) -> Hashable:
    return c.key


def import_courses(engine: Engine, texts: Mapping[str, str], by: str) -> dict[str, Counts]:
    """courses.csv, course_sessions.csv and examinations.csv, any of them, as one batch."""
    problems: list[Problem] = []
    parsed: dict[str, list[Any]] = {}
    makers = (skill_files.course, skill_files.session, skill_files.examination)
    for name, make in zip(COURSE_FILES, makers, strict=True):
        paths = [p for p in texts if p.rsplit("/", 1)[-1] == name]
        parsed[name] = [
            row for p in paths for row in skill_files.read_rows(texts[p], p, make, problems)
        ]
    with engine.begin() as connection:
        workers = _workers(connection)
        store = SkillStore(connection)
        stored_courses, stored_sessions = store.courses(), store.sessions()
        new_courses, same_courses = _new(
            parsed["courses.csv"], stored_courses, lambda c: c.course_id, problems, "course_id"
        )
        new_sessions, same_sessions = _new(
            parsed["course_sessions.csv"], stored_sessions, lambda s: s.key, problems, "date"
        )
        new_exams, same_exams = _new(
            parsed["examinations.csv"], store.examinations(), lambda e: e.key, problems, "date"
        )
        courses = {c.course_id: c for c in stored_courses} | {
            c.course_id: c for c, _ in new_courses
        }
        sessions = stored_sessions + [s for s, _ in new_sessions]
        for c, where in new_courses:
            problems += _unknown(c.teacher_id, workers, where, "teacher_id")
        for s, where in new_sessions:
            if s.course_id not in courses:
                problems.append(Problem(where, "course_id", f"no course {s.course_id!r}"))
            for w in s.attended:
                problems += _unknown(w, workers, where, "attended")
        for e, where in new_exams:
            problems += _unknown(e.worker_id, workers, where, "worker_id")
            of_course = [s for s in sessions if s.course_id == e.course_id]
            reason = exam_problem(courses.get(e.course_id), e, of_course)
            if reason:
                problems.append(Problem(where, "worker_id", reason))
        if problems:
            raise SkillsRejected(sorted(problems, key=_where))
        store.add_courses([c for c, _ in new_courses], by)
        store.add_sessions([s for s, _ in new_sessions], by)
        store.add_examinations([e for e, _ in new_exams], by)
    return {
        "courses.csv": Counts(len(new_courses), same_courses),
        "course_sessions.csv": Counts(len(new_sessions), same_sessions),
        "examinations.csv": Counts(len(new_exams), same_exams),
    }


def _where(problem: Problem) -> tuple[str, int]:
    return (problem.source.file, problem.source.row) if problem.source else ("", 0)


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
        _workers(connection),
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
        raise SkillsRejected([Problem(None, "unit", f"no worker belongs to {unit!r}")])
    return workers, found.within(unit)


def enter_examination(engine: Engine, exam: Examination, by: str) -> bool:
    """One examination entered on a page, judged exactly as an imported row; False when it is
    stored already, as it is. A pass grants the course's certification."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(skill_files.COLUMNS["examinations.csv"])
    writer.writerow([exam.course_id, exam.worker_id, exam.date, exam.examiner, exam.result])
    counts = import_courses(engine, {"page/examinations.csv": text.getvalue()}, by)
    return counts["examinations.csv"].added == 1


def enter(engine: Engine, certification: Certification, by: str) -> bool:
    """One certification entered on a page; False when it is stored already, as it is."""
    where = Source("page", 1)
    problems: list[Problem] = []
    with engine.begin() as connection:
        problems += _unknown(certification.worker_id, _workers(connection), where, "worker_id")
        store = SkillStore(connection)
        new, _ = _new(
            [(certification, where)], store.certifications(), _cert_key, problems, "valid_from"
        )
        if problems:
            raise SkillsRejected(problems)
        store.add_certifications([(c, "entered") for c, _ in new], by)
    return bool(new)


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
