"""The exact split and the crew groups behind each result."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.attribution import quantum_of, split_exact
from stakhanov.domain.errors import InvalidValue

quantities = st.decimals(min_value=0, max_value=100_000, places=3, allow_nan=False).map(
    lambda d: d.quantize(Decimal("0.001"))
) | st.integers(0, 10_000).map(Decimal)
weights = st.lists(
    st.decimals(min_value=0, max_value=24, places=2, allow_nan=False), min_size=1, max_size=12
).filter(lambda ws: sum(ws) > 0)


@given(quantities, weights)
def test_parts_always_add_up_exactly(total: Decimal, ws: list[Decimal]) -> None:
    parts = split_exact(total, ws)
    assert sum(parts, Decimal(0)) == total
    assert len(parts) == len(ws)


@given(quantities, weights)
def test_no_part_is_negative_and_each_is_within_one_quantum_of_its_quota(
    total: Decimal, ws: list[Decimal]
) -> None:
    parts = split_exact(total, ws)
    quantum = quantum_of(total)
    weight_sum = sum((Fraction(w) for w in ws), Fraction(0))
    for part, weight in zip(parts, ws, strict=True):
        assert part >= 0
        quota = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(Fraction(part) - quota) < Fraction(quantum)
        assert part == part.quantize(quantum)


def test_precision_follows_how_the_quantity_is_written() -> None:
    assert split_exact(Decimal("50"), [Decimal(1)] * 3) == [Decimal(17), Decimal(17), Decimal(16)]
    assert split_exact(Decimal("50.0"), [Decimal(1)] * 3) == [
        Decimal("16.7"),
        Decimal("16.7"),
        Decimal("16.6"),
    ]


def test_ties_go_to_the_row_that_comes_first() -> None:
    assert split_exact(Decimal("1"), [Decimal(1), Decimal(1)]) == [Decimal(1), Decimal(0)]
    assert split_exact(Decimal("2"), [Decimal(1)] * 3) == [Decimal(1), Decimal(1), Decimal(0)]


def test_split_by_hours_times_coefficient() -> None:
    # 6 h x 1 and 6 h x 1.5: 15000 kg splits 6000 / 9000.
    assert split_exact(Decimal("15000"), [Decimal(6), Decimal(9)]) == [
        Decimal(6000),
        Decimal(9000),
    ]


def test_zero_weights_cannot_be_split() -> None:
    with pytest.raises(InvalidValue) as err:
        split_exact(Decimal(5), [Decimal(0), Decimal(0)])
    assert err.value.field == "coefficient"


def test_exponent_notation_splits_in_whole_units() -> None:
    assert quantum_of(Decimal("5E+1")) == Decimal(1)
