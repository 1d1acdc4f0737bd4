"""Plans on a tree checked by hand: roll-ups, derived targets, forecasts, cascades."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period, parse_period
from stakhanov.domain.plans import (
    PlanTarget,
    Production,
    actual,
    cascade,
    granularity,
    previous_period,
    roll_up,
)
from stakhanov.domain.units import is_within

D = Decimal
MAY = Period(dt.date(1937, 5, 1), dt.date(1937, 5, 31))
TRUST = "Trust"
NORTH, SOUTH = "Trust/North", "Trust/South"
N1, N2, S1 = "Trust/North/Pit 1", "Trust/North/Pit 2", "Trust/South/Pit 1"


def plan(unit: str, target: str, measure: str = "t", period: Period = MAY) -> PlanTarget:
    return PlanTarget(unit, "ore", period.start, period.end, D(target), measure)


def made(unit: str, day: int, quantity: str, measure: str = "t", op: str = "ore") -> Production:
    return Production(unit, dt.date(1937, 5, day), op, D(quantity), measure)


PRODUCTION = [
    made(N1, 1, "100"),
    made(N1, 10, "150.5"),
    made(N2, 3, "80000", "kg"),  # 80 t
    made(S1, 5, "40"),
    made(SOUTH, 6, "10"),  # produced at the section's own workplace
    made(N1, 12, "999", op="waste"),  # another operation
    made(N1, 25, "500"),  # after the as-of date below
]


def test_roll_up_by_hand() -> None:
    targets = [plan(N1, "400"), plan(N2, "200"), plan(SOUTH, "150")]
    found = {s.unit: s for s in roll_up(targets, PRODUCTION, dt.date(1937, 5, 15))}
    assert set(found) == {N1, N2, SOUTH, NORTH, TRUST}
    assert (found[N1].actual, found[N1].percent) == (D("250.5"), D("62.6"))
    assert found[N2].actual == 80 and found[N2].percent == 40
    assert (found[SOUTH].actual, found[SOUTH].percent) == (50, D("33.3"))
    # North has no plan of its own: its target is Pit 1's plus Pit 2's.
    north = found[NORTH]
    assert (north.derived, north.target, north.actual) == (True, 600, D("330.5"))
    # The trust: North's derived 600 is not counted twice; South 150.
    trust = found[TRUST]
    assert (trust.target, trust.actual, trust.percent) == (750, D("380.5"), D("50.7"))
    # 15 of 31 days gone: 380.5 x 31 / 15 = 786.366... t.
    assert trust.forecast == D("786.367") and trust.forecast_percent == D("104.8")


def test_a_derived_target_is_measured_on_the_units_it_covers() -> None:
    """Only Pit 1 is planned: North's and the trust's actual is Pit 1's, not Pit 2's too."""
    found = {s.unit: s for s in roll_up([plan(N1, "400")], PRODUCTION, dt.date(1937, 5, 15))}
    assert {u: (s.target, s.actual, s.percent) for u, s in found.items()} == {
        N1: (400, D("250.5"), D("62.6")),
        NORTH: (400, D("250.5"), D("62.6")),
        TRUST: (400, D("250.5"), D("62.6")),
    }


def test_own_target_beats_derived_and_over_fulfilment_counts() -> None:
    targets = [plan(N1, "100"), plan(NORTH, "200")]
    found = {s.unit: s for s in roll_up(targets, PRODUCTION, dt.date(1937, 5, 31))}
    assert not found[NORTH].derived and found[NORTH].target == 200
    assert found[N1].actual == D("750.5") and found[N1].percent == D("750.5")
    assert found[N1].forecast == found[N1].actual  # the period is over
    assert found[TRUST].target == 200  # nearest planned: North only


def test_before_the_period_there_is_no_actual_and_no_forecast() -> None:
    (status, *_) = roll_up([plan(N1, "100")], PRODUCTION, dt.date(1937, 4, 30))
    assert (status.actual, status.forecast) == (0, None)


def test_granularities() -> None:
    def g(a: str, b: str) -> str:
        return granularity(Period(dt.date.fromisoformat(a), dt.date.fromisoformat(b)))

    assert g("1933-01-01", "1937-12-31") == "five-year"
    assert g("1935-01-01", "1935-12-31") == "year"
    assert g("1935-07-01", "1935-09-30") == "quarter"
    assert g("1935-02-01", "1935-02-28") == "month"
    assert g("1935-02-21", "1935-02-28") == "ten-day"
    assert g("1935-02-11", "1935-02-20") == "ten-day"
    assert g("1935-02-11", "1935-02-11") == "day"
    assert g("1935-02-02", "1935-03-01") == "custom"
    assert g("1935-02-01", "1935-04-30") == "custom"


def test_cascade_by_capacity_with_an_override() -> None:
    capacity = {N1: D(300), N2: D(100), "Trust/North/Pit 3": D(0)}
    children = [N1, N2, "Trust/North/Pit 3"]
    split = {a.unit: a.target for a in cascade(D(1000), children, capacity, {})}
    assert split == {N1: 750, N2: 250, "Trust/North/Pit 3": 0}
    fixed = {a.unit: a for a in cascade(D(1000), children, capacity, {N2: D("400.5")})}
    # 599.5 left, written to tenths, split 3:0 by capacity.
    assert fixed[N2].overridden and fixed[N2].target == D("400.5")
    assert fixed[N1].target == D("599.5")
    with pytest.raises(InvalidValue, match="more than"):
        cascade(D(100), children, capacity, {N1: D(101)})
    with pytest.raises(InvalidValue, match="no capacity"):
        cascade(D(100), children, {}, {})


@given(
    st.integers(min_value=1, max_value=10**6),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8).filter(any),
)
def test_a_cascade_allocates_exactly_the_target(target: int, weights: list[int]) -> None:
    children = [f"T/U{i}" for i in range(len(weights))]
    capacity = {c: D(w) for c, w in zip(children, weights, strict=True)}
    allocations = cascade(D(target), children, capacity, {})
    assert sum(a.target for a in allocations) == target
    assert all(a.target == 0 for a in allocations if a.capacity == 0)


@given(st.lists(st.tuples(st.sampled_from([N1, N2, S1]), st.integers(1, 31), st.integers(0, 999))))
def test_a_derived_parent_adds_up_its_children(rows: list[tuple[str, int, int]]) -> None:
    production = [made(u, d, str(q)) for u, d, q in rows]
    targets = [plan(N1, "10"), plan(N2, "20"), plan(S1, "30")]
    found = {s.unit: s for s in roll_up(targets, production, dt.date(1937, 5, 31))}
    assert found[NORTH].actual == found[N1].actual + found[N2].actual
    assert found[TRUST].actual == found[NORTH].actual + found[SOUTH].actual
    assert found[TRUST].target == 60


def test_targets_in_different_units_of_measure_roll_up_as_one() -> None:
    """Pit 2 plans in kg: North's and the trust's derived targets convert it, one row each."""
    targets = [plan(N1, "400"), plan(N2, "200000", "kg"), plan(S1, "50")]
    rows = roll_up(targets, PRODUCTION, dt.date(1937, 5, 15), {"ore": "t"})
    assert sorted((s.unit, s.unit_of_measure) for s in rows) == [
        (TRUST, "t"),
        (NORTH, "t"),
        (N1, "t"),
        (N2, "kg"),
        (SOUTH, "t"),
        (S1, "t"),
    ]
    found = {s.unit: s for s in rows}
    assert (found[N2].target, found[N2].actual) == (200000, 80000)
    assert (found[NORTH].target, found[NORTH].actual, found[NORTH].percent) == (
        600,
        D("330.5"),
        D("55.1"),
    )
    # The trust's derived target covers the three pits only, so South's own 10 t is left out.
    assert (found[TRUST].target, found[TRUST].actual) == (650, D("370.5"))
    # All descendants in kg: the derived target stays in kg.
    kilos = roll_up([plan(N1, "1000", "kg"), plan(N2, "2000", "kg")], PRODUCTION, MAY.end)
    assert {(s.unit, s.target, s.unit_of_measure) for s in kilos if s.derived} == {
        (NORTH, 3000, "kg"),
        (TRUST, 3000, "kg"),
    }


@pytest.mark.parametrize(
    ("plan", "reference"),
    [
        ("1935-09", "1935-08-01..1935-08-31"),
        ("1935-03", "1935-02-01..1935-02-28"),
        ("1935-Q1", "1934-10-01..1934-12-31"),
        ("1935", "1934-01-01..1934-12-31"),
        ("1933-01-01..1937-12-31", "1928-01-01..1932-12-31"),
        ("1935-03-01..1935-03-10", "1935-02-21..1935-02-28"),
        ("1935-03-11..1935-03-20", "1935-03-01..1935-03-10"),
        ("1935-03-21..1935-03-31", "1935-03-11..1935-03-20"),
        ("1935-03-01", "1935-02-28..1935-02-28"),
        ("1935-03-05..1935-03-12", "1935-02-25..1935-03-04"),
    ],
)
def test_a_cascade_s_default_reference_is_the_period_before(plan: str, reference: str) -> None:
    assert str(previous_period(parse_period(plan))) == reference


@given(
    st.lists(
        st.tuples(
            st.sampled_from([N1, N2, S1, SOUTH, TRUST]),
            st.integers(1, 31),
            st.decimals(0, 9999, places=3, allow_nan=False, allow_infinity=False),
            st.sampled_from(["t", "kg"]),
            st.sampled_from(["ore", "waste"]),
        )
    ),
    st.integers(1, 31),
)
def test_each_actual_is_the_output_of_the_unit_s_workplaces_to_the_written_scale(
    rows: list[tuple[str, int, Decimal, str, str]], as_of: int
) -> None:
    """roll_up sums the output per workplace once; each actual is still `actual` over the raw
    production, value and scale."""
    production = [made(u, d, str(q), m, op) for u, d, q, m, op in rows]
    targets = [plan(N1, "10"), plan(N2, "20", "kg"), plan(SOUTH, "30")]
    day = dt.date(1937, 5, as_of)
    counted = Period(MAY.start, day)
    for status in roll_up(targets, production, day):
        expected = actual(status.unit, "ore", counted, status.unit_of_measure, production)
        if status.derived:
            below = [t.unit for t in targets if is_within(t.unit, status.unit)]
            nearest = [u for u in below if not any(v != u and is_within(u, v) for v in below)]
            expected = sum(
                (actual(u, "ore", counted, status.unit_of_measure, production) for u in nearest),
                D(0),
            )
        assert str(status.actual) == str(expected), status.unit
