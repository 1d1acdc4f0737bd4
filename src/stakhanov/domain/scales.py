"""Pay scales: tariffs per grade, progressive tiers, guarantees, bonuses and deductions.

A scale is versioned by `effective_from` under its `name`, and covers the operations it lists
(every operation when it lists none). Under the default marginal plan exactly 100% of the norm
earns exactly the tariff for the hours worked, so every tier starts at or above 100%; the other
plan kinds (docs/plans.md) state their own bands. A rate card gives a piece rate directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.pay_rules import (
    AccountingPeriod,
    Guarantee,
    IdleTime,
    NightWork,
    Overtime,
    RestDayWork,
)
from stakhanov.domain.values import in_force
from stakhanov.domain.wording import say

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

    AVERAGE = "average"  # the week's average hourly piece earnings
    TARIFF = "tariff"
    ALL_PAY = "all_pay"  # the week's pay except rest and overtime over its hours except rest
    MINIMUM_WAGE = "minimum_wage"


class BonusPer(StrEnum):
    SHIFT = "shift"
    PERIOD = "period"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class PlanKind(StrEnum):
    """How output turns into pay (docs/plans.md gives each formula)."""

    MARGINAL = "marginal"
    DIFFERENTIAL = "differential"
    HALSEY = "halsey"
    ROWAN = "rowan"
    EMERSON = "emerson"
    TASK_AND_BONUS = "task-and-bonus"


@dataclass(frozen=True)
class EfficiencyStep:
    """Emerson: from `at` % efficiency on, a bonus of `bonus` % of the time wage."""

    at: Decimal
    bonus: Decimal


@dataclass(frozen=True)
class Plan:
    """The plan kind and its terms; the default is today's marginal tiers.

    `share`: Halsey's percent of the time saved; `bonus`: task-and-bonus percent;
    `efficiency` and `beyond` (percent per percent above the last step): Emerson's table;
    `allow_falling`: the reason a scale whose pay falls as output rises is accepted.
    """

    kind: PlanKind = PlanKind.MARGINAL
    share: Decimal | None = None
    bonus: Decimal | None = None
    efficiency: tuple[EfficiencyStep, ...] = ()
    beyond: Decimal = Decimal(0)
    allow_falling: str | None = None


@dataclass(frozen=True)
class RateCard:
    """A piece rate given directly: `rate` per `per` (a unit of measure) of an operation,
    for one grade or every grade, from a date on."""

    operation: str
    rate: Decimal
    per: str
    effective_from: dt.date
    grade: str | None = None

    @property
    def label(self) -> str:
        grade = f", grade {self.grade}" if self.grade is not None else ""
        return f"{self.operation}{grade} from {self.effective_from.isoformat()}"


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
    plan: Plan = Plan()
    rates: tuple[RateCard, ...] = ()
    overtime: Overtime | None = None
    guarantees: tuple[Guarantee, ...] = ()
    rest_pay: RestPay | None = None  # rest time's own rule, else `rest`
    nonproductive_pay: RestPay | None = None  # non-productive time's own rule, else `rest`
    paid_time_floor: Decimal | None = None  # an hourly floor under rest and non-productive pay
    rest_day_work: RestDayWork | None = None  # weekends and holidays (a calendar), x factor
    night_work: NightWork | None = None  # night hours from the shifts' clock times, + percent
    idle_time: IdleTime | None = None  # idle time by its cause (art. 157); else [guarantee]
    accounting_periods: tuple[AccountingPeriod, ...] = ()  # summarised accounting (art. 104)

    def accounting_period(self, day: dt.date) -> AccountingPeriod | None:
        """The period of summarised accounting that holds a day, if the scale states one."""
        return next((p for p in self.accounting_periods if day in p), None)

    def __post_init__(self) -> None:
        differential = self.plan.kind is PlanKind.DIFFERENTIAL
        previous = Decimal(0) if differential else HUNDRED
        for index, tier in enumerate(self.tiers):
            if tier.above < previous or (index and tier.above == previous):
                raise InvalidValue(
                    f"tiers[{index + 1}].above",
                    tier.above,
                    "tiers start at 100 or more and rise strictly (100% earns the tariff)"
                    if not differential
                    else "bands start at 0 or more and rise strictly",
                )
            if tier.multiplier <= 0:
                raise InvalidValue(
                    f"tiers[{index + 1}].multiplier", tier.multiplier, say("must be > 0")
                )
            previous = tier.above

    def tariff(self, grade: str | None) -> Decimal | None:
        """The hourly tariff of a grade, or None when the scale has no such grade."""
        return dict(self.grades).get(grade) if grade is not None else None

    def rate_card(self, operation: str, grade: str | None, on: dt.date) -> RateCard | None:
        """The card in force on a date for an operation: the grade's own before every grade's."""
        found = [
            card
            for card in self.rates
            if card.operation == operation
            and card.effective_from <= on
            and card.grade in (grade, None)
        ]
        if not found:
            return None
        return max(found, key=lambda c: (c.grade is not None, c.effective_from))

    @property
    def engine_computable(self) -> bool:
        """Whether the engine's marginal piece and tier code may pay this scale; another plan
        kind or a rate card is paid by the domain path (domain/earnings.py) only."""
        return self.plan.kind is PlanKind.MARGINAL and not self.rates

    def paid_time_rule(self, kind: str) -> RestPay | None:
        """How rest or non-productive time (by its kind's value) is paid, or None: unpaid."""
        own = self.rest_pay if kind == "rest" else self.nonproductive_pay
        return own or self.rest

    @property
    def uses_period_rules(self) -> bool:
        """Whether pay needs the week's other lines (overtime, guarantees, paid-time rules
        other than the piece average and the tariff): such scales are paid by the domain."""
        return bool(
            self.overtime
            or self.guarantees
            or self.rest_pay
            or self.nonproductive_pay
            or self.paid_time_floor is not None
            or self.rest in (RestPay.ALL_PAY, RestPay.MINIMUM_WAGE)
            or self.reads_shifts
        )

    @property
    def reads_shifts(self) -> bool:
        """Whether pay reads the shifts themselves (their dates against a calendar, their
        clock times): only the domain's slip code, over the whole ledger, pays such scales."""
        return self.rest_day_work is not None or self.night_work is not None

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
