"""The methods registry's rules: the states a method goes through, and rewards that are exact
and add up to the cent among the authors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.methods import (
    Method,
    MethodState,
    RewardTerms,
    Step,
    add_months,
    check_step,
    hours_saved,
    reward,
    reward_window,
    shares,
)
from stakhanov.domain.norms import Norm, NormKind

DAY = dt.date(1935, 9, 4)


def method(*steps: Step) -> Method:
    return Method(1, "hewing", "two benches", "c", "e", None, ("H1",), None, DAY, "x", steps)


def norm(value: str, when: dt.date = DAY) -> Norm:
    return Norm("hewing", "t", NormKind.OUTPUT, Decimal(value), Decimal(6), when)


def test_a_method_goes_through_evaluation_to_a_final_decision() -> None:
    evaluating = Step(MethodState.UNDER_EVALUATION, "engineer", "study it", DAY)
    with pytest.raises(InvalidValue, match="may go to under evaluation"):
        check_step(method(), Step(MethodState.ADOPTED, "director", "good", DAY))
    check_step(method(), evaluating)
    check_step(method(evaluating), Step(MethodState.REJECTED, "director", "no gain", DAY))
    rejected = Step(MethodState.REJECTED, "director", "no gain", DAY)
    with pytest.raises(InvalidValue, match="decided"):
        check_step(method(evaluating, rejected), evaluating)
    with pytest.raises(InvalidValue, match="reason"):
        check_step(method(), Step(MethodState.UNDER_EVALUATION, "engineer", " ", DAY))
    with pytest.raises(InvalidValue, match="before the method's last step"):
        check_step(method(), Step(MethodState.UNDER_EVALUATION, "e", "r", dt.date(1935, 9, 1)))
    assert method(evaluating, rejected).state_on(DAY - dt.timedelta(days=1)) is (
        MethodState.SUBMITTED
    )


def test_the_worked_reward() -> None:
    # 44 t at 8 t a shift of 6 h earned 33 h; at 8.8 t, 30 h: 3 h saved x 2.50 x 20% = 1.50.
    terms = RewardTerms(Decimal("0.2"), Decimal("2.50"), "RUB", 3)
    assert hours_saved(norm("8"), norm("8.8"), Decimal(44)) == 3
    assert reward(norm("8"), norm("8.8"), Decimal(44), terms) == Decimal("1.50")
    assert shares(Decimal("1.50"), ("H1", "H3")) == {"H1": Decimal("0.75"), "H3": Decimal("0.75")}
    assert shares(Decimal("1.00"), ("A", "B", "C")) == {
        "A": Decimal("0.34"),
        "B": Decimal("0.33"),
        "C": Decimal("0.33"),
    }


def test_a_lowered_norm_saves_nothing_and_pays_nothing() -> None:
    terms = RewardTerms(Decimal("0.5"), Decimal(3), "RUB", 1)
    assert reward(norm("8"), norm("7"), Decimal(10), terms) == Decimal("0.00")


def test_terms_and_windows() -> None:
    with pytest.raises(InvalidValue, match="share"):
        RewardTerms(Decimal("1.5"), Decimal(1), "RUB", 1)
    assert add_months(dt.date(1936, 1, 31), 1) == dt.date(1936, 2, 29)
    window = reward_window(dt.date(1935, 9, 10), 3)
    assert (window.start, window.end) == (dt.date(1935, 9, 10), dt.date(1935, 12, 9))


cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))
authors = st.lists(st.text("ABCDEFGH", min_size=1, max_size=3), min_size=1, max_size=8, unique=True)


@given(cents, authors)
def test_shares_add_up_to_the_reward_exactly_and_differ_by_a_cent_at_most(
    amount: Decimal, names: list[str]
) -> None:
    parts = shares(amount, tuple(names))
    assert sum(parts.values(), Decimal(0)) == amount
    assert max(parts.values()) - min(parts.values()) <= Decimal("0.01")
    assert all(p.as_tuple().exponent == -2 for p in parts.values())


positive = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(1000), places=2)


@given(positive, positive, st.integers(min_value=0, max_value=10**6))
def test_hours_saved_is_the_exact_difference_of_standard_hours(
    old: Decimal, new: Decimal, quantity: int
) -> None:
    saved = hours_saved(norm(str(old)), norm(str(new)), Decimal(quantity))
    assert saved == Fraction(quantity) * 6 / Fraction(old) - Fraction(quantity) * 6 / Fraction(new)
    assert (saved > 0) == (new > old and quantity > 0)


@given(positive, positive, st.integers(min_value=0, max_value=10**5),
       st.integers(min_value=0, max_value=10**5))  # fmt: skip
def test_rewards_of_two_periods_add_up_within_a_cent_of_the_whole(
    old: Decimal, new: Decimal, first: int, second: int
) -> None:
    terms = RewardTerms(Decimal("0.25"), Decimal("1.75"), "RUB", 6)
    whole = reward(norm(str(old)), norm(str(new)), Decimal(first + second), terms)
    parts = reward(norm(str(old)), norm(str(new)), Decimal(first), terms) + reward(
        norm(str(old)), norm(str(new)), Decimal(second), terms
    )
    # Each period's reward is rounded once, so the parts may differ from the whole by a cent.
    assert abs(parts - whole) <= Decimal("0.01")
