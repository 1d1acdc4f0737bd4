"""Brigade work orders (сдельный наряд): one fund for a brigade's work, split among its members.

A work order pays a unit a fund for a period: its accepted output of given operations x a
brigade rate, or a fixed amount. The fund is split by each member's weight (tariff x hours x
KTU, hours x KTU, KTU alone, or hours), to the minor unit by the largest-remainder rule, so the
shares add up exactly to the fund. KTU is the labour-participation coefficient (коэффициент
трудового участия): 1 for an ordinary contribution; any other value needs its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.payslips import figure
from stakhanov.domain.rounding import rounded
from stakhanov.domain.wording import say

ONE = Decimal(1)


class SplitRule(StrEnum):
    """What a member's weight is the product of."""

    TARIFF_HOURS_KTU = "tariff-hours-ktu"
    HOURS_KTU = "hours-ktu"
    KTU = "ktu"
    HOURS = "hours"

    @property
    def factors(self) -> tuple[str, ...]:
        return {
            SplitRule.TARIFF_HOURS_KTU: ("tariff", "hours", "ktu"),
            SplitRule.HOURS_KTU: ("hours", "ktu"),
            SplitRule.KTU: ("ktu",),
            SplitRule.HOURS: ("hours",),
        }[self]


@dataclass(frozen=True)
class WorkOrder:
    """A row of work_orders.csv. Either `fund` (fixed) or `rate` per `measure` of the output of
    `operations`; `operations` of a fixed fund are those it pays for (left out of piece pay)."""

    work_order: str
    unit: str
    period_start: dt.date
    period_end: dt.date
    operations: tuple[str, ...]
    measure: str | None
    rate: Decimal | None
    fund: Decimal | None
    split: SplitRule
    currency: str
    minor_unit: Decimal
    ktu_min: Decimal | None
    ktu_max: Decimal | None
    note: str | None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise InvalidValue("to", self.period_end, say("is before from"))
        if (self.fund is None) == (self.rate is None):
            raise InvalidValue("fund", self.fund or "", say("give either fund or rate, not both"))
        if self.rate is not None and (not self.operations or not self.measure):
            raise InvalidValue("operations", "", say("a rate needs operations and measure"))
        if self.ktu_min is not None and self.ktu_max is not None and self.ktu_min > self.ktu_max:
            raise InvalidValue("ktu_max", self.ktu_max, say("is below ktu_min"))

    @property
    def code(self) -> str:
        """The slip line's code: a fixed fund for no operations is a brigade bonus."""
        return "brigade-bonus" if self.fund is not None and not self.operations else "work-order"

    def bounds_problem(self, ktu: Decimal) -> str | None:
        low, high = self.ktu_min, self.ktu_max
        if (low is not None and ktu < low) or (high is not None and ktu > high):
            lower = figure(low) if low is not None else "-"
            upper = figure(high) if high is not None else "-"
            where = f"work order {self.work_order}'s bounds {lower}..{upper}"
            return f"{figure(ktu)} is outside {where}"
        return None


@dataclass(frozen=True)
class Participation:
    """A row of ktu.csv: a member's KTU on a work order, with hours and tariff when given."""

    work_order: str
    worker_id: str
    ktu: Decimal
    ktu_reason: str | None  # why the KTU is not 1 (ktu.csv's column `reason`)
    hours: Decimal | None
    tariff: Decimal | None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.ktu < 0:
            raise InvalidValue("ktu", self.ktu, "must not be negative")
        if self.ktu != ONE and not self.ktu_reason:
            raise InvalidValue(
                "reason", "", say("a KTU of %(ktu)s (not 1) needs a reason", ktu=figure(self.ktu))
            )


@dataclass(frozen=True)
class Member:
    """A member's factors as the split uses them (hours from the ledger unless given)."""

    worker_id: str
    ktu: Decimal
    hours: Decimal
    tariff: Decimal | None
    reason: str | None = None


