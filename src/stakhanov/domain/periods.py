"""Periods as users write them: YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO, inclusive."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue("period", f"{self.start}..{self.end}", say("ends before it starts"))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def parse_date(text: str, field: str = "date") -> dt.date:
    """YYYY-MM-DD only: Python 3.11 would also take 19350831 and week dates like 1935-W35-6."""
    value = text.strip()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise InvalidValue(field, text, say("must be an ISO date like 1935-08-31")) from err


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(dt.date(year, month, 1), dt.date(year, month, last))


def parse_period(text: str) -> Period:
    """Parse a period; raise InvalidValue naming the accepted forms."""
    if re.match(r"\s*0000(?!\d)", text):  # the calendar starts at year 1
        raise InvalidValue("period", text, say("must be in the years 1 to 9999"))
    value = text.strip()
    if ".." in value:
        start, _, end = value.partition("..")
        return Period(parse_date(start, "period"), parse_date(end, "period"))
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value, flags=re.IGNORECASE):
        year, quarter = int(match[1]), int(match[2])
        first = _month(year, 3 * quarter - 2)
        return Period(first.start, _month(year, 3 * quarter).end)
    if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
        month = int(match[2])
        if 1 <= month <= 12:
            return _month(int(match[1]), month)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = parse_date(value, "period")
        return Period(day, day)
    raise InvalidValue(
        "period", text, say("must be YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO")
    )
