"""Skills and schools: who is certified for what, from when until when, and the courses whose
examination grants a certification.

A certification names an operation (with the skill level the worker holds in it, such as
`master`) or a certificate the workplace asks for (`drill`, with no level). It is valid from its
first day to its last day inclusive; no last day means it does not lapse. Passing a course's
examination grants the course's certification from the day of the examination, for the course's
validity. Nothing is edited: a renewal is a new certification from a later day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period
from stakhanov.domain.values import require_text
from stakhanov.domain.wording import say

RESULTS = ("pass", "fail")


@dataclass(frozen=True)
class Certification:
    worker_id: str
    operation: str
    level: str
    certified_by: str
    valid_from: dt.date
    valid_until: dt.date | None
    course_id: str | None = None
    """The course whose examination granted it; None for one imported as it is."""

    def __post_init__(self) -> None:
        for name in ("worker_id", "operation", "certified_by"):
            object.__setattr__(self, name, require_text(name, getattr(self, name)))
        object.__setattr__(self, "level", self.level.strip())
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidValue("valid_until", self.valid_until, say("is before valid_from"))

    @property
    def key(self) -> tuple[str, str, str, dt.date]:
        return (self.worker_id, self.operation, self.level, self.valid_from)

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Course:
    course_id: str
    name: str
    operation: str
    level: str
    validity_days: int | None
    """How long the certification that passing grants lasts; None: it does not lapse."""
    teacher_id: str
    curriculum: str

    def __post_init__(self) -> None:
        for name in ("course_id", "name", "operation", "teacher_id"):
            object.__setattr__(self, name, require_text(name, getattr(self, name)))
        if self.validity_days is not None and self.validity_days < 1:
            raise InvalidValue("validity_days", self.validity_days, say("must be at least 1"))


@dataclass(frozen=True)
class Session:
    course_id: str
    date: dt.date
    topic: str
    hours: str
    attended: tuple[str, ...]

    @property
    def key(self) -> tuple[str, dt.date]:
        return (self.course_id, self.date)


@dataclass(frozen=True)
class Examination:
    course_id: str
    worker_id: str
    date: dt.date
    examiner: str
    result: str

    def __post_init__(self) -> None:
        if self.result not in RESULTS:
            raise InvalidValue("result", self.result, say("must be pass or fail"))
        require_text("examiner", self.examiner)

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.course_id, self.worker_id, self.date)

    @property
    def passed(self) -> bool:
        return self.result == "pass"


def granted(course: Course, exam: Examination) -> Certification:
    """The certification a passed examination grants: from its day, for the course's validity."""
    until = (
        None
        if course.validity_days is None
        else exam.date + dt.timedelta(days=course.validity_days - 1)
    )
    return Certification(
        exam.worker_id,
        course.operation,
        course.level,
        exam.examiner,
        exam.date,
        until,
        course.course_id,
    )


def exam_problem(
    course: Course | None, exam: Examination, sessions: Sequence[Session]
) -> str | None:
    """Why an examination cannot stand, or None: the course must exist, the examinee must have
    attended one of its sessions, and the examination comes after the first session attended."""
    if course is None:
        return f"no course {exam.course_id!r}"
    attended = [s.date for s in sessions if exam.worker_id in s.attended]
    if not attended:
        return f"{exam.worker_id} attended no session of {course.course_id}"
    if exam.date < min(attended):
        return f"the examination is before {exam.worker_id}'s first session ({min(attended)})"
    return None


def registry(
    imported: Iterable[Certification],
    courses: Iterable[Course],
    exams: Iterable[Examination],
) -> list[Certification]:
    """Every certification: those imported and those that passed examinations grant."""
    by_id = {c.course_id: c for c in courses}
    found = list(imported)
    found += [granted(by_id[e.course_id], e) for e in exams if e.passed and e.course_id in by_id]
    return sorted(found, key=lambda c: (c.worker_id, c.operation, c.valid_from, c.level))


def valid_on(certifications: Iterable[Certification], day: dt.date) -> list[Certification]:
    return [c for c in certifications if c.valid_on(day)]


def covered_until(certifications: Iterable[Certification], start: dt.date) -> dt.date | None:
    """The last day of the unbroken run of validity that holds on `start` (renewals that begin
    by the day after one ends continue it); None when it never ends. Raises if none holds."""
    spans = sorted(certifications, key=lambda c: c.valid_from)
    if not any(c.valid_on(start) for c in spans):
        raise InvalidValue("date", start, say("no certification holds that day"))
    end = start - dt.timedelta(days=1)
    for c in spans:
        if c.valid_from > end + dt.timedelta(days=1):
            if c.valid_from > start:
                break
            continue
        if c.valid_until is None:
            return None
        end = max(end, c.valid_until)
    return end


@dataclass(frozen=True)
class Lapse:
    """A worker's certification for an operation (at a level) that ends within the window."""

    worker_id: str
    operation: str
    level: str
    last_day: dt.date
    days_left: int
    certified_by: str


def lapsing(certifications: Iterable[Certification], window: Period) -> list[Lapse]:
    """What holds on the window's first day and ends within it, renewals counted: a worker
    certified again from the day after (or sooner) does not lapse."""
    groups: dict[tuple[str, str, str], list[Certification]] = {}
    for c in certifications:
        groups.setdefault((c.worker_id, c.operation, c.level), []).append(c)
    found = []
    for (worker, operation, level), held in sorted(groups.items()):
        if not any(c.valid_on(window.start) for c in held):
            continue
        end = covered_until(held, window.start)
        if end is not None and end in window:
            last = max((c for c in held if c.valid_until == end), key=lambda c: c.valid_from)
            days = (end - window.start).days
            found.append(Lapse(worker, operation, level, end, days, last.certified_by))
    return sorted(found, key=lambda lapse: (lapse.last_day, lapse.worker_id, lapse.operation))


def held_on(
    certifications: Iterable[Certification], day: dt.date, ranks: Mapping[str, Sequence[str]]
) -> tuple[dict[str, str], frozenset[str]]:
    """A worker's skills and certificates on a day, for the planner: an operation in `ranks`
    gives a skill at the best valid level it lists (best last); anything else a certificate."""
    skills: dict[str, str] = {}
    certificates: set[str] = set()
    for c in valid_on(certifications, day):
        order = ranks.get(c.operation)
        if order is None:
            certificates.add(c.operation)
        elif c.level in order:
            known = skills.get(c.operation)
            if known is None or order.index(c.level) > order.index(known):
                skills[c.operation] = c.level
    return skills, frozenset(certificates)