@dataclass(frozen=True)
class Share:
    worker_id: str
    factors: tuple[tuple[str, Decimal], ...]
    weight: Fraction
    exact: Fraction
    amount: Decimal


@dataclass(frozen=True)
class Split:
    order: WorkOrder
    fund: Decimal
    how: str  # how the fund was reached
    total_weight: Fraction
    shares: tuple[Share, ...]

    def explain(self, share: Share) -> str:
        factors = " x ".join(f"{name} {figure(value)}" for name, value in share.factors)
        return (
            f"work order {self.order.work_order} ({self.order.unit}, {self.order.period_start}.."
            f"{self.order.period_end}, split by {self.order.split.value}): fund {self.how}; "
            f"weight {factors} = {figure(share.weight)} of total weight "
            f"{figure(self.total_weight)}; share {figure(self.fund)} x {figure(share.weight)} / "
            f"{figure(self.total_weight)} = {figure(share.exact)}, {figure(share.amount)} by "
            "largest remainder"
        )


def output_fund(order: WorkOrder, quantity: Fraction) -> tuple[Decimal, str]:
    """The fund of a rate-paid work order for its accepted output (in its measure)."""
    assert order.rate is not None
    exact = quantity * Fraction(order.rate)
    fund = rounded(exact, order.minor_unit, ROUND_HALF_UP)
    return fund, (
        f"accepted output {figure(quantity)} {order.measure} x rate {figure(order.rate)} = "
        f"{figure(exact)}, rounded to {figure(fund)}"
    )


def weight_factors(rule: SplitRule, member: Member) -> tuple[tuple[str, Decimal], ...]:
    values = {"tariff": member.tariff, "hours": member.hours, "ktu": member.ktu}
    found = []
    for name in rule.factors:
        value = values[name]
        if value is None:
            raise InvalidValue(
                name,
                "",
                say("worker %(worker_id)s has no %(name)s", worker_id=member.worker_id, name=name),
            )
        found.append((name.upper() if name == "ktu" else name, value))
    return tuple(found)


def largest_remainder(
    total: Decimal, weights: Sequence[Fraction], minor: Decimal
) -> tuple[list[Fraction], list[Decimal]]:
    """Split `total` (a multiple of `minor`) by weights: (exact parts, parts in minor units).

    Each part is rounded down to the minor unit; the units left over go one each to the largest
    fractional remainders, ties to the earlier weight. The parts add up exactly to `total`.
    """
    whole = sum(weights, Fraction(0))
    if whole <= 0 or any(w < 0 for w in weights):
        raise InvalidValue(
            "weight", figure(whole), say("the members' total weight must be positive")
        )
    units = Fraction(total) / Fraction(minor)
    if units.denominator != 1:
        raise InvalidValue(
            "fund", total, say("is not a multiple of the minor unit %(minor)s", minor=minor)
        )
    exact = [units * w / whole for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    left = int(units) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    step = Fraction(minor)
    return [e * step for e in exact], [rounded(n * step, minor) for n in floors]


def split(order: WorkOrder, fund: Decimal, how: str, members: Sequence[Member]) -> Split:
    """The members' shares of the fund, by worker id: an equal remainder goes to the lower id,
    so the shares do not depend on the order the rows were written in."""
    if not members:
        raise InvalidValue("work_order", order.work_order, say("has no members in ktu.csv"))
    members = sorted(members, key=lambda m: m.worker_id)
    factors = [weight_factors(order.split, m) for m in members]
    weights = [_product(f) for f in factors]
    exact, amounts = largest_remainder(fund, weights, order.minor_unit)
    shares = tuple(
        Share(m.worker_id, f, w, e, a)
        for m, f, w, e, a in zip(members, factors, weights, exact, amounts, strict=True)
    )
    return Split(order, fund, how, sum(weights, Fraction(0)), shares)


def _product(factors: tuple[tuple[str, Decimal], ...]) -> Fraction:
    result = Fraction(1)
    for _, value in factors:
        result *= Fraction(value)
    return result
