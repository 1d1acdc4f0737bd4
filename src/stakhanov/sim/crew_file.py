"""The crew a planner assigns: one CSV row per worker, each problem located to file:row:column.

`worker_id,name,skills,certifications,hours,recent`: skills as `hewing:master;loading:good`,
certifications as `drill;first-aid`, hours available this shift, and the roles of the worker's
recent shifts, most recent first (`loading;loading;haulage`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.skills import Certification, held_on
from stakhanov.domain.wording import say
from stakhanov.sim.workplace import Workplace

COLUMNS = ("worker_id", "name", "skills", "certifications", "hours", "recent")


@dataclass(frozen=True)
class CrewMember:
    worker_id: str
    name: str
    skills: dict[str, str]
    certifications: frozenset[str]
    hours: Decimal
    recent: tuple[str, ...]


class CrewRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def read_crew(text: str, workplace: Workplace, file: str = "crew.csv") -> list[CrewMember]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    problems: list[Problem] = []
    header = [c.strip() for c in rows[0]] if rows else []
    if tuple(header) != COLUMNS:
        raise CrewRejected(
            [
                Problem(
                    Source(file, 1),
                    "-",
                    say("the header must be %(columns)s", columns=",".join(COLUMNS)),
                )
            ]
        )
    crew, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = Source(file, number)
        if len(row) != len(COLUMNS):
            problems.append(
                Problem(
                    where,
                    "-",
                    say(
                        "expected %(columns)s cells, found %(row)s",
                        columns=len(COLUMNS),
                        row=len(row),
                    ),
                )
            )
            continue
        cells = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
        ident = cells["worker_id"]
        if not ident:
            problems.append(Problem(where, "worker_id", say("is required")))
        elif ident in seen:
            problems.append(
                Problem(where, "worker_id", say("%(ident)r is listed twice", ident=ident))
            )
        seen.add(ident)
        skills = {}
        for item in _list(cells["skills"]):
            op, _, level = item.partition(":")
            op, level = op.strip(), level.strip()
            if op not in workplace.names:
                problems.append(
                    Problem(
                        where, "skills", say("%(op)r is not an operation of the workplace", op=op)
                    )
                )
            elif level not in workplace.operation(op).rates:
                known = ", ".join(workplace.operation(op).rates)
                problems.append(
                    Problem(
                        where,
                        "skills",
                        say(
                            "%(op)s: unknown skill %(level)r; known: %(known)s",
                            op=op,
                            level=level,
                            known=known,
                        ),
                    )
                )
            else:
                skills[op] = level
        recent = _list(cells["recent"])
        for role in recent:
            if role not in workplace.names:
                problems.append(
                    Problem(
                        where,
                        "recent",
                        say("%(role)r is not an operation of the workplace", role=role),
                    )
                )
        try:
            hours = Decimal(cells["hours"]) if cells["hours"] else workplace.shift_hours
            if not hours.is_finite() or not Decimal(0) <= hours <= 24:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(
                Problem(where, "hours", say("%(hours)r: hours from 0 to 24", hours=cells["hours"]))
            )
            hours = Decimal(0)
        crew.append(
            CrewMember(
                ident,
                cells["name"] or ident,
                skills,
                frozenset(_list(cells["certifications"])),
                hours,
                tuple(recent),
            )
        )
    if problems:
        raise CrewRejected(problems)
    return crew


def crew_from_registry(
    workplace: Workplace,
    workers: list[tuple[str, str]],
    certifications: list[Certification],
    on: dt.date,
) -> list[CrewMember]:
    """The crew as the skills registry has it on a day: each worker's valid certifications for
    the workplace's operations give their skills (the best level held, by rate), the others
    their certificates; every worker is available for the whole shift, with no recent roles."""
    ranks = {
        op.name: sorted(op.rates, key=lambda level: op.rates[level]) for op in workplace.operations
    }
    crew = []
    for worker_id, name in workers:
        held = [c for c in certifications if c.worker_id == worker_id]
        skills, certificates = held_on(held, on, ranks)
        crew.append(CrewMember(worker_id, name, skills, certificates, workplace.shift_hours, ()))
    return crew
