"""Surcharges that read the shifts themselves: work on rest days and holidays, and at night.

Russian Labour Code art. 153 (a weekend or non-working holiday paid at least double) and art.
154 (each night hour, 22:00-06:00, at least 20% more), docs/rule-packs.md. The day's own lines
already pay the work once, so a rest day adds (factor - 1) x its base; a night hour adds the
percent of the tariff. Exact until each line rounds once.
"""

from __future__ import annotations

from fractions import Fraction

from stakhanov.domain.clock import clock_text, in_window, span
from stakhanov.domain.earnings import SlipBuilder
from stakhanov.domain.pay_rules import RestDayBase
from stakhanov.domain.payslips import PayLine, figure, total
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.scales import PayScale

REST_DAY_ORDER = 11
NIGHT_ORDER = 12
WORK_ORDERS = (0, 1, 3)  # piece, tier and time-work lines: what the day's work earned


def apply_rest_day_work(slip: SlipBuilder, scale: PayScale) -> None:
    """One surcharge line per rest day or holiday the worker worked on."""
    rule = scale.rest_day_work
    if rule is None:
        return
    extra = Fraction(rule.factor) - 1
    for day in sorted(d for d, h in slip.productive.items() if h > 0):
        why = rule.why(day)
        if why is None:
            continue
        hours = slip.productive[day]
        if rule.base is RestDayBase.TARIFF:
            tariff = slip.tariff(scale)
            if tariff is None:
                return
            amount = Fraction(hours) * Fraction(tariff) * extra
            quantity, unit, rate = hours, "h", shown(Fraction(tariff) * extra, 2)
            how = (
                f"{figure(hours)} h x tariff {figure(tariff)} x ({figure(rule.factor)} - 1) "
                f"= {figure(amount)}"
            )
        else:
            earned = total(d.line for d in slip.dated if d.day == day and d.order in WORK_ORDERS)
            amount = Fraction(earned) * extra
            quantity, unit, rate = earned, scale.currency, shown(extra)
            how = (
                f"the day's piece, tier and time-work pay {figure(earned)} x "
                f"({figure(rule.factor)} - 1) = {figure(amount)}"
            )
        line = PayLine(
            "rest-day",
            f"rest-day:{day.isoformat()}",
            quantity,
            unit,
            rate,
            rounded(amount, scale.minor_unit),
            f"{day.isoformat()}: {figure(hours)} h of work on {why}, paid at x "
            f"{figure(rule.factor)}; surcharge {how}",
        )
        slip.add(day, REST_DAY_ORDER, line)


def apply_night_work(slip: SlipBuilder, scale: PayScale) -> None:
    """One surcharge line per shift with clock times whose span reaches into the night."""
    rule = scale.night_work
    if rule is None:
        return
    for shift_id in sorted(slip.by_shift):
        shift = slip.ledger.shifts.get(shift_id)
        clock = shift.clock if shift is not None else None
        if shift is None or clock is None:
            continue
        length = span(*clock)
        night = in_window(*clock, rule.start, rule.end)
        if not night:
            continue
        tariff = slip.tariff(scale)
        if tariff is None:
            return
        worked = slip.by_shift[shift_id]
        # The worker's hours of the shift, spread evenly over its span: all of it when he
        # worked the whole span.
        hours = Fraction(night, 60) * Fraction(worked) / Fraction(length, 60)
        rate = Fraction(tariff) * Fraction(rule.percent) / 100
        amount = hours * rate
        share = (
            ""
            if Fraction(worked) == Fraction(length, 60)
            else f"; {figure(worked)} h worked of the {figure(Fraction(length, 60))} h span: "
            f"{figure(Fraction(night, 60))} x {figure(worked)} / {figure(Fraction(length, 60))} "
            f"= {figure(hours)} night hours"
        )
        line = PayLine(
            "night",
            f"night:{shift_id}",
            shown(hours),
            "h",
            shown(rate, 2),
            rounded(amount, scale.minor_unit),
            f"{shift.date.isoformat()} shift {shift_id}, {shift.start_time}-{shift.end_time}: "
            f"{figure(Fraction(night, 60))} h between {clock_text(rule.start)} and "
            f"{clock_text(rule.end)}{share}; {figure(hours)} h x tariff {figure(tariff)} x "
            f"{figure(rule.percent)}% = {figure(amount)}",
        )
        slip.add(shift.date, NIGHT_ORDER, line)
