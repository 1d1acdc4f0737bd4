"""Pay scales: tariffs per grade, progressive tiers, guarantees, bonuses and deductions.

A scale is versioned by `effective_from` under its `name`, and covers the operations it lists
(every operation when it lists none). Exactly 100% of the norm earns exactly the tariff for the
hours worked, so every tier starts at or above 100%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.values import in_force

HUNDRED = Decimal(100)


class Basis(StrEnum):
    """Where the percent that selects tiers is counted."""

    SHIFT = "shift"
    PERIOD = "period"


class PercentRule(StrEnum):
    """Which percent selects tiers; auto is fair for assisted or pooled results."""

    STATED = "stated"
    FAIR = "fair"
    AUTO = "auto"


class RestPay(StrEnum):
    """How rest and non-productive hours are paid."""

    AVERAGE = "average"
    TARIFF = "tariff"


class BonusPer(StrEnum):
    SHIFT = "shift"
    PERIOD = "period"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Tier:
    """Output above `above` % of the norm is paid at the piece rate x `multiplier`."""

    above: Decimal
    multiplier: Decimal


@dataclass(frozen=True)
class Bonus:
    """A named supplement: a fixed amount or a percent of piece earnings, per shift or period.

    `conditions` limits it to shifts run under those conditions; `min_percent` to results at or
    above that percent of the norm (the percent the scale's tiers count).
    """

    code: str
    name: str
    per: BonusPer
    amount: Decimal | None = None
    percent: Decimal | None = None
    conditions: str | None = None
    min_percent: Decimal | None = None


@dataclass(frozen=True)
class Deduction:
    """A named deduction per period: a fixed amount or a percent of gross, optionally capped."""

    code: str
    name: str
    amount: Decimal | None = None
    percent: Decimal | None = None
    cap_percent: Decimal | None = None


@dataclass(frozen=True)
class PayScale:
    name: str
    effective_from: dt.date
    currency: str
    grades: tuple[tuple[str, Decimal], ...]
    tiers: tuple[Tier, ...] = ()
    operations: tuple[str, ...] | None = None
    basis: Basis = Basis.SHIFT
    percent: PercentRule = PercentRule.AUTO
    minor_unit: Decimal = Decimal("0.01")
    description: str | None = None
    time_work: Decimal | None = None
    guarantee: Decimal | None = None
    rest: RestPay | None = None
    minimum_wage: Decimal | None = None
    week_starts: int = 0
    reject_deduction: Decimal | None = None
    bonuses: tuple[Bonus, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    deduction_cap: Decimal | None = None

    def __post_init__(self) -> None:
        previous = HUNDRED
        for index, tier in enumerate(self.tiers):
            if tier.above < previous or (index and tier.above == previous):
                raise InvalidValue(
                    f"tiers[{index + 1}].above",
                    tier.above,
                    "tiers start at 100 or more and rise strictly (100% earns the tariff)",
                )
            if tier.multiplier <= 0:
                raise InvalidValue(f"tiers[{index + 1}].multiplier", tier.multiplier, "must be > 0")
            previous = tier.above

    def tariff(self, grade: str | None) -> Decimal | None:
        """The hourly tariff of a grade, or None when the scale has no such grade."""
        return dict(self.grades).get(grade) if grade is not None else None

    def covers(self, operation: str) -> bool:
        return self.operations is None or operation in self.operations

    @property
    def label(self) -> str:
        return f"{self.name} ({self.effective_from.isoformat()})"


@dataclass(frozen=True)
class ScaleBook:
    """Every version of every scale; answers which versions pay an operation on a date."""

    scales: tuple[PayScale, ...] = ()
    proposal: PayScale | None = None
    _by_name: dict[str, list[PayScale]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for scale in sorted(self.scales, key=lambda s: (s.name, s.effective_from)):
            self._by_name.setdefault(scale.name, []).append(scale)

    @classmethod
    def of(cls, scales: Iterable[PayScale]) -> ScaleBook:
        return cls(tuple(scales))

    def in_force(self, name: str, on: dt.date) -> PayScale | None:
        return in_force(self._by_name.get(name, []), on)

    def standing(self, on: dt.date) -> list[PayScale]:
        """Every scale's version in force on a date, by name."""
        found = (self.in_force(name, on) for name in sorted(self._by_name))
        return [s for s in found if s is not None]

    def covering(self, operation: str, on: dt.date) -> list[PayScale]:
        """The versions in force on a date that cover an operation, by name."""
        if self.proposal is not None and self.proposal.covers(operation):
            return [self.proposal]
        found = (self.in_force(name, on) for name in sorted(self._by_name))
        return [s for s in found if s is not None and s.covers(operation)]

    def proposing(self, scale: PayScale) -> ScaleBook:
        """This book with a proposed scale that pays the operations it covers on every date.

        Used by what-if replays: the proposal takes precedence over every stored version.
        """
        return ScaleBook(self.scales, proposal=scale)
