"""A workplace: operations in a flow with buffers, shared resources, the shift and its breaks.

The model is the one a work-study engineer draws on a sheet. Work enters the first operation
(the coal seam, the bundle of cut pieces, the order queue) without limit, passes through every
operation in order in batches of one size, and leaves the last one measured. Between two
operations a buffer holds finished batches; an operation starts a batch only when its buffer
has a free place (the hewer may cut only so far ahead of the props). Resources are held while a
batch is worked (compressed air for a drill, a cart, room at the face) or drawn from a stock
(timber). Each member of an organisation works the roles it lists, the first with work first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class ResourceKind(StrEnum):
    CAPACITY = "capacity"  # held while working: air for N drills, carts, haulage, room
    STOCK = "stock"  # drawn and used up: timber delivered for the shift


@dataclass(frozen=True)
class Resource:
    name: str
    kind: ResourceKind
    amount: Decimal
    """Units held at once (capacity) or delivered per shift (stock)."""
    unit: str = ""
    shared: bool = True
    """Shared by every face of the section; otherwise each face has its own."""
    description: str = ""


@dataclass(frozen=True)
class Operation:
    name: str
    rates: dict[str, Decimal]
    """Output per worker-hour (in the workplace unit) by skill level."""
    variability: Decimal = Decimal(0)
    """Coefficient of variation of one batch's working time (0: always the mean; 1: exponential)."""
    buffer: int | None = None
    """Batches that may wait after this operation for the next; None: no limit."""
    needs: dict[str, int] = field(default_factory=dict)
    consumes: dict[str, Decimal] = field(default_factory=dict)
    """Stock used per unit of output."""
    certification: str | None = None
    at_face: bool = False
    min_crew: int = 0
    max_crew: int | None = None
    pay: Decimal = Decimal(1)
    """Relative pay of the role (its tariff), for the planner's fairness rule."""
    norm: Decimal | None = None
    norm_hours: Decimal | None = None
    included_in: str | None = None
    """The measured operation whose norm includes this one (timbering in the hewing norm)."""
    standard_minutes: Decimal | None = None
    """Time norm per unit, for line balancing."""
    after: tuple[str, ...] | None = None
    """Operations that must come first on a balanced line; None: the one before it."""
    description: str = ""


@dataclass(frozen=True)
class Break:
    at: Decimal
    """Hours into the shift when the break falls due."""
    minutes: Decimal


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    roles: tuple[str, ...]
    skills: dict[str, str]
    """Skill level per role."""
    grade: str = "4"


@dataclass(frozen=True)
class Organisation:
    name: str
    members: tuple[Member, ...]
    description: str = ""


@dataclass(frozen=True)
class Workplace:
    name: str
    unit: str
    """The unit the output is measured in (t, garment, order)."""
    batch: Decimal
    shift_hours: Decimal
    operations: tuple[Operation, ...]
    resources: dict[str, Resource] = field(default_factory=dict)
    breaks: tuple[Break, ...] = ()
    organisations: dict[str, Organisation] = field(default_factory=dict)
    faces: int = 1
    site: str = "Site"
    """The unit path of the section, for the ledger export."""
    min_at_face: int = 0
    """Safety: when anyone works at the face, at least this many do."""
    max_consecutive: int | None = None
    """Rotation: no worker does one role more than this many shifts in a row."""
    description: str = ""
    date: str = "2000-01-03"
    """The first date of exported shifts."""
    arrival_rate: Decimal | None = None
    """Units arriving an hour at each face, as a Poisson stream; None: the first operation
    never runs short (the coal seam)."""

    def operation(self, name: str) -> Operation:
        return next(op for op in self.operations if op.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(op.name for op in self.operations)

    @property
    def break_hours(self) -> Decimal:
        return sum((b.minutes for b in self.breaks), Decimal(0)) / 60

    @property
    def working_hours(self) -> Decimal:
        return self.shift_hours - self.break_hours
