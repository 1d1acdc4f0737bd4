"""Rational finishing: the few terms per output row that SQL summed, made exact and rounded once.

DuckDB sums integer numerators per (row, denominator) as HUGEINT; Python adds the handful of
fractions left per row. Nothing here ever passes through a binary float.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from stakhanov.store.types import from_column

MICRO = 10**6


class Unsupported(Exception):
    """The period holds values the set-based engine cannot keep exact; use the reference path."""


def ratio(num: int | None, den: int | None) -> Fraction | None:
    """A (numerator, denominator) pair of columns as a fraction; None when missing."""
    return None if num is None or den is None else Fraction(int(num), int(den))


def total(terms: Iterable[tuple[int, int]]) -> Fraction:
    """The exact sum of (numerator, denominator) terms."""
    return sum((Fraction(int(n), int(d)) for n, d in terms), Fraction(0))


def over_lcm(nums: Sequence[int | str], dens: Sequence[int | str]) -> Fraction:
    """`total` of the terms over their least common denominator: one Fraction, not a gcd at
    every addition (a unit's day sums hold hundreds of denominators)."""
    ints = [int(d) for d in dens]
    common = math.lcm(*ints)
    return Fraction(sum(int(n) * (common // d) for n, d in zip(nums, ints, strict=True)), common)


def at_places(value: Fraction, places: int) -> Decimal:
    """A terminating rational as the Decimal with `places` decimals that the domain's sums give."""
    scaled = value * 10**places
    assert scaled.denominator == 1, "quantities times decimal factors terminate"
    return Decimal(f"{scaled.numerator}E-{places}")  # exact at any length, unlike scaleb


def decimal_at(num: int, den: int, places: int) -> Decimal:
    """`at_places` of num / den, in integers (the close converts one per paid result)."""
    scaled, rest = divmod(int(num) * 10**places, int(den))
    assert rest == 0, "quantities times decimal factors terminate"
    return Decimal(f"{scaled}E-{places}")


def of_micro(micro: int, places: int | None = None) -> Decimal:
    """Micro-units as a Decimal: with `places` decimals as written, else without trailing zeros
    (the store's own reading of an exact column)."""
    return from_column(int(micro), places)
