"""Distributions of percentages: nearest-rank percentiles, quartiles and a histogram.

Nearest rank is used throughout so that every statistic is one of the observed values, exact
and checkable by hand: the p-th percentile of n sorted values is the value at rank ceil(p/100 x n).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say

BIN_WIDTH = Decimal(10)

Value = TypeVar("Value", Decimal, Fraction)


def percentile(values: Sequence[Value], p: Decimal) -> Value:
    """The nearest-rank p-th percentile (0 < p <= 100) of a non-empty sample.

    Exact values (Fractions) keep ties and boundaries exact; Decimals work the same way.
    """
    if not Decimal(0) < p <= Decimal(100):
        raise InvalidValue("percentile", p, say("must be more than 0 and at most 100"))
    if not values:
        raise InvalidValue("sample", "", "is empty")
    ordered = sorted(values)
    rank = max(1, math.ceil(Fraction(p) * len(ordered) / 100))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Distribution:
    """The summary a proposal shows of the sample it was computed from."""

    count: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal
    mean: Decimal
    bins: tuple[tuple[Decimal, int], ...]
    """(lower bound, count) of each 10-point bin from the lowest to the highest value."""

    @property
    def iqr(self) -> Decimal:
        return self.q3 - self.q1


def describe(values: Sequence[Decimal]) -> Distribution:
    if not values:
        raise InvalidValue("sample", "", "is empty")
    ordered = sorted(values)
    low = (ordered[0] // BIN_WIDTH) * BIN_WIDTH
    counts: dict[Decimal, int] = {}
    for value in ordered:
        lower = (value // BIN_WIDTH) * BIN_WIDTH
        counts[lower] = counts.get(lower, 0) + 1
    bins = []
    lower = low
    while lower <= ordered[-1]:
        bins.append((lower, counts.get(lower, 0)))
        lower += BIN_WIDTH
    return Distribution(
        count=len(ordered),
        minimum=ordered[0],
        q1=percentile(ordered, Decimal(25)),
        median=percentile(ordered, Decimal(50)),
        q3=percentile(ordered, Decimal(75)),
        maximum=ordered[-1],
        mean=sum(ordered, Decimal(0)) / len(ordered),
        bins=tuple(bins),
    )
