"""Nearest-rank percentiles and the summary a proposal shows."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.distribution import Ranked, describe, percentile
from stakhanov.domain.errors import InvalidValue

D = Decimal


def test_nearest_rank_by_hand() -> None:
    values = [D(v) for v in (15, 20, 35, 40, 50)]
    # ranks: ceil(0.05 x 5) = 1, ceil(0.3 x 5) = 2, ceil(0.4 x 5) = 2, ceil(0.5 x 5) = 3.
    assert [percentile(values, D(p)) for p in (5, 30, 40, 50, 100)] == [15, 20, 20, 35, 50]


def test_summary_and_histogram() -> None:
    summary = describe([D(v) for v in (95, 100, 101, 119, 130)])
    assert (summary.count, summary.minimum, summary.median, summary.maximum) == (5, 95, 101, 130)
    assert (summary.q1, summary.q3) == (100, 119)
    assert summary.mean == D("109")
    assert summary.bins == ((D(90), 1), (D(100), 2), (D(110), 1), (D(120), 0), (D(130), 1))


def test_percentile_refuses_bad_input() -> None:
    with pytest.raises(InvalidValue):
        percentile([], D(50))
    with pytest.raises(InvalidValue):
        percentile([D(1)], D(0))


@given(
    st.lists(st.decimals(min_value=0, max_value=1000, places=1), min_size=1, max_size=50),
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=1, max_value=100),
)
def test_percentiles_are_observed_and_monotone(values: list[Decimal], p: int, q: int) -> None:
    low, high = sorted((p, q))
    assert percentile(values, D(low)) in values
    assert percentile(values, D(low)) <= percentile(values, D(high))
    assert percentile(values, D(100)) == max(values)
    assert sum(count for _, count in describe(values).bins) == len(values)


@given(
    values=st.lists(st.fractions(0, 20, max_denominator=3), min_size=2, max_size=30),
    data=st.data(),
    p=st.decimals(D("0.1"), D(100), places=1),
)
def test_a_percentile_without_some_values_is_that_of_the_rest(
    values: list[Fraction], data: st.DataObject, p: Decimal
) -> None:
    """Leave-one-worker-out on a sample sorted once: the percentile of what is left, with ties
    (a worker's results may equal others')."""
    chosen = data.draw(st.sets(st.integers(0, len(values) - 1), max_size=len(values) - 1))
    left_out = [values[i] for i in chosen]
    rest = [v for i, v in enumerate(values) if i not in chosen]
    assert Ranked(values).percentile_without(left_out, p) == percentile(rest, p)


def test_nothing_left_is_refused() -> None:
    with pytest.raises(InvalidValue):
        Ranked([D(1)]).percentile_without([D(1)], D(50))
