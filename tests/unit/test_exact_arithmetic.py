"""Norm arithmetic is exact, and every figure is rounded once, half-up, from the exact value."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.domain.fulfilment import Grouping, aggregate, key_function, results
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.piecework import piece_rate, progressive_pay
from stakhanov.domain.rounding import percent, ratio_percent, rounded, shown
from stakhanov.domain.scales import PayScale, PercentRule, Tier
from stakhanov.services.reports import FulfilmentRow
from tests.ledgers import shift, worker
from tests.pay import pay

D = Decimal
START = dt.date(1935, 1, 1)
figures = st.decimals(D("0.1"), D("50"), places=2).filter(lambda d: d > 0)
hours_worked = st.decimals(D("0.25"), D("24"), places=2).filter(lambda d: d > 0)
quantities = st.decimals(D("0"), D("500"), places=3)


@st.composite
def norms(draw: st.DrawFn) -> Norm:
    if draw(st.booleans()):
        return Norm("hewing", "t", NormKind.OUTPUT, draw(figures), draw(figures), START)
    return Norm("hewing", "t", NormKind.TIME, draw(figures), None, START)


def ledger_of(norm: Norm, parts: list[tuple[Decimal, Decimal]]) -> Ledger:
    """One worker, one shift a day, each part (quantity, hours) on its own day."""
    days = [START + dt.timedelta(days=i) for i in range(len(parts))]
    return Ledger.of(
        workers=[worker("A")],
        norms=[norm],
        shifts=[shift(f"S{i}", str(h), day=days[i]) for i, (_, h) in enumerate(parts)],
        outputs=[MeasuredOutput(f"S{i}", "hewing", q, "t") for i, (q, _) in enumerate(parts)],
        crew=[CrewEntry(f"S{i}", "A", "hewing", h) for i, (_, h) in enumerate(parts)],
    )


def total(ledger: Ledger) -> FulfilmentRow:
    found = results(ledger, START, START + dt.timedelta(days=400))
    (row,) = aggregate(found, key_function(Grouping.WORKER, str))
    return FulfilmentRow(Grouping.WORKER, row)


# --- one norm arithmetic ---------------------------------------------------------------------


@given(norms(), quantities, hours_worked)
def test_standard_hours_and_norm_output_are_inverse(
    norm: Norm, quantity: Decimal, hours: Decimal
) -> None:
    assert norm.norm_output(norm.standard_hours(quantity)) == quantity
    assert norm.standard_hours(norm.norm_output(hours)) == hours
    assert norm.standard_hours(norm.per_hour) == 1


def test_standard_hours_are_exact_where_decimal_was_not() -> None:
    """102 t against 7 t per 6 h is 612/7 h: seven times it is exactly 612."""
    norm = Norm("hewing", "t", NormKind.OUTPUT, D(7), D(6), START)
    assert norm.standard_hours(D(102)) == Fraction(612, 7)
    assert norm.standard_hours(D(102)) * 7 == 612
    time = Norm("turning", "part", NormKind.TIME, D(7), None, START)
    assert time.norm_output(D(1)) == Fraction(60, 7)


@given(norms(), figures, hours_worked)
def test_piecework_uses_the_norms_own_rate(norm: Norm, tariff: Decimal, hours: Decimal) -> None:
    assert piece_rate(norm, tariff) == norm.piece_rate(tariff)
    assert norm.piece_rate(tariff) * norm.norm_output(hours) == Fraction(tariff) * Fraction(hours)


# --- percentages: the ratio of exact sums, rounded once ---------------------------------------

parts_lists = st.lists(st.tuples(quantities, hours_worked), min_size=1, max_size=6)


@given(norms(), parts_lists)
@settings(max_examples=60, deadline=None)
def test_percent_of_a_sum_is_the_ratio_of_sums_rounded_once(
    norm: Norm, parts: list[tuple[Decimal, Decimal]]
) -> None:
    row = total(ledger_of(norm, parts)).fulfilment
    earned = sum((norm.standard_hours(q) for q, _ in parts), Fraction(0))
    hours = sum((Fraction(h) for _, h in parts), Fraction(0))
    by_hand = earned / hours * 100
    assert row.earned == earned
    assert row.percent == percent(by_hand) == ratio_percent(earned, hours)
    assert abs(Fraction(row.percent) - by_hand) <= Fraction(1, 20)


HALF = [(D("10.6"), D(12)), (D("10.1"), D(8)), (D("0.37"), D(12))]


@given(st.permutations(HALF))
def test_an_exact_half_rounds_up_whatever_the_order(parts: list[tuple[Decimal, Decimal]]) -> None:
    """21.07 t x 8/7 h/t in 32 h is exactly 75.25%: 75.3 in any order of the shifts."""
    norm = Norm("hewing", "t", NormKind.OUTPUT, D(7), D(8), START)
    row = total(ledger_of(norm, parts)).fulfilment
    assert row.earned is not None and row.earned / Fraction(row.hours) * 100 == Fraction(301, 4)
    assert row.percent == D("75.3") and row.fair_percent == D("75.3")


@given(st.integers(1, 10**6), st.integers(1, 10**6), st.sampled_from([1, 2, 5, 10, 20]))
def test_every_exact_half_rounds_away_from_zero(tenths: int, scale: int, denominator: int) -> None:
    half = Fraction(2 * tenths + 1, 20)  # an odd number of twentieths: always on a half
    assert percent(half) == D(tenths + 1) / 10
    assert percent(-half) == -D(tenths + 1) / 10
    assert percent(half * scale / scale) == percent(half)  # however the fraction is written
    assert percent(Fraction(tenths, denominator)) == percent(D(tenths) / denominator)


# --- pay at exactly 100% ------------------------------------------------------------------------


tier_steps = st.lists(st.integers(100, 300), max_size=3, unique=True).map(sorted)


@given(norms(), figures, hours_worked, tier_steps)
def test_piece_pay_at_exactly_100_percent_is_tariff_times_hours(
    norm: Norm, tariff: Decimal, hours: Decimal, aboves: list[int]
) -> None:
    tiers = tuple(Tier(D(a), D("1.5") + i) for i, a in enumerate(aboves))
    quantity = norm.norm_output(hours)
    at = norm.standard_hours(quantity) / Fraction(hours) * 100
    assert at == 100
    pay_ = progressive_pay(norm.piece_rate(tariff), tiers, quantity, at)
    assert pay_ == Fraction(tariff) * Fraction(hours)


@given(figures, st.integers(1, 3), st.sampled_from(["6", "7", "8", "6.5"]))
@settings(max_examples=30, deadline=None)
def test_a_slip_at_exactly_the_norm_pays_the_tariff(tariff: Decimal, k: int, per: str) -> None:
    """7 t per 6.5 h worked k times over: the piece line is tariff x hours to the kopeck."""
    norm = Norm("hewing", "t", NormKind.OUTPUT, D(7), D(per), dt.date(1935, 1, 1))
    hours = D(per) * k
    ledger = Ledger.of(
        workers=[replace(worker("A"), grade="5")],
        norms=[norm],
        shifts=[shift("S1", str(hours), day=dt.date(1935, 8, 1))],
        outputs=[MeasuredOutput("S1", "hewing", D(7) * k, "t")],
        crew=[CrewEntry("S1", "A", "hewing", hours)],
    )
    tiers = (Tier(D(100), D("1.5")),)
    scale = PayScale("s", START, "RUB", (("5", tariff),), tiers, percent=PercentRule.STATED)
    slip = pay(ledger, scale).slip("A")
    assert slip is not None
    assert slip.gross == rounded(Fraction(tariff) * Fraction(hours), D("0.01"))


# --- the rounding module ------------------------------------------------------------------------

exacts = st.fractions(min_value=-(10**6), max_value=10**6)
quanta = st.sampled_from([D("0.01"), D("0.1"), D(1), D("0.05"), D("0.001"), D("0.000001")])


@given(exacts, quanta)
def test_rounding_is_once_and_within_half_a_step(value: Fraction, quantum: Decimal) -> None:
    found = rounded(value, quantum)
    assert abs(Fraction(found) - value) <= Fraction(quantum) / 2
    assert found.as_tuple().exponent == quantum.as_tuple().exponent
    assert rounded(found, quantum) == found
    assert Fraction(rounded(value, quantum, ROUND_FLOOR)) <= value
    assert Fraction(rounded(value, quantum, ROUND_CEILING)) >= value
    assert rounded(-value, quantum) == -found


@given(exacts)
def test_shown_is_exact_up_to_six_decimals(value: Fraction) -> None:
    figure = shown(value)
    if (value * 10**6).denominator == 1:
        assert Fraction(figure) == value
    else:
        assert figure == rounded(value, D("0.000001"))


def test_the_report_shows_norm_output_to_six_decimals_at_most() -> None:
    """1 h against 7 t per 6 h is 7/6 t: shown 1.166667, never a 28-digit Decimal."""
    norm = Norm("hewing", "t", NormKind.OUTPUT, D(7), D(6), START)
    row = total(ledger_of(norm, [(D(1), D(1)), (D(2), D(2))])).as_dict()
    assert row["norm_output"] == D("3.5")
    row = total(ledger_of(norm, [(D(1), D(1))])).as_dict()
    assert row["norm_output"] == D("1.166667")
    assert row["percent"] == D("85.7")
