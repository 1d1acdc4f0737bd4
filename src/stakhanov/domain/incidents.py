"""Safety incidents: who was involved, when, on which shift. Every title is gated on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.periods import Period
from stakhanov.domain.values import require_text
from stakhanov.domain.wording import say


@dataclass(frozen=True)
class Incident:
    incident_id: str
    date: dt.date
    shift_id: str | None
    worker_ids: tuple[str, ...]
    severity: str
    description: str | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "incident_id", require_text("incident_id", self.incident_id))
        object.__setattr__(self, "severity", require_text("severity", self.severity).lower())
        if not self.worker_ids:
            raise InvalidValue("worker_ids", "", say("name at least one worker, separated by ';'"))
        if len(set(self.worker_ids)) != len(self.worker_ids):
            raise InvalidValue("worker_ids", ";".join(self.worker_ids), say("names a worker twice"))

    def involves(self, worker_id: str) -> bool:
        return worker_id in self.worker_ids


def parse_worker_ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def check_incidents(incidents: Iterable[Incident], ledger: Ledger) -> list[Problem]:
    """Every incident names known workers and, if it names a shift, a known one on its date
    whose crew holds every worker it names."""
    problems = []
    for incident in incidents:
        for worker_id in incident.worker_ids:
            if worker_id not in ledger.workers:
                problems.append(
                    Problem(
                        incident.origin,
                        "worker_ids",
                        say("unknown worker %(worker_id)r", worker_id=worker_id),
                    )
                )
        if incident.shift_id is None:
            continue
        shift = ledger.shifts.get(incident.shift_id)
        if shift is None:
            problems.append(
                Problem(
                    incident.origin,
                    "shift_id",
                    say("unknown shift %(shift_id)r", shift_id=incident.shift_id),
                )
            )
            continue
        if shift.date != incident.date:
            problems.append(
                Problem(
                    incident.origin,
                    "date",
                    say(
                        "shift %(shift_id)s took place on %(date)s, not %(date2)s",
                        shift_id=shift.shift_id,
                        date=shift.date,
                        date2=incident.date,
                    ),
                )
            )
        crew = {e.worker_id for e in ledger.crew_of(shift.shift_id)}
        for worker_id in incident.worker_ids:
            if worker_id in ledger.workers and worker_id not in crew:
                problems.append(
                    Problem(
                        incident.origin,
                        "worker_ids",
                        say(
                            "%(worker_id)r is not in the crew of shift %(shift_id)s",
                            worker_id=worker_id,
                            shift_id=shift.shift_id,
                        ),
                    )
                )
    return problems


def incidents_of(worker_id: str, incidents: Iterable[Incident], period: Period) -> list[Incident]:
    """The incidents in the period that involve the worker, in date order."""
    found = [i for i in incidents if i.date in period and i.involves(worker_id)]
    return sorted(found, key=lambda i: (i.date, i.incident_id))
