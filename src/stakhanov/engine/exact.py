"""Rational finishing: the few terms per output row that SQL summed, made exact and rounded once.

DuckDB sums integer numerators per (row, denominator) as HUGEINT; Python adds the handful of
fractions left per row. Nothing here ever passes through a binary float.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, localcontext
from fractions import Fraction

MICRO = 10**6


class Unsupported(Exception):
    """The period holds values the set-based engine cannot keep exact; use the reference path."""


def total(terms: Iterable[tuple[int, int]]) -> Fraction:
    """The exact sum of (numerator, denominator) terms."""
    return sum((Fraction(int(n), int(d)) for n, d in terms), Fraction(0))


def decimal_of(value: Fraction) -> Decimal:
    """A rational as a Decimal: exact when it terminates, else to 28 significant digits.

    The domain keeps Decimals today; a quotient such as 28/3 is shown to the same precision.
    """
    if value.denominator == 1:
        return Decimal(value.numerator)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator == 1:
        places = max(twos, fives)
        scaled = value * 10**places
        assert scaled.denominator == 1
        with localcontext() as context:
            context.prec = max(28, len(str(abs(scaled.numerator))) + 1)
            return Decimal(scaled.numerator).scaleb(-places)
    return Decimal(value.numerator) / Decimal(value.denominator)


def of_micro(micro: int, places: int | None = None) -> Decimal:
    """Micro-units as a Decimal: with `places` decimals as written, else without trailing zeros."""
    value = Decimal(int(micro)).scaleb(-6)
    if places is not None:
        return value.quantize(Decimal(1).scaleb(-places))
    value = value.normalize()
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return value.quantize(Decimal(1)) if exponent > 0 else value


def percent(part: Fraction | None, hours: Fraction) -> Decimal | None:
    """part / hours in percent, rounded half-up to one decimal ONCE from the exact ratio."""
    if part is None or not hours:
        return None
    # Tenths of a percent, in integers: part / hours x 1000.
    numerator = part.numerator * hours.denominator * 1000
    denominator = part.denominator * hours.numerator
    tenths, rest = divmod(numerator, denominator)
    if 2 * rest >= denominator:
        tenths += 1
    return Decimal(tenths).scaleb(-1)
