"""Norms: how much output an operation should yield per hour of work.

An output norm is `norm` units per `norm_hours` hours; a time norm is `norm` standard minutes
per unit. Either way a quantity converts into earned standard hours, and fulfilment is earned
standard hours over hours worked. Norms are versioned by `effective_from`.

This is the one definition of norm arithmetic: standard hours, norm output and piece rates are
exact fractions, so that 102 t against 7 t per 6 h is 612/7 h, not a 28-digit approximation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.quantities import check_unit
from stakhanov.domain.values import in_force, require_positive, require_text
from stakhanov.domain.wording import say

ASSIST = "assist"
MINUTES_PER_HOUR = 60


class NormKind(StrEnum):
    OUTPUT = "output"
    TIME = "time"


@dataclass(frozen=True)
class Norm:
    operation: str
    unit: str
    kind: NormKind
    norm: Decimal
    norm_hours: Decimal | None
    effective_from: dt.date
    includes: tuple[str, ...] = ()
    max_rate: Decimal | None = None
    method: str | None = None
    source: str | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        operation = require_text("operation", self.operation)
        if operation == ASSIST:
            raise InvalidValue("operation", operation, say("'assist' is reserved for helpers"))
        object.__setattr__(self, "operation", operation)
        object.__setattr__(self, "unit", check_unit(self.unit))
        require_positive("norm", self.norm)
        if self.kind is NormKind.OUTPUT:
            if self.norm_hours is None:
                raise InvalidValue("norm_hours", None, say("is required for an output norm"))
            require_positive("norm_hours", self.norm_hours)
        elif self.norm_hours is not None:
            raise InvalidValue("norm_hours", self.norm_hours, say("must be empty for a time norm"))
        if self.max_rate is not None:
            require_positive("max_rate", self.max_rate)
        if operation in self.includes:
            raise InvalidValue("includes", ";".join(self.includes), say("cannot include itself"))

    @property
    def hours_per_unit(self) -> Fraction:
        """Standard hours one unit of output earns, exactly: the one rate all norm sums use."""
        cached: Fraction | None = self.__dict__.get("_hours_per_unit")
        if cached is None:
            if self.kind is NormKind.TIME:
                cached = Fraction(self.norm) / MINUTES_PER_HOUR
            else:
                assert self.norm_hours is not None
                cached = Fraction(self.norm_hours) / Fraction(self.norm)
            object.__setattr__(self, "_hours_per_unit", cached)
        return cached

    def standard_hours(self, quantity: Decimal | Fraction) -> Fraction:
        """Earned standard hours for a quantity in the norm's unit, exactly."""
        return Fraction(quantity) * self.hours_per_unit

    def norm_output(self, hours: Decimal | Fraction) -> Fraction:
        """The quantity that exactly meets the norm in the given hours."""
        return Fraction(hours) / self.hours_per_unit

    @property
    def per_hour(self) -> Fraction:
        """Output per hour that meets the norm exactly."""
        return 1 / self.hours_per_unit

    def piece_rate(self, tariff: Decimal | Fraction) -> Fraction:
        """Money per unit that makes exactly 100% of the norm earn exactly the hourly tariff."""
        return Fraction(tariff) * self.hours_per_unit


@dataclass(frozen=True)
class NormBook:
    """All versions of all norms; answers which version is in force on a date."""

    norms: tuple[Norm, ...] = ()
    _by_operation: dict[str, list[Norm]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for norm in sorted(self.norms, key=lambda n: (n.operation, n.effective_from)):
            self._by_operation.setdefault(norm.operation, []).append(norm)

    @classmethod
    def of(cls, norms: Iterable[Norm]) -> NormBook:
        return cls(tuple(norms))

    def in_force(self, operation: str, on: dt.date) -> Norm | None:
        return in_force(self._by_operation.get(operation, []), on)

    def versions(self, operation: str) -> list[Norm]:
        return list(self._by_operation.get(operation, []))

    def operations(self) -> set[str]:
        """Every operation the norms know: normed ones and those included in a norm."""
        known = set(self._by_operation)
        for norm in self.norms:
            known.update(norm.includes)
        return known

    def unit_of(self, operation: str) -> str | None:
        versions = self._by_operation.get(operation)
        return versions[-1].unit if versions else None
