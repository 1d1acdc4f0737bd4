"""Shifts: when and where work was done, and under which conditions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.clock import clock_text, parse_clock, span
from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.units import parse_path
from stakhanov.domain.values import require_hours, require_text
from stakhanov.domain.wording import say


class Conditions(StrEnum):
    STANDARD = "standard"
    # Declared extra help or resources: kept out of norm statistics, flagged by the audit.
    PREPARED = "prepared"


@dataclass(frozen=True)
class Shift:
    shift_id: str
    date: dt.date
    hours: Decimal
    workplace: str
    conditions: Conditions = Conditions.STANDARD
    note: str | None = None
    # The extra resources declared for the shift by name (`air;timber`): optional, and only
    # the equity report reads them. Written order, each name once.
    resources: tuple[str, ...] = ()
    # Optional clock times `HH:MM` (both or neither): the night surcharge counts the hours
    # between them that fall in its window; the span crosses midnight when end <= start.
    start_time: str | None = None
    end_time: str | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shift_id", require_text("shift_id", self.shift_id))
        require_hours("hours", self.hours)
        object.__setattr__(self, "workplace", parse_path(self.workplace, "workplace"))
        self._check_clock()

    def _check_clock(self) -> None:
        if self.start_time is None and self.end_time is None:
            return
        if self.start_time is None or self.end_time is None:
            missing = "start_time" if self.start_time is None else "end_time"
            raise InvalidValue(missing, None, say("is required with the other clock time"))
        start = parse_clock(self.start_time, "start_time")
        end = parse_clock(self.end_time, "end_time")
        object.__setattr__(self, "start_time", clock_text(start))
        object.__setattr__(self, "end_time", clock_text(end))
        if Fraction(self.hours) > Fraction(span(start, end), 60):
            raise InvalidValue(
                "hours",
                self.hours,
                say(
                    "is more than the %(minutes)s minutes from start_time %(start_time)s to "
                    "end_time %(end_time)s",
                    minutes=span(start, end),
                    start_time=self.start_time,
                    end_time=self.end_time,
                ),
            )

    @property
    def clock(self) -> tuple[int, int] | None:
        """Start and end in minutes after midnight, when the shift gives them."""
        if self.start_time is None or self.end_time is None:
            return None
        return parse_clock(self.start_time), parse_clock(self.end_time)

    @property
    def prepared(self) -> bool:
        return self.conditions is Conditions.PREPARED
