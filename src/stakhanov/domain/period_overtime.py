"""Overtime under summarised accounting of working time (Labour Code art. 104, 99, 152).

The hours worked in an accounting period beyond its norm hours are overtime, counted once the
period ends: on the slip of the pay period that holds its last day. The first hours of the
period's overtime are paid in the first of the scale's [overtime] bands (2 h at 1.5) and the
rest in the next (x 2), as the Ministry of Health and Social Development (2009) and Rostrud
(Onlineinspektsiya, March 2019) count them. Hours worked on a day the rest-day rule pays double
(art. 153) are not counted again. Every hour is already paid once by its own lines (piece
work with its allowances, Constitutional Court ruling 35-P of 27.06.2023), so an overtime hour
adds (factor - 1) x the tariff. Exact until each line rounds once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.earnings import SlipBuilder
from stakhanov.domain.overtime import OVERTIME_ORDER, Slice, _banded
from stakhanov.domain.pay_rules import AccountingPeriod, Band
from stakhanov.domain.payslips import PayLine, figure
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.scales import PayScale

ZERO = Decimal(0)
F0 = Fraction(0)


def period_worked(
    slip: SlipBuilder, period: Period, scale: PayScale, counted: AccountingPeriod
) -> tuple[Fraction, Fraction, list[dt.date]]:
    """(hours worked in the accounting period, of them on days paid double, those days): the
    days before this pay period from the history, the rest from this period's work."""
    hours: dict[dt.date, Decimal] = {
        day: h for day, h in slip.history.worked.items() if day in counted and day < period.start
    }
    for day, h in slip.productive.items():
        if day in counted and day in period:
            hours[day] = hours.get(day, ZERO) + h
    rule = scale.rest_day_work
    doubled = sorted(d for d, h in hours.items() if h > 0 and rule and rule.why(d) is not None)
    worked = sum((Fraction(h) for h in hours.values()), F0)
    return worked, sum((Fraction(hours[d]) for d in doubled), F0), doubled


def period_overtime(worked: Fraction, norm: Fraction, bands: tuple[Band, ...]) -> list[Slice]:
    """The period's overtime hours (worked beyond the norm) cut by the bands, dated nowhere."""
    return _banded(dt.date.min, max(F0, worked - norm), F0, bands)


def apply_period_overtime(slip: SlipBuilder, period: Period, scale: PayScale) -> None:
    """Premium lines for each accounting period of the scale that ends in this pay period."""
    rule = scale.overtime
    if rule is None:
        return
    for counted in scale.accounting_periods:
        if counted.last not in period:
            continue
        worked, doubled_hours, doubled = period_worked(slip, period, scale, counted)
        counted_hours = worked - doubled_hours
        slices = period_overtime(counted_hours, Fraction(counted.norm_hours), rule.bands)
        if not slices:
            continue
        tariff = slip.tariff(scale)
        if tariff is None:
            return
        over = counted_hours - Fraction(counted.norm_hours)
        less = (
            f" less {figure(doubled_hours)} h on days paid double under art. 153 "
            f"({', '.join(d.isoformat() for d in doubled)}) = {figure(counted_hours)} h"
            if doubled
            else ""
        )
        head = (
            f"accounting period {counted} (summarised accounting): {figure(worked)} h worked"
            f"{less}; norm {figure(counted.norm_hours)} h; overtime {figure(over)} h"
        )
        start = F0
        for piece in slices:
            extra = Fraction(piece.factor) - 1
            amount = piece.hours * Fraction(tariff) * extra
            which = f"hours {figure(start)}..{figure(start + piece.hours)} of it"
            start += piece.hours
            slip.add(
                min(counted.last, period.end),
                OVERTIME_ORDER,
                PayLine(
                    "overtime",
                    f"overtime-{figure(piece.factor)}:{counted}",
                    shown(piece.hours),
                    "h",
                    shown(Fraction(tariff) * extra, 2),
                    rounded(amount, scale.minor_unit),
                    f"{head}; {which} at x {figure(piece.factor)}: premium {figure(piece.hours)} "
                    f"h x tariff {figure(tariff)} x ({figure(piece.factor)} - 1) = "
                    f"{figure(amount)}",
                ),
            )
