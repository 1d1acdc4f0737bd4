"""Clock times of day (`22:00`) and the minutes of a span that fall in a nightly window.

A shift's span runs from its start to its end and crosses midnight when the end is not after
the start (22:00-06:00 is 8 hours; 08:00-08:00 is 24). Minutes are whole, so every figure
derived from them is an exact fraction of an hour.
"""

from __future__ import annotations

import re

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say

DAY = 24 * 60
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def parse_clock(text: str, field: str = "time") -> int:
    """Minutes after midnight of `H:MM` or `HH:MM` (00:00 to 23:59)."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise InvalidValue(field, text, say("must be a time of day as HH:MM, 00:00 to 23:59"))
    return int(found[1]) * 60 + int(found[2])


def clock_text(minutes: int) -> str:
    """The canonical `HH:MM` of minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def span(start: int, end: int) -> int:
    """Minutes from start to end, crossing midnight when end <= start."""
    return (end - start) % DAY or DAY


def in_window(start: int, end: int, window_start: int, window_end: int) -> int:
    """Minutes of the span start..end that fall in the nightly window (which may cross
    midnight), counting the window on the day before, the day of and the day after."""
    first, last = start, start + span(start, end)
    length = span(window_start, window_end)
    found = 0
    for day in (-1, 0, 1):
        low = window_start + day * DAY
        found += max(0, min(last, low + length) - max(first, low))
    return found
