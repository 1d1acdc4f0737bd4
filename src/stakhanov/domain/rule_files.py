"""Reading the period rules of a scale file: [overtime], [[guarantees]], [rest]'s own rules,
[rest_day_work] and [night_work].

docs/overtime.md and docs/rest-pay.md define the syntax; every problem names its key and line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from stakhanov.domain.clock import parse_clock
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.pay_rules import (
    AccountingPeriod,
    Band,
    Guarantee,
    GuaranteeHours,
    GuaranteePer,
    GuaranteeRate,
    IdleBase,
    IdleTime,
    NightWork,
    Overtime,
    OvertimeBase,
    RestDayBase,
    RestDayWork,
)
from stakhanov.domain.scale_files import _array, _table
from stakhanov.domain.scale_values import (
    Path,
    Reader,
    as_choice,
    as_date,
    as_fraction,
    as_one_of,
    as_positive,
    as_text,
)
from stakhanov.domain.scales import WEEKDAYS, RestPay
from stakhanov.domain.wording import say

CALENDAR_DAYS = ("holiday", "working")
NEEDS_MINIMUM = "needs a [minimum_wage] section with its hourly rate"


def _factor(value: Any) -> Decimal:
    number = as_positive(value)
    if number < 1:
        raise InvalidValue(
            "value", value, say("is a factor of at least 1 (1.5 is time and a half)")
        )
    return number


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("value", value, say("must be true or false"))
    return value


def _bands(reader: Reader, table: dict[str, Any], key: str = "bands") -> tuple[Band, ...] | None:
    value = table.get(key)
    if value is None:
        return (Band(Decimal("1.5")),)
    path: Path = ("overtime", key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        reader.problem(path, 'must be a list of bands like [{hours = 2, factor = "1.5"}]')
        return None
    found: list[Band] = []
    for index, band in enumerate(value):
        last = index == len(value) - 1
        # Inline tables have no lines of their own: every problem is placed at `bands = ...`.
        unknown = [key for key in band if key not in ("hours", "factor")]
        if unknown:
            reader.problem(path, f"band {index + 1}: unknown key {unknown[0]!r} (hours, factor)")
            return None
        if ("hours" in band) == last:
            reader.problem(path, f"band {index + 1}: every band but the last gives its hours")
            return None
        try:
            factor = _factor(band.get("factor"))
            hours = as_positive(band["hours"]) if "hours" in band else None
        except InvalidValue as err:
            reader.problem(path, f"band {index + 1}: {err.reason}")
            return None
        found.append(Band(factor, hours))
    return tuple(found)


def overtime(reader: Reader, document: dict[str, Any]) -> Overtime | None:
    table = _table(reader, document, "overtime")
    if table is None:
        return None
    path: Path = ("overtime",)
    base = reader.required(table, "base", path, as_choice(OvertimeBase))
    week = reader.get(table, "week_hours", path, as_positive)
    day = reader.get(table, "day_hours", path, as_positive)
    seventh = reader.get(table, "seventh_day", path, _flag) or False
    bands = _bands(reader, table)
    seventh_bands = _bands(reader, table, "seventh_day_bands")
    if week is None and day is None and not seventh:
        reader.problem(path, "give week_hours, day_hours or seventh_day = true")
        return None
    if base is None or bands is None or seventh_bands is None:
        return None
    own = seventh_bands if "seventh_day_bands" in table else None
    return Overtime(base, week, day, seventh, bands, own)


def guarantees(reader: Reader, document: dict[str, Any]) -> tuple[Guarantee, ...]:
    found = []
    for index, table in enumerate(_array(reader, document, "guarantees")):
        path: Path = ("guarantees", index)
        per = reader.required(table, "per", path, as_choice(GuaranteePer))
        rate = reader.required(table, "rate", path, as_choice(GuaranteeRate))
        hours = reader.get(table, "hours", path, as_choice(GuaranteeHours))
        fraction = reader.get(table, "fraction", path, as_fraction)
        if rate is GuaranteeRate.MINIMUM_WAGE and "minimum_wage" not in document:
            reader.problem((*path, "rate"), f"minimum_wage {NEEDS_MINIMUM}")
        elif per is not None and rate is not None:
            found.append(Guarantee(per, rate, hours or GuaranteeHours.ALL, fraction or Decimal(1)))
    return tuple(found)


def _floor(value: Any) -> Decimal | str:
    if isinstance(value, str) and value.strip().lower() == "minimum_wage":
        return "minimum_wage"
    return as_positive(value)


def rest_rules(reader: Reader, document: dict[str, Any]) -> dict[str, Any]:
    """The [rest] section: `pay` for both kinds, `rest` and `nonproductive` each its own."""
    table = _table(reader, document, "rest")
    if table is None:
        return {}
    path: Path = ("rest",)
    rule = as_choice(RestPay)
    values: dict[str, Any] = {
        "rest": reader.get(table, "pay", path, rule),
        "rest_pay": reader.get(table, "rest", path, rule),
        "nonproductive_pay": reader.get(table, "nonproductive", path, rule),
    }
    if not any(key in table for key in ("pay", "rest", "nonproductive")):
        reader.problem((*path, "pay"), "is required (or give rest and nonproductive)")
    floor = reader.get(table, "floor", path, _floor)
    has_minimum = isinstance(document.get("minimum_wage"), dict)
    wants_minimum = floor == "minimum_wage" or RestPay.MINIMUM_WAGE in values.values()
    if wants_minimum and not has_minimum:
        reader.problem(path, f"paying at the minimum wage {NEEDS_MINIMUM}")
    elif floor == "minimum_wage":
        floor = reader.get(document["minimum_wage"], "hourly", ("minimum_wage",), as_positive)
    values["paid_time_floor"] = floor
    return values


def _weekdays(value: Any) -> frozenset[int]:
    if not isinstance(value, list):
        raise InvalidValue("value", value, say('must be a list of weekdays like ["sunday"]'))
    return frozenset(WEEKDAYS.index(as_one_of(WEEKDAYS)(v)) for v in value)


def _clock(value: Any) -> int:
    return parse_clock(as_text(value), "value")


def calendar(
    reader: Reader, document: dict[str, Any]
) -> tuple[tuple[tuple[dt.date, str], ...], frozenset[dt.date]]:
    """The [[calendar]] days: non-working days with their names, and rest days made working."""
    holidays: dict[dt.date, str] = {}
    working: set[dt.date] = set()
    for index, table in enumerate(_array(reader, document, "calendar")):
        path: Path = ("calendar", index)
        day = reader.required(table, "date", path, as_date)
        kind = reader.get(table, "day", path, as_one_of(CALENDAR_DAYS)) or "holiday"
        name = reader.get(table, "name", path, as_text) or "holiday"
        if day is None:
            continue
        if day in (holidays if kind == "working" else working):
            reader.problem((*path, "date"), f"{day} is in the calendar as a holiday and working")
        elif kind == "working":
            working.add(day)
        else:
            holidays.setdefault(day, name)
    return tuple(sorted(holidays.items())), frozenset(working)


def rest_day_work(reader: Reader, document: dict[str, Any]) -> RestDayWork | None:
    """[rest_day_work]: factor, base and rest_days, with the [[calendar]] (art. 153)."""
    days = calendar(reader, document)
    table = _table(reader, document, "rest_day_work")
    if table is None:
        return None
    path: Path = ("rest_day_work",)
    factor = reader.required(table, "factor", path, _factor)
    base = reader.get(table, "base", path, as_choice(RestDayBase)) or RestDayBase.EARNINGS
    rest = reader.get(table, "rest_days", path, _weekdays)
    if factor is None:
        return None
    if factor == 1:
        reader.problem((*path, "factor"), "must be more than 1 (2 is double pay)")
        return None
    return RestDayWork(factor, base, frozenset({5, 6}) if rest is None else rest, *days)


def night_work(reader: Reader, document: dict[str, Any]) -> NightWork | None:
    """[night_work]: percent of the tariff per night hour, from and to (art. 154)."""
    table = _table(reader, document, "night_work")
    if table is None:
        return None
    path: Path = ("night_work",)
    percent = reader.required(table, "percent", path, as_positive)
    start = reader.get(table, "from", path, _clock)
    end = reader.get(table, "to", path, _clock)
    if percent is None:
        return None
    return NightWork(percent, 22 * 60 if start is None else start, 6 * 60 if end is None else end)


def _share(value: Any) -> Fraction:
    """A share written exactly: "2/3", or a decimal such as 0.6667 or 1."""
    if isinstance(value, str) and "/" in value:
        top, _, bottom = value.partition("/")
        if top.strip().isdigit() and bottom.strip().isdigit() and int(bottom) > 0:
            share = Fraction(int(top), int(bottom))
            if 0 < share <= 1:
                return share
        raise InvalidValue(
            "value", value, say('is a share more than 0, at most 1: "2/3", 0.6667, 1')
        )
    return Fraction(as_fraction(value))


def _months(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise InvalidValue("value", value, say("is a whole number of months from 1 to 12"))
    return value


def idle_time(reader: Reader, document: dict[str, Any]) -> IdleTime | None:
    """[idle_time]: how idle time through the employer's fault is paid (art. 157)."""
    table = _table(reader, document, "idle_time")
    if table is None:
        return None
    path: Path = ("idle_time",)
    employer = reader.get(table, "employer", path, as_choice(IdleBase)) or IdleBase.AVERAGE
    fraction = reader.get(table, "fraction", path, _share)
    months = reader.get(table, "months", path, _months)
    if employer is IdleBase.TARIFF and document.get("guarantee") is None:
        reader.problem((*path, "employer"), '"tariff" pays the [guarantee] share: give it')
    return IdleTime(employer, Fraction(2, 3) if fraction is None else fraction, months or 12)


def accounting_periods(
    reader: Reader, document: dict[str, Any], rule: Overtime | None
) -> tuple[AccountingPeriod, ...]:
    """[[accounting_periods]] of summarised accounting: from, to and the norm hours (art. 104)."""
    found: list[AccountingPeriod] = []
    for index, table in enumerate(_array(reader, document, "accounting_periods")):
        path: Path = ("accounting_periods", index)
        first = reader.required(table, "from", path, as_date)
        last = reader.required(table, "to", path, as_date)
        norm = reader.required(table, "norm_hours", path, as_positive)
        if first is None or last is None or norm is None:
            continue
        if last < first:
            reader.problem((*path, "to"), f"{last} is before from {first}")
            continue
        period = AccountingPeriod(first, last, norm)
        clash = next((p for p in found if p.first <= last and first <= p.last), None)
        if clash is not None:
            reader.problem((*path, "from"), f"{period} overlaps the accounting period {clash}")
            continue
        found.append(period)
    if found and (rule is None or rule.base is not OvertimeBase.TARIFF):
        reader.problem(
            ("accounting_periods",),
            'needs [overtime] with base = "tariff": its bands pay the period\'s overtime',
        )
    return tuple(sorted(found, key=lambda p: p.first))
