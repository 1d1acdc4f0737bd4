"""Importing and entering the skills registry: certifications, courses, sessions and
examinations, judged whole and written in one transaction, or not at all.

A row already stored exactly as it is counts as unchanged (importing the same file twice writes
nothing); a row whose key is stored with other content is refused: a certification is never
edited, a renewal is a new one from a later day.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.skills import Certification, Examination, exam_problem
from stakhanov.domain.wording import say
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
    return LedgerStore(connection).master().workers


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
            problems.append(Problem(where, column, say("repeats row %(row)s", row=seen[k].row)))
        elif k in known and known[k] != value:
            problems.append(
                Problem(
                    where, column, say("is stored with other content; records are never edited")
                )
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
    return (
        []
        if worker_id in workers
        else [Problem(where, column, say("unknown worker %(worker_id)r", worker_id=worker_id))]
    )


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
                problems.append(
                    Problem(
                        where, "course_id", say("no course %(course_id)r", course_id=s.course_id)
                    )
                )
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
