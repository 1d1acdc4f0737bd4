"""Hours as people write them: decimal hours, hours and minutes, or a fraction of an hour.

The grammar (docs/import.md): `6` or `6.5` (decimal hours), `20min`, `6h`, `6h20min`, `6:20`
(hours and minutes, minutes under 60 after hours), `1/3` (a fraction of an hour). Every form
parses to an exact Fraction, so sums never drift; `decimal_hours` gives the Decimal the ledger
stores, when decimal hours of at most six places hold it exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.values import PLAIN_DECIMAL, STORED_PLACES

FORMS = "decimal hours (6, 6.5), hours and minutes (20min, 6h, 6h20min, 6:20) or a fraction (1/3)"
_MINUTES = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)min)?")
_CLOCK = re.compile(r"([0-9]+):([0-9]{2})")
_FRACTION = re.compile(r"([0-9]+)/([0-9]+)")
_DIGITS = 6  # at most this many digits in any part: no number the ledger could not hold


def is_written_form(text: str) -> bool:
    """Whether the text is one of the forms besides plain decimal hours."""
    written = text.strip()
    return bool(written) and not PLAIN_DECIMAL.fullmatch(written) and _parts(written) is not None


def parse_hours(text: str, field: str = "hours") -> Fraction:
    """The exact hours a text states, in any form of the grammar."""
    written = text.strip()
    if PLAIN_DECIMAL.fullmatch(written) and "-" not in written:
        return Fraction(Decimal(written))
    parts = _parts(written)
    if parts is None:
        raise InvalidValue(field, text, f"is not a number of hours: write {FORMS}")
    return parts


def _parts(written: str) -> Fraction | None:
    if len(written) > 3 * _DIGITS:
        return None
    if (found := _FRACTION.fullmatch(written)) is not None:
        if int(found[2]) == 0:
            return None
        return Fraction(int(found[1]), int(found[2]))
    if (found := _CLOCK.fullmatch(written)) is not None:
        if int(found[2]) >= 60:
            return None
        return int(found[1]) + Fraction(int(found[2]), 60)
    found = _MINUTES.fullmatch(written)
    if found is None or (found[1] is None and found[2] is None):
        return None
    if found[1] is not None and found[2] is not None and int(found[2]) >= 60:
        return None  # 6h75min: minutes after hours are under 60
    return int(found[1] or 0) + Fraction(int(found[2] or 0), 60)


def decimal_hours(value: Fraction, text: str, field: str = "hours") -> Decimal:
    """The hours as the ledger stores them (decimal, at most six places), or a refusal that
    says why: 20min is 1/3 h, which no decimal holds exactly, and is never rounded."""
    scaled = value * 10**STORED_PLACES
    if scaled.denominator != 1:
        raise InvalidValue(
            field,
            text,
            f"is {value} h, which the ledger cannot yet store exactly as decimal hours (at most "
            f"{STORED_PLACES} places); it is never rounded: write a whole number of minutes that "
            "decimal hours hold (3min, 6, 15, 30, 45 ...) or the decimal",
        )
    return Decimal(scaled.numerator).scaleb(-STORED_PLACES).normalize() + 0
