"""Paid time that is not measured output: idle time, rest and non-productive time.

Idle time is time lost through no fault of the worker (a breakdown, no empty tubs, a shortage):
a scale's guarantee pays a fraction of the tariff for it. Rest and non-productive time (waiting,
training, safety meetings) are paid by the scale's [rest] rules (docs/rest-pay.md). Hourly work is
time work without measured output, entered on its own: no crew is needed to carry its hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.values import require_hours, require_text


class TimeKind(StrEnum):
    IDLE = "idle"
    REST = "rest"
    NONPRODUCTIVE = "nonproductive"
    HOURLY = "hourly"  # a piece worker's hours of time work without measured output


class IdleCause(StrEnum):
    """Whose fault idle time is (Labour Code art. 157): it decides how the time is paid."""

    EMPLOYER = "employer"  # the employer's: a share of the worker's average wage
    NEITHER = "neither"  # beyond both parties' control: a share of the tariff
    WORKER = "worker"  # the worker's own: not paid


@dataclass(frozen=True)
class TimeEntry:
    """Hours of one kind that a worker spent on a date, on the work of one operation."""

    worker_id: str
    date: dt.date
    kind: TimeKind
    operation: str
    hours: Decimal
    note: str | None = None
    cause: IdleCause | None = None  # idle time only; None: not the worker's fault, as before
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "worker_id", require_text("worker_id", self.worker_id))
        object.__setattr__(self, "operation", require_text("operation", self.operation))
        require_hours("hours", self.hours)
        if self.cause is not None and self.kind is not TimeKind.IDLE:
            raise InvalidValue("cause", self.cause.value, "is given for idle time only")

    @property
    def key(self) -> tuple[str, dt.date, TimeKind, str]:
        return (self.worker_id, self.date, self.kind, self.operation)
