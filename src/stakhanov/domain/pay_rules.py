"""The period rules a scale may state: overtime, guarantees, how paid time is paid, and
the surcharges for work on rest days, holidays and at night.

Data only (docs/overtime.md, docs/rest-pay.md): thresholds, bands and factors come from the scale
file; domain/overtime.py and domain/guarantees.py compute with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say


class OvertimeBase(StrEnum):
    """What an overtime hour's premium is counted on."""

    REGULAR = "regular"  # the week's regular rate (29 CFR 778.109, 778.111)
    PIECE = "piece"  # the piece earnings of the output made in the overtime hours
    TARIFF = "tariff"  # the worker's hourly tariff


@dataclass(frozen=True)
class Band:
    """The next `hours` overtime hours (all the rest when None) are paid at x `factor`."""

    factor: Decimal
    hours: Decimal | None = None


@dataclass(frozen=True)
class Overtime:
    """Hours over `day_hours` a day, over `week_hours` a week (not counting a day's overtime
    twice), and every hour of the seventh consecutive day worked in a week, paid in `bands`."""

    base: OvertimeBase
    week_hours: Decimal | None = None
    day_hours: Decimal | None = None
    seventh_day: bool = False
    bands: tuple[Band, ...] = (Band(Decimal("1.5")),)
    seventh_day_bands: tuple[Band, ...] | None = None  # the seventh day's own; else `bands`

    def __post_init__(self) -> None:
        if self.week_hours is None and self.day_hours is None and not self.seventh_day:
            raise InvalidValue("overtime", None, say("give week_hours, day_hours or seventh_day"))
        _check("bands", self.bands)
        _check("seventh_day_bands", self.seventh_day_bands or ())


def _check(name: str, bands: tuple[Band, ...]) -> None:
    for index, band in enumerate(bands):
        last = index == len(bands) - 1
        if band.factor < 1:
            raise InvalidValue(f"overtime.{name}[{index + 1}].factor", band.factor, say("below 1"))
        if (band.hours is None) != last or (band.hours is not None and band.hours <= 0):
            raise InvalidValue(
                f"overtime.{name}[{index + 1}].hours",
                band.hours,
                say("every band but the last gives hours > 0; the last gives none"),
            )


class GuaranteePer(StrEnum):
    SHIFT = "shift"  # each day the worker worked
    WEEK = "week"


class GuaranteeHours(StrEnum):
    PRODUCTIVE = "productive"  # hours of work (measured, time work and hourly work)
    ALL = "all"  # every hour paid, idle, rest and non-productive time included


class GuaranteeRate(StrEnum):
    TARIFF = "tariff"
    MINIMUM_WAGE = "minimum_wage"


@dataclass(frozen=True)
class Guarantee:
    """Earnings of a shift or week made up to `fraction` x the rate for its hours."""

    per: GuaranteePer
    rate: GuaranteeRate
    hours: GuaranteeHours = GuaranteeHours.ALL
    fraction: Decimal = Decimal(1)


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class RestDayBase(StrEnum):
    """What a rest day's or holiday's surcharge is counted on (Labour Code art. 153)."""

    EARNINGS = "earnings"  # the day's piece, tier and time-work lines: double piece rates
    TARIFF = "tariff"  # the day's hours of work x the worker's hourly tariff


@dataclass(frozen=True)
class RestDayWork:
    """Work on a weekly rest day or a non-working holiday paid at x `factor`: the day's lines
    already pay it once, so the surcharge is (factor - 1) x its base.

    `rest_days` are weekdays (0 is Monday); `holidays` the calendar's non-working days (and
    days off moved onto a working weekday) with their names; `working_days` rest days made
    working by such a move.
    """

    factor: Decimal
    base: RestDayBase = RestDayBase.EARNINGS
    rest_days: frozenset[int] = frozenset({5, 6})
    holidays: tuple[tuple[dt.date, str], ...] = ()
    working_days: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        if self.factor <= 1:
            raise InvalidValue("rest_day_work.factor", self.factor, say("must be more than 1"))

    def why(self, day: dt.date) -> str | None:
        """Why a day is a day of rest under the calendar, or None when it is a working day."""
        for holiday, name in self.holidays:
            if holiday == day:
                return f"a non-working day of the calendar ({name})"
        if day.weekday() in self.rest_days and day not in self.working_days:
            return f"a weekly rest day ({WEEKDAY_NAMES[day.weekday()]})"
        return None


@dataclass(frozen=True)
class NightWork:
    """Each hour worked between `start` and `end` (minutes after midnight; the night crosses
    midnight when end <= start) earns `percent` % of the hourly tariff on top (art. 154)."""

    percent: Decimal
    start: int = 22 * 60
    end: int = 6 * 60

    def __post_init__(self) -> None:
        if self.percent <= 0:
            raise InvalidValue("night_work.percent", self.percent, "must be more than 0")


class IdleBase(StrEnum):
    """What idle time through the employer's fault is a share of (art. 157 part 1)."""

    AVERAGE = "average"  # the worker's average hourly earnings over the 12 months before
    TARIFF = "tariff"  # the [guarantee] share of the tariff, as idle for other reasons


@dataclass(frozen=True)
class IdleTime:
    """Idle time by its cause: the employer's at `fraction` x the `employer` base; beyond both
    parties at the [guarantee] share of the tariff; the worker's own unpaid (art. 157)."""

    employer: IdleBase = IdleBase.AVERAGE
    fraction: Fraction = Fraction(2, 3)
    months: int = 12  # the calendar months before the idle day's month that the average reads

    def __post_init__(self) -> None:
        if not 0 < self.fraction <= 1:
            raise InvalidValue("idle_time.fraction", self.fraction, say("more than 0, at most 1"))
        if not 1 <= self.months <= 12:
            raise InvalidValue("idle_time.months", self.months, say("from 1 to 12"))


@dataclass(frozen=True)
class AccountingPeriod:
    """A period of summarised accounting of working time (art. 104) and its norm hours from the
    production calendar: hours worked in it beyond the norm are overtime (art. 99, 152)."""

    first: dt.date
    last: dt.date
    norm_hours: Decimal

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidValue("accounting_periods.to", self.last, say("is before from"))
        if self.norm_hours <= 0:
            raise InvalidValue("accounting_periods.norm_hours", self.norm_hours, say("must be > 0"))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"
