"""The UK fair piece rate (rated output work): HMRC's worked example and its invariants."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.fair_rate import (
    RateCheck,
    fair_piece_rate,
    hours_treated_as_worked,
    least_payable,
    mean_hourly_output,
)


def test_hmrc_worked_example_nmwm03140() -> None:
    """HMRC National Minimum Wage Manual NMWM03140: minimum wage 5.05 an hour, an average
    hourly output of 10 items: 5.05 / 10 x 1.2 = 0.606 per item."""
    mean = mean_hourly_output(Decimal(100), Decimal(10))  # 100 items in 10 hours
    assert mean == 10
    assert fair_piece_rate(Decimal("5.05"), mean) == Fraction("0.606")
    assert least_payable(fair_piece_rate(Decimal("5.05"), mean), Decimal("0.01")) == Decimal("0.61")
    # Each item counts as 1.2 x 6 minutes: 50 items are 6 hours treated as worked.
    assert hours_treated_as_worked(Decimal(50), mean) == 6
    assert not RateCheck(Decimal("0.60"), Fraction("0.606")).fair_enough
    assert RateCheck(Decimal("0.60"), Fraction("0.606")).shortfall == Fraction("0.006")


positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@given(positive, positive, positive, positive)
def test_the_fair_rate_pays_the_minimum_wage_for_every_hour_treated_as_worked(
    wage: Decimal, output: Decimal, hours: Decimal, pieces: Decimal
) -> None:
    mean = mean_hourly_output(output, hours)
    rate = fair_piece_rate(wage, mean)
    treated = hours_treated_as_worked(pieces, mean)
    assert rate * Fraction(pieces) == Fraction(wage) * treated  # exactly, whatever the numbers
    # A worker at the average speed earns 120% of the minimum wage for the hours worked.
    assert rate * mean == Fraction(6, 5) * Fraction(wage)
    assert RateCheck(least_payable(rate, Decimal("0.01")), rate).fair_enough
    assert Fraction(least_payable(rate, Decimal("0.01")) - Decimal("0.01")) < rate


def test_no_hours_or_no_output_is_refused() -> None:
    with pytest.raises(InvalidValue, match="hours"):
        mean_hourly_output(Decimal(5), Decimal(0))
    with pytest.raises(InvalidValue, match="output"):
        mean_hourly_output(Decimal(0), Decimal(5))
