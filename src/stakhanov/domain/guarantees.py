"""Guaranteed earnings per shift or per week (docs/overtime.md, "Guarantees").

A shift is a day the worker worked. Its (or the week's) earning lines are made up to the
guaranteed rate x its hours, productive or all; the make-up is rounded up, like the minimum
wage's, so the shift never ends below its guarantee. Guarantees come before the weekly
minimum-wage make-up and overtime, so the regular rate counts them (29 CFR 778.111(b)).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from stakhanov.domain.earnings import SlipBuilder
from stakhanov.domain.pay_rules import Guarantee, GuaranteeHours, GuaranteePer, GuaranteeRate
from stakhanov.domain.payslips import PayLine, figure, total
from stakhanov.domain.periods import Period
from stakhanov.domain.rest_pay import week_span
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.scales import PayScale

ZERO = Decimal(0)
GUARANTEE_ORDER = 8
WORK_ORDER = 3  # piece, tier, shift bonus, time and hourly lines (domain/earnings.py)


def _rate(slip: SlipBuilder, scale: PayScale, rule: Guarantee) -> tuple[Fraction, str] | None:
    if rule.rate is GuaranteeRate.MINIMUM_WAGE:
        base, name = scale.minimum_wage, "minimum wage"
    else:
        base, name = slip.tariff(scale), "tariff"
    if base is None:
        return None
    how = f"{name} {figure(base)}"
    if rule.fraction != 1:
        how += f" x {figure(rule.fraction)}"
    return Fraction(base) * Fraction(rule.fraction), how


def apply_guarantees(slip: SlipBuilder, period: Period, scale: PayScale) -> None:
    """A make-up line for each shift or week whose earnings fall short of a guarantee."""
    # Shifts first: a week's guarantee then counts the shifts' make-ups, never paying twice.
    for rule in sorted(scale.guarantees, key=lambda g: g.per is GuaranteePer.WEEK):
        found = _rate(slip, scale, rule)
        if found is None:
            continue
        rate, how = found
        hours_of = slip.productive if rule.hours is GuaranteeHours.PRODUCTIVE else slip.hours
        if rule.per is GuaranteePer.SHIFT:
            spans = sorted({(day, day) for day in slip.hours})
        else:
            spans = sorted({week_span(day, period, scale.week_starts) for day in slip.hours})
        for first, last in spans:
            _make_up(slip, scale, rule, rate, how, hours_of, first, last)


def _make_up(
    slip: SlipBuilder,
    scale: PayScale,
    rule: Guarantee,
    rate: Fraction,
    how: str,
    hours_of: dict[dt.date, Decimal],
    first: dt.date,
    last: dt.date,
) -> None:
    hours = sum((h for day, h in hours_of.items() if first <= day <= last), ZERO)
    productive = rule.hours is GuaranteeHours.PRODUCTIVE
    # Over productive hours only the work's own lines count, not idle, rest or other paid
    # time; an earlier guarantee's make-up counts, so two guarantees never pay twice.
    earned = total(
        d.line
        for d in slip.dated
        if first <= d.day <= last
        and (d.order in (*range(WORK_ORDER + 1), GUARANTEE_ORDER) or not productive)
    )
    due = rate * Fraction(hours)
    if not hours or earned >= due:
        return
    span = f"shift {first}" if first == last else f"week {first}..{last}"
    which = "productive " if productive else ""
    make_up = rounded(due - Fraction(earned), scale.minor_unit, ROUND_CEILING)
    slip.add(
        last,
        GUARANTEE_ORDER,
        PayLine(
            "guarantee",
            f"guarantee:{rule.per.value}:{rule.hours.value}:{first.isoformat()}",
            hours,
            "h",
            shown(rate, 2),
            make_up,
            f"{span}: guaranteed {figure(hours)} {which}h x {how} = {figure(due)}; earned "
            f"{figure(earned)}; make-up {figure(due)} - {figure(earned)} = "
            f"{figure(due - Fraction(earned))}, rounded up",
        ),
    )
