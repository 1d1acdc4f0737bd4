"""The registry's files: certifications.csv, courses.csv, course_sessions.csv and
examinations.csv. Every problem is collected and located to file:row:column; a file with any
problem gives nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.periods import parse_date
from stakhanov.domain.skills import Certification, Course, Examination, Session
from stakhanov.domain.wording import say

T = TypeVar("T")

COLUMNS = {
    "certifications.csv": (
        "worker_id",
        "operation",
        "level",
        "certified_by",
        "valid_from",
        "valid_until",
    ),
    "courses.csv": (
        "course_id",
        "name",
        "operation",
        "level",
        "validity_days",
        "teacher_id",
        "curriculum",
    ),
    "course_sessions.csv": ("course_id", "date", "topic", "hours", "attended"),
    "examinations.csv": ("course_id", "worker_id", "date", "examiner", "result"),
}


class Cells:
    """One row's cells; a bad cell becomes a located problem and raises to skip the row."""

    def __init__(self, cells: dict[str, str], where: Source, problems: list[Problem]) -> None:
        self.cells, self.where, self.problems = cells, where, problems

    def text(self, name: str, required: bool = True) -> str:
        value = self.cells[name]
        if required and not value:
            self.problems.append(Problem(self.where, name, say("is required")))
            raise _Skip
        return value

    def day(self, name: str) -> dt.date:
        found = self.maybe_day(name, required=True)
        assert found is not None
        return found

    def maybe_day(self, name: str, required: bool = False) -> dt.date | None:
        value = self.text(name, required)
        if not value:
            return None
        try:
            return parse_date(value, name)
        except InvalidValue as err:
            self.problems.append(
                Problem(
                    self.where, name, say("%(value)r %(reason)s", value=value, reason=err.reason)
                )
            )
            raise _Skip from err


class _Skip(Exception):
    pass


def read_rows(
    text: str, file: str, make: Callable[[Cells], T], problems: list[Problem]
) -> list[tuple[T, Source]]:
    """Each row made into a value with where it came from; problems are appended."""
    name = file.rsplit("/", 1)[-1]
    columns = COLUMNS[name]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = tuple(c.strip() for c in rows[0]) if rows else ()
    if header != columns:
        problems.append(
            Problem(
                Source(file, 1),
                "-",
                say("the header must be %(columns)s", columns=",".join(columns)),
            )
        )
        return []
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        where = Source(file, number)
        if len(row) != len(columns):
            problems.append(
                Problem(
                    where,
                    "-",
                    say(
                        "expected %(columns)s cells, found %(row)s",
                        columns=len(columns),
                        row=len(row),
                    ),
                )
            )
            continue
        cells = Cells(dict(zip(columns, (c.strip() for c in row), strict=True)), where, problems)
        try:
            found.append((make(cells), where))
        except _Skip:
            continue
        except InvalidValue as err:
            problems.append(
                Problem(
                    where,
                    err.field,
                    say("%(value)r: %(reason)s", value=err.value, reason=err.reason),
                )
            )
    return found


def certification(cells: Cells) -> Certification:
    return Certification(
        cells.text("worker_id"),
        cells.text("operation"),
        cells.text("level", required=False),
        cells.text("certified_by"),
        cells.day("valid_from"),
        cells.maybe_day("valid_until"),
    )


def course(cells: Cells) -> Course:
    days = cells.text("validity_days", required=False)
    if days and not days.isdigit():
        raise InvalidValue("validity_days", days, say("must be a whole number of days"))
    return Course(
        cells.text("course_id"),
        cells.text("name"),
        cells.text("operation"),
        cells.text("level", required=False),
        int(days) if days else None,
        cells.text("teacher_id"),
        cells.text("curriculum", required=False),
    )


def session(cells: Cells) -> Session:
    hours = cells.text("hours")
    try:
        if not Decimal(0) < Decimal(hours) <= 24:
            raise InvalidOperation
    except InvalidOperation as err:
        raise InvalidValue("hours", hours, say("must be more than 0 and at most 24")) from err
    attended = tuple(w.strip() for w in cells.text("attended", required=False).split(";"))
    return Session(
        cells.text("course_id"),
        cells.day("date"),
        cells.text("topic"),
        hours,
        tuple(w for w in attended if w),
    )


def examination(cells: Cells) -> Examination:
    return Examination(
        cells.text("course_id"),
        cells.text("worker_id"),
        cells.day("date"),
        cells.text("examiner"),
        cells.text("result").lower(),
    )
