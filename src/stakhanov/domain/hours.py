"""Hours as people write them: decimal hours, hours and minutes, or a fraction of an hour.

The grammar (docs/import.md): `6` or `6.5` (decimal hours), `20min`, `6h`, `6h20min`, `6:20`
(hours and minutes, minutes under 60 after hours), `1/3` (a fraction of an hour). Every form
parses to an exact Fraction, so sums never drift; `ledger_hours` gives the value the domain and
the ledger keep: the Decimal when decimal hours of at most six places hold it, else ExactHours, a
Decimal that carries its fraction and computes with it (domain/exact.py; decisions/0463).
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.exact import Exact, ExactHours, rounded_to
from stakhanov.domain.rounding import shown
from stakhanov.domain.values import PLAIN_DECIMAL, STORED_PLACES
from stakhanov.domain.wording import say

FORMS = say(
    "decimal hours (6, 6.5), hours and minutes (20min, 6h, 6h20min, 6:20) or a fraction (1/3)"
)
_MINUTES = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)min)?")
_CLOCK = re.compile(r"([0-9]+):([0-9]{2})")
_FRACTION = re.compile(r"([0-9]+)/([0-9]+)")
STORED_QUANTUM = Decimal(1).scaleb(-STORED_PLACES)
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
        raise InvalidValue(
            field, text, say("is not a number of hours: write %(forms)s", forms=FORMS)
        )
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


def ledger_hours(value: Fraction) -> Decimal:
    """The hours as the domain and the ledger keep them: the Decimal when decimal hours of at
    most six places hold them (`6h30min` is 6.5, as if the decimal had been written), else
    ExactHours (`20min` is 1/3 h), never rounded."""
    scaled = value * 10**STORED_PLACES
    if scaled.denominator != 1:
        return ExactHours(value)
    return Decimal(scaled.numerator).scaleb(-STORED_PLACES).normalize() + 0


def stored_hours(value: Decimal) -> tuple[Decimal, str | None]:
    """What the ledger writes for hours: the decimal column (rounded half-up to six places only
    for ExactHours, for SQL that reads it alone) and the exact text beside it (None when the
    decimal is the value)."""
    if isinstance(value, Exact):
        return rounded_to(value.fraction, STORED_QUANTUM), str(value.fraction)
    return value, None


def shown_hours(value: Fraction) -> Decimal:
    """Hours computed as a fraction (overtime), for a slip line: as `rounding.shown` writes
    them where six places hold them (every sum of decimal hours), else ExactHours."""
    return shown(value) if (value * 10**STORED_PLACES).denominator == 1 else ExactHours(value)


def decimal_above(value: Decimal) -> Decimal:
    """The hours, or for ExactHours the least six-place decimal above them: a bound for SQL
    that only finds suspects (more than 24 hours a day), which the domain then checks exactly."""
    if isinstance(value, Exact):
        return rounded_to(value.fraction, STORED_QUANTUM, ROUND_CEILING)
    return value


def read_hours(decimal: Decimal, written: str | None) -> Decimal:
    """Hours read back from the ledger: the exact text where one was kept, else the decimal."""
    return decimal if written is None else ledger_hours(parse_hours(written))


def hours_text(value: Decimal) -> str:
    """Hours as text that reads back exactly: plain decimal, or the fraction (`1/3`)."""
    return str(value) if isinstance(value, ExactHours) else format(value, "f")


def text_hours(text: str) -> Decimal:
    """`hours_text` read back."""
    return ledger_hours(parse_hours(text)) if "/" in text else Decimal(text)
