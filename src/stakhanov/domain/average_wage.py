"""A worker's average wage from his closed slips (Labour Code art. 139, docs/rule-packs.md).

Art. 139 and the Government's rules on the average wage (decree No. 540 of 24.04.2025, in force
from 1 September 2025; Regulation No. 922 of 24.12.2007 before it) count the pay actually
accrued and the time actually worked in the 12 calendar months before the month of the event;
under summarised accounting the average is per hour. Here the accrued pay is that of the
worker's locked slips of the closed periods ending in those months, less their idle lines (idle
time is left out of the months with its pay), and the hours are the hours of work on the
periods' days. Exact: the average is a fraction; only the line that uses it rounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.payslips import PaySlip, figure
from stakhanov.domain.periods import Period

ZERO = Decimal(0)
LEFT_OUT = ("idle",)  # line codes whose pay and time the average leaves out


@dataclass(frozen=True)
class PaidPeriod:
    """One closed period of a worker: the pay his locked slip accrued and his hours of work."""

    period: Period
    earnings: Decimal
    hours: Decimal


@dataclass(frozen=True)
class PayHistory:
    """What earlier periods tell a worker's pay: his closed periods, and his hours of work on
    each day before this period (for the accounting periods of summarised accounting)."""

    paid: tuple[PaidPeriod, ...] = ()
    worked: Mapping[dt.date, Decimal] = field(default_factory=dict)


NO_HISTORY = PayHistory()


def accrued(slip: PaySlip) -> Decimal:
    """The pay a locked slip accrued that the average counts: its earning lines but idle time."""
    return sum((line.amount for line in slip.lines if line.code not in LEFT_OUT), ZERO)


def billing_window(day: dt.date, months: int = 12) -> Period:
    """The `months` calendar months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months
    first = dt.date(index // 12, index % 12 + 1, 1)
    return Period(first, day.replace(day=1) - dt.timedelta(days=1))


@dataclass(frozen=True)
class Average:
    """The average hourly earnings over a billing window, with the figures behind them."""

    window: Period
    periods: tuple[PaidPeriod, ...]

    @property
    def earnings(self) -> Decimal:
        return sum((p.earnings for p in self.periods), ZERO)

    @property
    def hours(self) -> Decimal:
        return sum((p.hours for p in self.periods), ZERO)

    @property
    def hourly(self) -> Fraction | None:
        """Accrued pay / hours worked, exactly; None when nothing was worked or accrued."""
        if self.hours <= 0 or self.earnings <= 0:
            return None
        return Fraction(self.earnings) / Fraction(self.hours)

    def __str__(self) -> str:
        hourly = self.hourly
        if hourly is None:
            return f"nothing accrued or worked in {self.window}"
        count = len(self.periods)
        return (
            f"average hourly earnings over {self.window}: accrued {figure(self.earnings)} in "
            f"{count} closed period{'s' if count != 1 else ''} / {figure(self.hours)} h "
            f"worked = {figure(hourly)}"
        )


def average_wage(paid: Iterable[PaidPeriod], day: dt.date, months: int = 12) -> Average:
    """The average over the closed periods that end in the billing window of `day`."""
    window = billing_window(day, months)
    counted = sorted((p for p in paid if p.period.end in window), key=lambda p: p.period.start)
    return Average(window, tuple(counted))


def share_text(share: Fraction | Decimal) -> str:
    """A share as written: 2/3 stays 2/3 (a decimal would be rounded), 0.6667 as a decimal."""
    value = Fraction(share)
    if 10**6 % value.denominator == 0:
        return figure(value)
    return f"{value.numerator}/{value.denominator}"
