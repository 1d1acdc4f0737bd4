"""Overtime premiums by the week and the day (docs/overtime.md).

Each day's overtime hours are found first (over `day_hours`, or every hour of the seventh
consecutive day worked in the week), then the week's (its other hours over `week_hours`, so
no hour counts twice), each in the scale's bands. Every hour is already paid at straight time
by its own line, so an overtime hour adds (factor - 1) x its base: the week's regular rate (all
its straight-time pay, guarantees and minimum-wage make-up included, over all its hours: 29 CFR
778.109 and 778.111), the piece earnings of the output made in it, or the tariff. One line per
week and factor, exact until it is rounded once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.earnings import SlipBuilder
from stakhanov.domain.hours import shown_hours
from stakhanov.domain.pay_rules import Band, Overtime, OvertimeBase
from stakhanov.domain.payslips import PayLine, figure, total
from stakhanov.domain.periods import Period
from stakhanov.domain.rest_pay import week_span
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.scales import PayScale

ZERO = Decimal(0)
F0 = Fraction(0)
OVERTIME_ORDER = 10


@dataclass(frozen=True)
class Slice:
    """Overtime hours of one day at one factor."""

    day: dt.date
    hours: Fraction
    factor: Decimal


def _banded(day: dt.date, hours: Fraction, done: Fraction, bands: tuple[Band, ...]) -> list[Slice]:
    """`hours` of overtime after `done` hours already counted, cut by the bands."""
    found, start = [], F0
    for band in bands:
        end = start + Fraction(band.hours) if band.hours is not None else None
        low, high = max(start, done), done + hours if end is None else min(end, done + hours)
        if high > low:
            found.append(Slice(day, high - low, band.factor))
        if end is None:
            break
        start = end
    return found


def overtime_slices(
    rule: Overtime, days: list[tuple[dt.date, Fraction]], full_week: bool
) -> list[Slice]:
    """The week's overtime by day and factor; `days` in order, `full_week` when all 7 are in it."""
    found: list[Slice] = []
    straight, weekly_done = F0, F0
    worked = [d for d, h in days if h > 0]
    for day, hours in days:
        seventh = rule.seventh_day and full_week and len(worked) == 7 and day == worked[-1]
        daily = hours if seventh else F0
        if not seventh and rule.day_hours is not None:
            daily = max(F0, hours - Fraction(rule.day_hours))
        bands = rule.seventh_day_bands or rule.bands if seventh else rule.bands
        found += _banded(day, daily, F0, bands)
        regular = hours - daily
        if rule.week_hours is not None:
            over = min(regular, max(F0, straight + regular - Fraction(rule.week_hours)))
            found += _banded(day, over, weekly_done, rule.bands)
            weekly_done += over
        straight += regular
    return found


def apply_overtime(slip: SlipBuilder, period: Period, scale: PayScale) -> None:
    """Premium lines for each week's overtime under the governing scale."""
    rule = scale.overtime
    if rule is None:
        return
    for first, last in sorted({week_span(d, period, scale.week_starts) for d in slip.hours}):
        span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        # A day under summarised accounting counts over its accounting period instead
        # (domain/period_overtime.py).
        days = [
            (day, F0 if scale.accounting_period(day) else Fraction(slip.hours.get(day, ZERO)))
            for day in span
        ]
        slices = overtime_slices(rule, days, len(days) == 7)
        by_factor: dict[Decimal, list[Slice]] = defaultdict(list)
        for piece in slices:
            by_factor[piece.factor].append(piece)
        for factor in sorted(by_factor):
            line = _premium(slip, scale, rule, first, last, factor, by_factor[factor])
            if line is not None:
                slip.add(last, OVERTIME_ORDER, line)


def _premium(
    slip: SlipBuilder,
    scale: PayScale,
    rule: Overtime,
    first: dt.date,
    last: dt.date,
    factor: Decimal,
    slices: list[Slice],
) -> PayLine | None:
    hours = sum((s.hours for s in slices), F0)
    written = shown_hours(hours)  # 1/3 h of overtime stays 1/3
    extra = Fraction(factor) - 1
    week = f"week {first}..{last}"
    over = _thresholds(rule)
    if rule.base is OvertimeBase.REGULAR:
        lines = [d.line for d in slip.dated if first <= d.day <= last and d.order < OVERTIME_ORDER]
        all_hours = sum((h for d, h in slip.hours.items() if first <= d <= last), ZERO)
        earned = total(lines)
        rate = Fraction(earned) / Fraction(all_hours)
        base = (
            f"regular rate = straight-time pay {figure(earned)} / {figure(all_hours)} h "
            f"= {figure(rate)}"
        )
        amount = hours * rate * extra
        rate_shown = rate * extra
        how = f"{figure(written)} h x {figure(rate)} x ({figure(factor)} - 1) = {figure(amount)}"
    elif rule.base is OvertimeBase.TARIFF:
        tariff = slip.tariff(scale)
        if tariff is None:
            return None
        rate_shown = Fraction(tariff) * extra
        amount = hours * rate_shown
        base = f"tariff {figure(tariff)}"
        how = f"{figure(written)} h x {figure(tariff)} x ({figure(factor)} - 1) = {figure(amount)}"
    else:
        piece = F0
        parts = []
        for s in slices:
            day_pay = total(d.line for d in slip.dated if d.day == s.day and d.is_piece)
            day_hours = Fraction(slip.hours[s.day])
            piece += Fraction(day_pay) * s.hours / day_hours
            parts.append(f"{s.day}: {figure(day_pay)} x {figure(s.hours)} / {figure(day_hours)} h")
        amount = piece * extra
        rate_shown = piece * extra / hours
        base = "piece earnings in the overtime hours (each day's spread over its hours): " + (
            "; ".join(parts) + f" = {figure(piece)}"
        )
        how = f"{figure(piece)} x ({figure(factor)} - 1) = {figure(amount)}"
    return PayLine(
        "overtime",
        f"overtime-{figure(factor)}:{first.isoformat()}",
        written,
        "h",
        shown(rate_shown, 2),
        rounded(amount, scale.minor_unit),
        f"{week}: {figure(written)} h of overtime ({over}) at x {figure(factor)}; {base}; "
        f"premium {how}",
    )


def _thresholds(rule: Overtime) -> str:
    found = []
    if rule.day_hours is not None:
        found.append(f"over {figure(rule.day_hours)} h a day")
    if rule.week_hours is not None:
        found.append(f"over {figure(rule.week_hours)} h a week")
    if rule.seventh_day:
        found.append("the seventh consecutive day")
    return ", ".join(found)
