"""Workers. A worker is a person credited with output, not a login."""

from __future__ import annotations

from dataclasses import dataclass, field

from stakhanov.domain.errors import Source
from stakhanov.domain.units import parse_path
from stakhanov.domain.values import require_text


@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str
    unit: str
    trade: str | None = None
    grade: str | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "worker_id", require_text("worker_id", self.worker_id))
        object.__setattr__(self, "name", require_text("name", self.name))
        object.__setattr__(self, "unit", parse_path(self.unit))
