"""Distributions of percentages: nearest-rank percentiles, quartiles and a histogram.

Nearest rank is used throughout so that every statistic is one of the observed values, exact
and checkable by hand: the p-th percentile of n sorted values is the value at rank ceil(p/100 x n).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

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


class Ranked(Generic[Value]):
    """A sample sorted once, whose nearest-rank percentiles can leave out part of it (one
    worker's or one brigade's results) without sorting the rest again: what `percentile`
    gives of the rest, found by skipping the left-out values' ranks."""

    def __init__(self, values: Iterable[Value]) -> None:
        self.ordered: list[Value] = sorted(values)

    def percentile_without(self, left_out: Sequence[Value], p: Decimal) -> Value:
        """`percentile` of the sample less `left_out` (values of the sample, as a multiset)."""
        if not Decimal(0) < p <= Decimal(100):
            raise InvalidValue("percentile", p, say("must be more than 0 and at most 100"))
        remaining = len(self.ordered) - len(left_out)
        if remaining <= 0:
            raise InvalidValue("sample", "", "is empty")
        rank = max(1, math.ceil(Fraction(p) * remaining / 100))
        index = rank - 1
        # The left-out values' places in the sorted sample, equal values at successive places;
        # each one at or before the rank found pushes it one place on.
        for place in self._places(left_out):
            if place > index:
                break
            index += 1
        return self.ordered[index]

    def _places(self, left_out: Sequence[Value]) -> list[int]:
        places: list[int] = []
        previous: Value | None = None
        for value in sorted(left_out):
            same = places[-1] + 1 if places and value == previous else None
            places.append(bisect_left(self.ordered, value) if same is None else same)
            previous = value
        return places


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
