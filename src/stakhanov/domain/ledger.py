"""What the ledger holds: measured output and crew entries, and a snapshot of them to reason on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.quantities import check_unit
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.shifts import Shift
from stakhanov.domain.timesheets import TimeEntry
from stakhanov.domain.values import require_non_negative, require_text, require_worked_hours
from stakhanov.domain.workers import Worker


@dataclass(frozen=True)
class MeasuredOutput:
    """A shift's accepted quantity of one operation, measured at its source."""

    shift_id: str
    operation: str
    quantity: Decimal
    unit: str
    rejected: Decimal | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shift_id", require_text("shift_id", self.shift_id))
        object.__setattr__(self, "operation", require_text("operation", self.operation))
        require_non_negative("quantity", self.quantity)
        object.__setattr__(self, "unit", check_unit(self.unit))
        if self.rejected is not None:
            require_non_negative("rejected", self.rejected)

    @property
    def key(self) -> tuple[str, str]:
        return (self.shift_id, self.operation)


@dataclass(frozen=True)
class CrewEntry:
    """A worker's part in a shift as declared: the operation, hours and, if given, the credit."""

    shift_id: str
    worker_id: str
    operation: str
    hours: Decimal
    credited: Decimal | None = None
    coefficient: Decimal | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shift_id", require_text("shift_id", self.shift_id))
        object.__setattr__(self, "worker_id", require_text("worker_id", self.worker_id))
        object.__setattr__(self, "operation", require_text("operation", self.operation))
        require_worked_hours("hours", self.hours)
        if self.credited is not None:
            require_non_negative("credited", self.credited)
        if self.coefficient is not None:
            require_non_negative("coefficient", self.coefficient)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.shift_id, self.worker_id, self.operation)

    @property
    def weight(self) -> Decimal:
        """Hours x coefficient: the basis of the split when no credit is given."""
        coefficient = Decimal(1) if self.coefficient is None else self.coefficient
        if coefficient < 0:
            raise InvalidValue("coefficient", coefficient, "must not be negative")
        return self.hours * coefficient


@dataclass(frozen=True)
class Ledger:
    """A consistent view of master data and current ledger entries for some set of shifts."""

    workers: Mapping[str, Worker]
    norms: NormBook
    shifts: Mapping[str, Shift]
    outputs: Mapping[tuple[str, str], MeasuredOutput]
    crew: tuple[CrewEntry, ...]
    time: tuple[TimeEntry, ...] = ()
    faults: tuple[RejectFault, ...] = ()
    _crew_by_shift: dict[str, list[CrewEntry]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _outputs_by_shift: dict[str, list[MeasuredOutput]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _faults_by_worker: dict[str, list[RejectFault]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for entry in self.crew:
            self._crew_by_shift.setdefault(entry.shift_id, []).append(entry)
        for output in self.outputs.values():
            self._outputs_by_shift.setdefault(output.shift_id, []).append(output)
        # Each slip reads its worker's faults: grouped once, not searched per slip.
        for fault in sorted(self.faults, key=lambda f: f.key):
            self._faults_by_worker.setdefault(fault.worker_id, []).append(fault)

    @classmethod
    def of(
        cls,
        workers: Iterable[Worker] = (),
        norms: NormBook | Iterable[Norm] = (),
        shifts: Iterable[Shift] = (),
        outputs: Iterable[MeasuredOutput] = (),
        crew: Iterable[CrewEntry] = (),
        time: Iterable[TimeEntry] = (),
        faults: Iterable[RejectFault] = (),
    ) -> Ledger:
        book = norms if isinstance(norms, NormBook) else NormBook.of(norms)
        return cls(
            workers={w.worker_id: w for w in workers},
            norms=book,
            shifts={s.shift_id: s for s in shifts},
            outputs={o.key: o for o in outputs},
            crew=tuple(crew),
            time=tuple(time),
            faults=tuple(faults),
        )

    def with_norms(self, norms: NormBook) -> Ledger:
        """The same entries measured against other norms (what-if replays, norm revisions)."""
        return Ledger(
            self.workers, norms, self.shifts, self.outputs, self.crew, self.time, self.faults
        )

    def crew_of(self, shift_id: str) -> list[CrewEntry]:
        return self._crew_by_shift.get(shift_id, [])

    def outputs_of(self, shift_id: str) -> list[MeasuredOutput]:
        return self._outputs_by_shift.get(shift_id, [])

    def faults_of(self, worker_id: str) -> list[RejectFault]:
        """The worker's reject faults, by shift, operation and worker."""
        return self._faults_by_worker.get(worker_id, [])

    def shifts_between(self, start: dt.date, end: dt.date) -> list[Shift]:
        """Shifts dated within [start, end], in date then id order."""
        chosen = [s for s in self.shifts.values() if start <= s.date <= end]
        return sorted(chosen, key=lambda s: (s.date, s.shift_id))
