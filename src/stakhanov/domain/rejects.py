"""Rejected output that was a worker's fault.

Rejected output is never paid. When quality control finds that a rejection was a worker's own
fault, a scale may also deduct from that worker's pay; this record says whose fault and how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from stakhanov.domain.errors import Source
from stakhanov.domain.values import require_positive, require_text


@dataclass(frozen=True)
class RejectFault:
    """Part of a shift's rejected quantity of an operation, found to be one worker's fault."""

    shift_id: str
    operation: str
    worker_id: str
    quantity: Decimal
    note: str | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shift_id", require_text("shift_id", self.shift_id))
        object.__setattr__(self, "operation", require_text("operation", self.operation))
        object.__setattr__(self, "worker_id", require_text("worker_id", self.worker_id))
        require_positive("quantity", self.quantity)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.shift_id, self.operation, self.worker_id)
