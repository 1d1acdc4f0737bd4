"""Socialist competition between units on a declared metric, in rounds, for a banner.

Units with different operations compete fairly because every metric is a fulfilment of each
worker's own norms (earned standard hours over hours worked), never raw output: a brigade of
hauliers and a brigade of hewers are both judged against what their norms ask. Prepared shifts
are kept out. Plan fulfilment is the unit's output against its own plans, in standard hours.
The banner passes to the winner of each round; a tie for first leaves it where it is.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.norms import NormBook
from stakhanov.domain.performance import Tally, Work, tally_by
from stakhanov.domain.periods import Period
from stakhanov.domain.plans import PlanStatus, Production, actual
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.rankings import Ranked, rank
from stakhanov.domain.rounding import percent
from stakhanov.domain.units import is_within
from stakhanov.domain.wording import say


class Metric(StrEnum):
    AVERAGE_FULFILMENT = "average-fulfilment"  # fair fulfilment of own norms
    PLAN_FULFILMENT = "plan-fulfilment"  # the unit's plans met, in standard hours
    QUALITY_ADJUSTED = "quality-adjusted"  # fair fulfilment less rejected output
    SAFETY_GATED = "safety-gated"  # fair fulfilment, nothing counted from unsafe shifts


class Step(StrEnum):
    WEEK = "week"
    MONTH = "month"
    WHOLE = "whole"


@dataclass(frozen=True)
class Competition:
    """A competition between units over a period, ranked by a metric at every step."""

    name: str
    metric: Metric
    period: Period
    step: Step
    units: tuple[str, ...]
    banner: str | None = None


SCORES: dict[Metric, Callable[[Tally], Fraction | None]] = {
    Metric.AVERAGE_FULFILMENT: lambda t: t.fair_percent,
    Metric.QUALITY_ADJUSTED: lambda t: t.quality_adjusted_percent,
    Metric.SAFETY_GATED: lambda t: t.safety_gated_percent,
}


def check_units(units: Sequence[str]) -> None:
    """Competing units are at least two, distinct, and none lies within another."""
    if len(units) < 2:
        raise InvalidValue("units", list(units), say("a competition needs at least two units"))
    for a in units:
        for b in units:
            if a != b and is_within(a, b):
                raise InvalidValue(
                    "units", a, say("lies within %(b)s; competitors must not overlap", b=b)
                )
    if len(set(units)) != len(units):
        raise InvalidValue("units", list(units), say("names a unit twice"))


def rounds(period: Period, step: Step) -> list[Period]:
    """The period cut into weeks (from its first day), calendar months, or left whole."""
    if step is Step.WHOLE:
        return [period]
    found = []
    start = period.start
    while start <= period.end:
        if step is Step.WEEK:
            end = start + dt.timedelta(days=6)
        else:
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        found.append(Period(start, min(end, period.end)))
        start = min(end, period.end) + dt.timedelta(days=1)
    return found


def plan_fulfilment(
    unit: str,
    plans: Iterable[PlanStatus],
    production: Sequence[Production],
    norms: NormBook,
    window: Period,
) -> Fraction | None:
    """How far the unit met its plans in the window, in standard hours, in percent, exactly.

    Each plan's target is prorated by the days of its period inside the window and set against
    the output measured there; where plans of one operation nest, the shortest counts. Both
    sides are converted to standard hours by the norm in force when the plan begins, so plans
    for different operations add up. Plans of operations without a norm are left out.
    """
    overlapping = [
        p
        for p in plans
        if p.unit == unit and p.period.start <= window.end and window.start <= p.period.end
    ]
    done = due = Fraction(0)
    for plan in overlapping:
        shortest = min(p.period.days for p in overlapping if p.operation == plan.operation)
        norm = norms.in_force(plan.operation, plan.period.start)
        if plan.period.days != shortest or norm is None:
            continue
        inside = Period(max(plan.period.start, window.start), min(plan.period.end, window.end))
        factor = conversion_factor(plan.unit_of_measure, norm.unit)
        output = actual(unit, plan.operation, inside, plan.unit_of_measure, production)
        prorated = Fraction(plan.target) * inside.days / plan.period.days
        due += norm.standard_hours(prorated * Fraction(factor))
        done += norm.standard_hours(output * factor)
    return done / due * 100 if due else None


def standings(
    units: Sequence[str],
    works: Iterable[Work],
    metric: Metric,
    home_unit: Callable[[str], str],
    planned: Mapping[str, Fraction | None] | None = None,
) -> list[Ranked[tuple[str, Tally]]]:
    """Rank the units by the metric, rounded as shown (so shown ties share a rank).

    Plan fulfilment takes each unit's score from `planned` (see plan_fulfilment).
    """
    if metric is Metric.PLAN_FULFILMENT and planned is None:
        raise InvalidValue("metric", metric.value, say("needs the units' plan fulfilment"))

    def unit_of(work: Work) -> str | None:
        home = home_unit(work.worker_id)
        return next((u for u in units if is_within(home, u)), None)

    return ranked_units(units, tally_by(works, unit_of), metric, planned)


def ranked_units(
    units: Sequence[str],
    tallies: Mapping[str, Tally],
    metric: Metric,
    planned: Mapping[str, Fraction | None] | None = None,
) -> list[Ranked[tuple[str, Tally]]]:
    """`standings` of each unit's tally of its members' ordinary work (none: empty)."""
    if metric is Metric.PLAN_FULFILMENT and planned is None:
        raise InvalidValue("metric", metric.value, say("needs the units' plan fulfilment"))

    def shown(item: tuple[str, Tally]) -> Decimal | None:
        if planned is not None and metric is Metric.PLAN_FULFILMENT:
            value = planned.get(item[0])
        else:
            value = SCORES[metric](item[1])
        return None if value is None else percent(value)

    return rank([(u, tallies.get(u, Tally())) for u in units], shown, lambda item: item[0])


@dataclass(frozen=True)
class Holding:
    """Who held the banner, from the end of the round they won until the next transfer."""

    holder: str
    since: dt.date
    until: dt.date | None
    won: Period


def winners(ranked: Sequence[Ranked[tuple[str, Tally]]]) -> list[str]:
    return [r.item[0] for r in ranked if r.rank == 1]


def banner_history(results: Iterable[tuple[Period, list[str]]]) -> list[Holding]:
    """Pass the banner to each round's sole winner; a tie or an empty round leaves it."""
    history: list[Holding] = []
    for period, won in sorted(results, key=lambda item: item[0].end):
        if len(won) != 1 or (history and history[-1].holder == won[0]):
            continue
        if history:
            last = history[-1]
            history[-1] = Holding(last.holder, last.since, period.end, last.won)
        history.append(Holding(won[0], period.end, None, period))
    return history
