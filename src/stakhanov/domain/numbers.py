"""One policy for numbers at every edge: JSON (CLI and API), CSV and tables.

Counts (ints) stay integers. Every other number (a quantity, hours, money, a percentage, a rate)
is written as a decimal string in plain notation, exactly as the domain rounded it: money keeps
its minor unit ("12.50"), a percentage its one decimal ("1457.1"). A value that reaches the edge
unrounded (a Fraction, a float, or a Decimal quotient longer than six decimals) is written
exact up to six decimals, else rounded half-up to six, so no binary float or 28-digit tail leaks.
A sum of quantities or hours is written in its canonical form (`shown_sum`, decision 0904).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from stakhanov.domain.exact import Exact, ExactHours
from stakhanov.domain.rounding import SHOWN_PLACES, SHOWN_QUANTUM, shown

PLACES = SHOWN_PLACES
"""Decimals kept of a value that reaches the edge unrounded."""


def decimal_of(value: Decimal | Fraction | float) -> Decimal:
    """The Decimal an edge writes: as the domain rounded it, or settled to six decimals."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or exponent >= -PLACES:
            return value
        return value.quantize(SHOWN_QUANTUM, rounding=ROUND_HALF_UP)
    if isinstance(value, float):  # its shortest text, not its binary expansion
        return decimal_of(Decimal(repr(value)))
    return shown(value)


def shown_sum(value: Decimal) -> Decimal:
    """A sum of quantities or hours as it is shown: what the edge writes (`decimal_of`), its
    trailing zeros after the point dropped, never an exponent (100 is `100`, 8.50 is `8.5`).

    The digits then depend on the value alone, not on the addends' scales: a sum rolled up
    afresh and one kept by change (which keeps the scale of addends taken away) print alike.
    Hours no decimal holds stay their fraction; money and percentages are not sums of this
    kind and keep their quantum (decision 0904)."""
    if isinstance(value, Exact) or not value.is_finite():
        return value
    found = decimal_of(value)
    if found.is_zero():
        return Decimal(0)
    sign, digits, exponent = found.as_tuple()
    assert isinstance(exponent, int)  # finite
    if exponent > 0:  # 1E+2: the zeros written out
        return Decimal((sign, digits + (0,) * exponent, 0))
    kept = len(digits)
    while exponent < 0 and kept > 1 and digits[kept - 1] == 0:
        kept -= 1
        exponent += 1
    return Decimal((sign, digits[:kept], exponent))


def text(value: Decimal | Fraction | float) -> str:
    """A number as decimal text in plain notation, never an exponent ("1E+2" is "100"); hours
    no decimal holds as their fraction ("1/3", which the hours grammar reads back)."""
    if isinstance(value, ExactHours):
        return str(value)
    found = decimal_of(value)
    if not found.is_finite():
        raise ValueError(f"cannot write {found} as a number")
    return format(found.copy_abs() if found.is_zero() else found, "f")


def json_value(value: object) -> object:
    """A number in its JSON form: an int (a count) as it is, any other number as `text`."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        return value
    if isinstance(value, int):
        return value
    return text(value)


def jsonable(value: object) -> object:
    """Every number inside dicts, lists and tuples in its JSON form; other values untouched."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return json_value(value)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number, in English: "1 problem", "3 problems".

    For texts the domain and services keep as they were written (a pay line's explanation, a
    refusal's summary in a log). Text shown to a reader goes through `stakhanov.i18n.ngettext`
    instead: languages with several plural forms need the catalog's rule, not an "s".
    """
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count} {noun}"
