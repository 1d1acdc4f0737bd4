"""A conferred title with its history of revocations and appeals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from stakhanov.domain.periods import Period
from stakhanov.domain.titles import TitleEvent, TitleState, state_of, valid_on


@dataclass(frozen=True)
class Grant:
    """A conferred title with its history."""

    title_id: int
    worker_id: str
    title: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    rule: str
    evidence: dict[str, Any]
    period: Period
    conferred_by: str
    events: tuple[TitleEvent, ...] = ()

    @property
    def state(self) -> TitleState:
        return state_of(self.events)

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(day, self.valid_from, self.valid_to, self.events)
