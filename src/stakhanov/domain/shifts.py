"""Shifts: when and where work was done, and under which conditions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from stakhanov.domain.errors import Source
from stakhanov.domain.units import parse_path
from stakhanov.domain.values import require_hours, require_text


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
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shift_id", require_text("shift_id", self.shift_id))
        require_hours("hours", self.hours)
        object.__setattr__(self, "workplace", parse_path(self.workplace, "workplace"))

    @property
    def prepared(self) -> bool:
        return self.conditions is Conditions.PREPARED
