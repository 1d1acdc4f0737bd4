"""The split of a work order's fund: shares add up exactly to the fund, each within one minor
unit of its exact value, more weight never gets less, and the order of the rows never matters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.work_orders import (
    Member,
    Participation,
    SplitRule,
    WorkOrder,
    largest_remainder,
    split,
)

CENT = Decimal("0.01")


def order(rule: SplitRule = SplitRule.TARIFF_HOURS_KTU, **more: object) -> WorkOrder:
    values: dict[str, object] = {
        "work_order": "N-1",
        "unit": "Mine/Brigade 1",
        "period_start": dt.date(1935, 9, 1),
        "period_end": dt.date(1935, 9, 30),
        "operations": (),
        "measure": None,
        "rate": None,
        "fund": Decimal("1000.00"),
        "split": rule,
        "currency": "RUB",
        "minor_unit": CENT,
        "ktu_min": None,
        "ktu_max": None,
        "note": None,
    }
    return WorkOrder(**(values | more))  # type: ignore[arg-type]


money = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) * CENT)
weight = st.fractions(min_value=0, max_value=1000, max_denominator=1000)
weights = st.lists(weight, min_size=1, max_size=12).filter(lambda ws: sum(ws) > 0)


@given(money, weights)
def test_shares_add_up_to_the_fund_each_within_a_minor_unit(
    fund: Decimal, ws: list[Fraction]
) -> None:
    exact, shares = largest_remainder(fund, ws, CENT)
    assert sum(shares, Decimal(0)) == fund
    assert sum(exact, Fraction(0)) == Fraction(fund)
    for share, value in zip(shares, exact, strict=True):
        assert share % CENT == 0
        assert abs(Fraction(share) - value) < Fraction(CENT)


@given(money, weights)
def test_more_weight_never_gets_less(fund: Decimal, ws: list[Fraction]) -> None:
    _, shares = largest_remainder(fund, ws, CENT)
    for i, a in enumerate(ws):
        for j, b in enumerate(ws):
            if a > b:
                assert shares[i] >= shares[j]


hours = st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=12)


@given(money, hours, st.randoms(use_true_random=False))
def test_the_order_of_the_members_does_not_matter(
    fund: Decimal, worked: list[int], rnd: Random
) -> None:
    members = [Member(f"W{i:02}", Decimal(1), Decimal(h), None) for i, h in enumerate(worked)]
    shuffled = list(members)
    rnd.shuffle(shuffled)
    first = split(order(SplitRule.HOURS, fund=fund), fund, "", members)
    second = split(order(SplitRule.HOURS, fund=fund), fund, "", shuffled)
    assert {s.worker_id: s.amount for s in first.shares} == {
        s.worker_id: s.amount for s in second.shares
    }


def test_each_rule_weighs_its_own_factors() -> None:
    members = [
        Member("A", Decimal("1.2"), Decimal(18), Decimal("2.00")),
        Member("B", Decimal(1), Decimal(12), Decimal("1.70")),
    ]
    weights = {
        rule: [s.weight for s in split(order(rule), Decimal("1000.00"), "", members).shares]
        for rule in SplitRule
    }
    assert weights[SplitRule.TARIFF_HOURS_KTU] == [Fraction("43.2"), Fraction("20.4")]
    assert weights[SplitRule.HOURS_KTU] == [Fraction("21.6"), Fraction(12)]
    assert weights[SplitRule.KTU] == [Fraction("1.2"), Fraction(1)]
    assert weights[SplitRule.HOURS] == [Fraction(18), Fraction(12)]


def test_a_ktu_other_than_one_needs_its_reason_and_bounds_hold() -> None:
    with pytest.raises(InvalidValue, match="needs a reason"):
        Participation("N-1", "A", Decimal("0.9"), None, None, None)
    bounded = order(ktu_min=Decimal("0.5"), ktu_max=Decimal("1.5"))
    assert bounded.bounds_problem(Decimal("1.5")) is None
    assert bounded.bounds_problem(Decimal("1.6")) == (
        "1.6 is outside work order N-1's bounds 0.5..1.5"
    )


def test_a_work_order_is_paid_by_a_fund_or_a_rate_not_both() -> None:
    with pytest.raises(InvalidValue, match="either fund or rate"):
        order(rate=Decimal(3))
    with pytest.raises(InvalidValue, match="needs operations and measure"):
        order(fund=None, rate=Decimal(3))


def test_no_weight_at_all_cannot_be_split() -> None:
    with pytest.raises(InvalidValue, match="total weight must be positive"):
        split(order(), Decimal("10.00"), "", [Member("A", Decimal(0), Decimal(8), Decimal(2))])


def test_a_published_bonus_split_by_ktu_alone() -> None:
    """900 by KTU 1, 0.8, 1.2 and 1.1 (docs/work-orders.md cites the source): the published
    shares, which add up to the fund."""
    members = [
        Member(worker, Decimal(ktu), Decimal(1), None)
        for worker, ktu in (("a", "1"), ("b", "0.8"), ("c", "1.2"), ("d", "1.1"))
    ]
    found = split(order(SplitRule.KTU), Decimal("900.00"), "", members)
    assert [s.amount for s in found.shares] == [
        Decimal("219.51"),
        Decimal("175.61"),
        Decimal("263.42"),
        Decimal("241.46"),
    ]


def test_a_published_split_by_tariff_hours_and_ktu() -> None:
    """5287 by tariff x hours x KTU (docs/work-orders.md): 13.9 x 144 x 1.0, 14.8 x 152 x 1.2,
    15.7 x 144 x 1.4 of 7866.24; the source rounds its shares to 5286.98, these add up."""
    members = [
        Member("1", Decimal("1.0"), Decimal(144), Decimal("13.9")),
        Member("2", Decimal("1.2"), Decimal(152), Decimal("14.8")),
        Member("3", Decimal("1.4"), Decimal(144), Decimal("15.7")),
    ]
    found = split(order(), Decimal("5287.00"), "", members)
    assert found.total_weight == Fraction("7866.24")
    assert [s.amount for s in found.shares] == [
        Decimal("1345.30"),
        Decimal("1814.38"),
        Decimal("2127.32"),
    ]
