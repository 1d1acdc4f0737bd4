"""The plan kinds besides marginal tiers: their exact pay and where pay falls as output rises.

Every formula is exact (fractions); the slip rounds the result once. Notation (docs/plans.md):
S standard hours earned by the output, T hours worked, w the hourly tariff, r the piece rate,
q the output, p = S / T x 100 the percent of the norm (the efficiency).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.payslips import figure, percent_figure
from stakhanov.domain.scales import EfficiencyStep, PayScale, Plan, PlanKind, Tier

F0 = Fraction(0)
ONE = Fraction(1)
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Work:
    """One result as the plans see it."""

    quantity: Fraction  # q, in the norm's unit
    rate: Fraction  # r, money per unit
    standard: Fraction  # S, standard hours counted
    hours: Fraction  # T
    tariff: Decimal  # w, per hour, as the scale writes it

    @property
    def percent(self) -> Fraction:
        return self.standard / self.hours * HUNDRED if self.hours else F0


@dataclass(frozen=True)
class PlanPay:
    amount: Fraction
    explanation: str


def band_multiplier(tiers: Sequence[Tier], percent: Fraction) -> Fraction:
    """Differential: the multiplier of the highest band reached (1 below the first band)."""
    reached = [t for t in tiers if percent >= Fraction(t.above)]
    return Fraction(reached[-1].multiplier) if reached else ONE


def emerson_bonus(plan: Plan, percent: Fraction) -> Fraction:
    """Emerson: the bonus percent of the highest step reached, + `beyond` per percent above
    the last step; 0 below the first step."""
    steps = plan.efficiency
    reached = [s for s in steps if percent >= Fraction(s.at)]
    if not reached:
        return F0
    bonus = Fraction(reached[-1].bonus)
    if reached[-1] is steps[-1]:
        bonus += Fraction(plan.beyond) * (percent - Fraction(steps[-1].at))
    return bonus


def plan_pay(scale: PayScale, work: Work) -> PlanPay:
    """The pay of one result under a plan other than marginal, with its formula and numbers."""
    plan, w, t, s = scale.plan, Fraction(work.tariff), work.hours, work.standard
    time_wage = t * w
    p = f"{percent_figure(work.percent)}% of the norm"
    wage = f"time wage {figure(t)} h x {figure(work.tariff)} = {figure(time_wage)}"
    if plan.kind is PlanKind.DIFFERENTIAL:
        m = band_multiplier(scale.tiers, work.percent)
        amount = work.quantity * work.rate * m
        return PlanPay(
            amount,
            f"differential: {p}, band x{figure(m)} on all units: {figure(work.quantity)} x "
            f"{figure(work.rate)} x {figure(m)} = {figure(amount)}",
        )
    saved = max(s - t, F0)
    if plan.kind is PlanKind.HALSEY:
        share = Fraction(plan.share or 0)
        premium = share / HUNDRED * saved * w
        return PlanPay(
            time_wage + premium,
            f"Halsey: {wage}; time saved {figure(s)} - {figure(t)} = {figure(saved)} h x "
            f"{figure(share)}% x {figure(work.tariff)} = {figure(premium)}; "
            f"total {figure(time_wage + premium)}",
        )
    if plan.kind is PlanKind.ROWAN:
        premium = time_wage * saved / s if s else F0
        return PlanPay(
            time_wage + premium,
            f"Rowan: {wage}; + {figure(time_wage)} x time saved {figure(saved)} h / standard "
            f"{figure(s)} h = {figure(premium)}; total {figure(time_wage + premium)}",
        )
    if plan.kind is PlanKind.EMERSON:
        bonus = emerson_bonus(plan, work.percent)
        premium = time_wage * bonus / HUNDRED
        return PlanPay(
            time_wage + premium,
            f"Emerson: {wage}; efficiency {figure(s)} / {figure(t)} h = {p}, bonus "
            f"{figure(bonus)}% x {figure(time_wage)} = {figure(premium)}; "
            f"total {figure(time_wage + premium)}",
        )
    assert plan.kind is PlanKind.TASK_AND_BONUS
    if work.percent < HUNDRED:
        return PlanPay(time_wage, f"task and bonus: {p}, below task: guaranteed {wage}")
    bonus = Fraction(plan.bonus or 0)
    task_wage = s * w
    amount = task_wage * (1 + bonus / HUNDRED)
    return PlanPay(
        amount,
        f"task and bonus: {p}, task reached: task time {figure(s)} h x {figure(work.tariff)} = "
        f"{figure(task_wage)} + {figure(bonus)}% = {figure(amount)}",
    )


@dataclass(frozen=True)
class Fall:
    """Pay falls at `at` % of the norm: outputs from `at` up to `until` % earn less than an
    output just below `at` (`until` None: never recovered)."""

    at: Fraction
    until: Fraction | None

    def __str__(self) -> str:
        until = f"{percent_figure(self.until)}%" if self.until is not None else "every output"
        return (
            f"pay falls at {percent_figure(self.at)}% of the norm: outputs from "
            f"{percent_figure(self.at)}% up to {until} earn less than just below it"
        )


def _pieces(scale: PayScale) -> list[tuple[Fraction, Fraction, Fraction]]:
    """Pay per norm (per standard hour's worth of hours) as pieces c + d x p from p on."""
    plan = scale.plan
    if plan.kind is PlanKind.DIFFERENTIAL:
        first = [(F0, F0, ONE / HUNDRED)] if not scale.tiers or scale.tiers[0].above else []
        return first + [
            (Fraction(t.above), F0, Fraction(t.multiplier) / HUNDRED) for t in scale.tiers
        ]
    if plan.kind is PlanKind.EMERSON:
        steps: Sequence[EfficiencyStep] = plan.efficiency
        found = [(F0, ONE, F0)] if not steps or steps[0].at else []
        for step in steps:
            found.append((Fraction(step.at), 1 + Fraction(step.bonus) / HUNDRED, F0))
        if steps and plan.beyond:
            at, slope = Fraction(steps[-1].at), Fraction(plan.beyond) / HUNDRED
            found[-1] = (at, found[-1][1] - slope * at, slope)
        return found
    return []  # marginal, Halsey, Rowan, task and bonus never fall


def falls(scale: PayScale) -> list[Fall]:
    """Where pay falls as output rises (for a fixed time worked), as percent intervals."""
    pieces = _pieces(scale)
    found = []
    for index in range(1, len(pieces)):
        at = pieces[index][0]
        just_below = pieces[index - 1][1] + pieces[index - 1][2] * at
        if pieces[index][1] + pieces[index][2] * at >= just_below:
            continue
        # Recovered once pay is back at the most any lower output earned: pay rises within a
        # piece, so that is at some piece's end.
        before = max(c + d * pieces[j + 1][0] for j, (_, c, d) in enumerate(pieces[:index]))
        found.append(Fall(at, _recovery(pieces[index:], before)))
    return found


def _recovery(
    pieces: list[tuple[Fraction, Fraction, Fraction]], level: Fraction
) -> Fraction | None:
    for index, (start, c, d) in enumerate(pieces):
        end = pieces[index + 1][0] if index + 1 < len(pieces) else None
        if c + d * start >= level:
            return start
        if d > 0:
            point = (level - c) / d
            if end is None or point < end:
                return point
    return None
