"""Hourly rates of rest and non-productive time, each by its scale's rule (docs/rest-pay.md).

The piece average counts the week's piece and tier lines over their hours; the average of all
pay (California Labor Code 226.2) counts every line of the week but rest pay (overtime and the
minimum-wage make-up come later) over every hour of the week but rest; then the floor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.earnings import SlipBuilder, week_of
from stakhanov.domain.payslips import figure, total
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import PayScale, RestPay
from stakhanov.domain.timesheets import TimeEntry, TimeKind

ZERO = Decimal(0)
REST_ORDER = 5


def week_span(day: dt.date, period: Period, starts: int) -> tuple[dt.date, dt.date]:
    """The week holding `day`, cut at the period's edges."""
    first = week_of(day, starts)
    return max(first, period.start), min(first + dt.timedelta(days=6), period.end)


def week_average(
    slip: SlipBuilder, period: Period, day: dt.date, starts: int, tariff: Decimal
) -> tuple[Fraction, str]:
    """Average hourly piece earnings of the week: its piece and tier lines over piece hours."""
    first, last = week_span(day, period, starts)
    week = [d for d in slip.dated if first <= d.day <= last and d.is_piece]
    hours = sum((d.piece_hours for d in week), ZERO)
    if not hours:
        return Fraction(tariff), f"no piece work in the week {first}..{last}: the tariff"
    earned = total(d.line for d in week)
    return (
        Fraction(earned) / Fraction(hours),
        f"average piece earnings of the week {first}..{last}: {figure(earned)} / {figure(hours)} h",
    )


def all_pay_average(
    slip: SlipBuilder,
    period: Period,
    day: dt.date,
    starts: int,
    rest: Iterable[TimeEntry],
    tariff: Decimal,
) -> tuple[Fraction, str]:
    """The week's pay except rest pay over its hours except rest (Labor Code 226.2(a)(3))."""
    first, last = week_span(day, period, starts)
    paid = [d.line for d in slip.dated if first <= d.day <= last and d.order != REST_ORDER]
    hours = sum((h for d, h in slip.hours.items() if first <= d <= last), ZERO)
    resting = sum((e.hours for e in rest if first <= e.date <= last), ZERO)
    worked = hours - resting
    if worked <= 0:
        return Fraction(tariff), f"no hours but rest in the week {first}..{last}: the tariff"
    earned = total(paid)
    return (
        Fraction(earned) / Fraction(worked),
        f"average of all pay of the week {first}..{last} but rest pay: {figure(earned)} / "
        f"({figure(hours)} h - {figure(resting)} h of rest)",
    )


def paid_time_rate(
    slip: SlipBuilder,
    period: Period,
    starts: int,
    entry: TimeEntry,
    scale: PayScale,
    rule: RestPay,
    tariff: Decimal,
) -> tuple[Fraction, str]:
    """The hourly rate of one rest or non-productive entry, and how it was found."""
    wage = scale.minimum_wage
    if rule is RestPay.AVERAGE:
        rate, how = week_average(slip, period, entry.date, starts, tariff)
    elif rule is RestPay.ALL_PAY:
        rests = [t for t in slip.ledger.time if t.worker_id == slip.worker_id]
        rest = [t for t in rests if t.kind is TimeKind.REST]
        rate, how = all_pay_average(slip, period, entry.date, starts, rest, tariff)
    elif rule is RestPay.MINIMUM_WAGE and wage is not None:
        return Fraction(wage), f"minimum wage {figure(wage)}"
    else:
        return Fraction(tariff), f"tariff {figure(tariff)}"
    floors = [f for f in (scale.paid_time_floor,) if f is not None]
    if rule is RestPay.ALL_PAY and wage is not None:
        floors.append(wage)  # 226.2: never below the minimum wage
    floor = max(floors, default=None)
    if floor is not None and rate < floor:
        return Fraction(floor), f"{how} = {figure(rate)}, below the floor {figure(floor)}"
    return rate, how
