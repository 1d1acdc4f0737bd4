"""Checks shared by the value objects: each raises InvalidValue naming the field and value."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say

MAX_HOURS = Decimal(24)
# The database keeps every ledger number at this many decimals (docs/performance.md): a value
# with more is refused where it enters, never rounded on the way in.
STORED_PLACES = 6
# and below this many digits before the point, so that micro-units fit a 64-bit integer.
STORED_DIGITS = 12


# Plain decimal notation, as files are documented to hold numbers: no exponent, no sign but a
# leading minus, a digit on both sides of the point ("1e3", "+10", ".5" and "6." are not plain).
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def places_of(value: Decimal) -> int:
    """How many decimals a finite Decimal is written with (0 for 50 and for 5E+1)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "a finite number"
    return max(0, -exponent)


def require_places(field: str, value: Decimal) -> Decimal:
    """A number the ledger can store exactly: at most STORED_PLACES decimals."""
    if not value.is_finite():
        raise InvalidValue(field, value, say("is not a finite number"))
    if places_of(value) > STORED_PLACES:
        raise InvalidValue(
            field,
            value,
            say("at most %(stored_places)s decimal places", stored_places=STORED_PLACES),
        )
    return value


def require_text(field: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidValue(field, value, say("is required"))
    return value.strip()


def require_hours(field: str, value: Decimal) -> Decimal:
    if not Decimal(0) < value <= MAX_HOURS:
        raise InvalidValue(field, value, say("must be more than 0 and at most 24 hours"))
    return value


def require_worked_hours(field: str, value: Decimal) -> Decimal:
    """A crew line's hours: its upper bound is its shift's hours, checked with the shift."""
    if value <= 0:
        raise InvalidValue(field, value, say("must be more than 0"))
    return value


def require_non_negative(field: str, value: Decimal) -> Decimal:
    if value < 0:
        raise InvalidValue(field, value, say("must not be negative"))
    return value


def require_positive(field: str, value: Decimal) -> Decimal:
    if value <= 0:
        raise InvalidValue(field, value, say("must be more than 0"))
    return value


class Versioned(Protocol):
    @property
    def effective_from(self) -> dt.date: ...


V = TypeVar("V", bound=Versioned)


def in_force(versions: Sequence[V], on: dt.date) -> V | None:
    """The version in force on a date: the last (by effective_from) that starts on or before it."""
    index = bisect_right([v.effective_from for v in versions], on)
    return versions[index - 1] if index else None
