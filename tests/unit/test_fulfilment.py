"""Fulfilment, stated and fair, checked against hand calculation and by its invariants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.fulfilment import Grouping, Result, add_up, aggregate, key_function, results
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.rounding import percent
from tests.ledgers import DAY, crew, hewing_norm, one_shift, shift, stakhanov_shift, worker


def by(ledger: Ledger, grouping: Grouping) -> dict[tuple[str, ...], object]:
    found = results(ledger, DAY, DAY)
    rows = aggregate(found, key_function(grouping, lambda w: ledger.workers[w].unit))
    return {(*r.group, r.operation): r for r in rows}


def test_stakhanov_stated_and_fair() -> None:
    rows = by(stakhanov_shift(), Grouping.WORKER)
    hewer = rows[("AS", "hewing")]
    assert hewer.percent == Decimal("1457.1")  # 102 / 7
    assert hewer.fair_percent == Decimal("364.3")  # 102 / (4 x 7)
    assert hewer.norm_output == Decimal(7)
    assert rows[("T1", "timbering")].percent is None
    assert rows[("KP", "assist")].fair_percent is None


def test_honest_split_crew_has_fair_equal_to_stated() -> None:
    ledger = one_shift("21", crew("A"), crew("B"), crew("C"))
    for row in by(ledger, Grouping.WORKER).values():
        assert row.output == Decimal(7)
        assert row.percent == row.fair_percent == Decimal("100.0")


def test_pooled_result_is_fair_at_the_crew_average() -> None:
    ledger = one_shift(
        "21.0", crew("A", credited="18.0"), crew("B", credited="0.0"), crew("C", credited="3.0")
    )
    rows = by(ledger, Grouping.WORKER)
    assert rows[("A", "hewing")].percent == Decimal("257.1")  # 18 / 7
    assert rows[("B", "hewing")].percent == Decimal("0.0")
    for name in "ABC":
        assert rows[(name, "hewing")].fair_percent == Decimal("100.0")  # 21 / 21


def test_time_norm_fulfilment() -> None:
    norm = Norm("turning", "part", NormKind.TIME, Decimal(3), None, dt.date(1935, 1, 1))
    ledger = Ledger.of(
        workers=[worker("L")],
        norms=[norm],
        shifts=[shift(hours="8")],
        outputs=[MeasuredOutput("S1", "turning", Decimal(200), "part")],
        crew=[crew("L", "turning", hours="8")],
    )
    row = by(ledger, Grouping.WORKER)[("L", "turning")]
    assert (row.percent, row.norm_output) == (Decimal("125.0"), Decimal(160))


def test_output_in_kilograms_is_measured_against_a_tonne_norm() -> None:
    ledger = one_shift("8400", crew("A", credited="8400"), unit="kg")
    row = by(ledger, Grouping.WORKER)[("A", "hewing")]
    assert row.output == Decimal("8.4") and row.unit == "t"
    assert row.percent == Decimal("120.0")


def test_no_norm_in_force_gives_null_percentages() -> None:
    late = Norm("hewing", "t", NormKind.OUTPUT, Decimal(7), Decimal(6), dt.date(1936, 1, 1))
    row = by(one_shift("7", crew("A"), norm=late), Grouping.WORKER)[("A", "hewing")]
    assert row.percent is None and row.fair_percent is None and row.norm_output is None


def test_rounding_is_half_up() -> None:
    assert percent(Decimal("85.75")) == Decimal("85.8")
    assert percent(Decimal("85.65")) == Decimal("85.7")
    assert percent(Decimal("364.25")) == Decimal("364.3")


def half_up(value: Fraction) -> Decimal:
    """Exact half-up rounding to one decimal, as a hand calculation does it."""
    tenths = value * 10
    whole = tenths.numerator // tenths.denominator
    return Decimal(whole + (1 if tenths - whole >= Fraction(1, 2) else 0)) / 10


def test_an_aggregate_exactly_on_a_half_rounds_up() -> None:
    """10.6 + 10.1 + 0.37 t in 12 + 8 + 12 h on 7 t per 8 h is exactly 75.25%: 75.3, not 75.2."""
    norm = Norm("hewing", "t", NormKind.OUTPUT, Decimal(7), Decimal(8), dt.date(1935, 1, 1))
    parts = [("10.6", "12"), ("10.1", "8"), ("0.37", "12")]
    days = [dt.date(1935, 9, d + 1) for d in range(len(parts))]
    ledger = Ledger.of(
        workers=[worker("A")],
        norms=[norm],
        shifts=[shift(f"S{i}", h, day=days[i]) for i, (_, h) in enumerate(parts)],
        outputs=[
            MeasuredOutput(f"S{i}", "hewing", Decimal(q), "t") for i, (q, _) in enumerate(parts)
        ],
        crew=[CrewEntry(f"S{i}", "A", "hewing", Decimal(h)) for i, (_, h) in enumerate(parts)],
    )
    (total,) = aggregate(results(ledger, days[0], days[-1]), key_function(Grouping.WORKER, str))
    assert total.percent == Decimal("75.3")
    assert total.fair_percent == Decimal("75.3")


@given(
    st.sampled_from(["7", "3", "9", "11", "13", "21"]),
    st.sampled_from(["6", "7", "8", "5.75", "6.5"]),
    st.lists(
        st.tuples(st.integers(1, 30000), st.sampled_from(["3", "4", "6", "6.5", "8", "12"])),
        min_size=1,
        max_size=6,
    ),
)
def test_aggregate_percent_is_exact_half_up(
    norm: str, norm_hours: str, parts: list[tuple[int, str]]
) -> None:
    """Summed earned hours carry no rounding error into the rounded percent."""
    rule = Norm("hewing", "t", NormKind.OUTPUT, Decimal(norm), Decimal(norm_hours), DAY)
    days = [dt.date(1935, 9, d + 1) for d in range(len(parts))]
    ledger = Ledger.of(
        workers=[worker("A")],
        norms=[rule],
        shifts=[shift(f"S{i}", h, day=days[i]) for i, (_, h) in enumerate(parts)],
        outputs=[
            MeasuredOutput(f"S{i}", "hewing", Decimal(q) / 100, "t")
            for i, (q, _) in enumerate(parts)
        ],
        crew=[CrewEntry(f"S{i}", "A", "hewing", Decimal(h)) for i, (_, h) in enumerate(parts)],
    )
    (total,) = aggregate(results(ledger, days[0], days[-1]), key_function(Grouping.WORKER, str))
    earned = sum(Fraction(q, 100) * Fraction(norm_hours) / Fraction(norm) for q, _ in parts)
    hours = sum(Fraction(h) for _, h in parts)
    assert total.percent == half_up(earned / hours * 100)


def test_unit_grouping_rolls_up_every_ancestor() -> None:
    rows = by(stakhanov_shift(), Grouping.UNIT)
    assert {k[0] for k in rows} == {"Mine", "Mine/Section 1", "Mine/Section 1/Brigade 1"}
    assert rows[("Mine", "hewing")].percent == Decimal("1457.1")


shares = st.lists(st.tuples(st.integers(1, 24), st.integers(0, 400)), min_size=1, max_size=6)


@given(shares, st.booleans())
def test_aggregates_sum_both_sides(rows: list[tuple[int, int]], helper: bool) -> None:
    """An aggregate's percent is total earned over total hours, never an average of percents."""
    days = [dt.date(1935, 9, d + 1) for d in range(len(rows))]
    ledger = Ledger.of(
        workers=[worker("A"), worker("T")],
        norms=[hewing_norm()],
        shifts=[shift(f"S{i}", str(min(h, 24)), day=days[i]) for i, (h, _) in enumerate(rows)],
        outputs=[
            MeasuredOutput(f"S{i}", "hewing", Decimal(q), "t") for i, (_, q) in enumerate(rows)
        ],
        crew=[CrewEntry(f"S{i}", "A", "hewing", Decimal(h)) for i, (h, _) in enumerate(rows)]
        + ([CrewEntry("S0", "T", "timbering", Decimal(1))] if helper else []),
    )
    found = results(ledger, days[0], days[-1])
    (total,) = [
        r
        for r in aggregate(found, key_function(Grouping.WORKER, lambda w: "Mine"))
        if r.operation == "hewing"
    ]
    hours = sum(h for h, _ in rows)
    exact = sum(Fraction(q) * 6 / 7 for _, q in rows) / hours * 100
    assert total.percent == percent(exact)
    assert total.hours == hours
    assert total.output == sum(q for _, q in rows)
    assert total.fair_percent <= total.percent
    if not helper:
        assert total.fair_percent == total.percent


@given(st.integers(1, 500), st.integers(0, 3), st.integers(0, 3))
def test_fair_never_exceeds_stated_for_the_credited_hewer(
    quantity: int, timberers: int, assists: int
) -> None:
    entries = [crew("H", credited=str(quantity))]
    entries += [crew(f"T{i}", "timbering") for i in range(timberers)]
    entries += [crew(f"P{i}", "assist") for i in range(assists)]
    row = by(one_shift(str(quantity), *entries), Grouping.WORKER)[("H", "hewing")]
    crew_size = 1 + timberers + assists
    expected = Fraction(quantity, 7 * crew_size) * 100
    assert row.fair_percent == percent(expected)
    assert row.fair_percent <= row.percent


@st.composite
def dated_results(draw: st.DrawFn) -> list[Result]:
    """Results of random shifts on random days; some unnormed, some of two units."""
    found = []
    for number in range(draw(st.integers(0, 12))):
        day = dt.date(1935, draw(st.integers(8, 10)), draw(st.integers(1, 28)))
        for worker_id in draw(
            st.lists(st.sampled_from("ABC"), min_size=1, max_size=3, unique=True)
        ):
            normed = draw(st.booleans())
            earned = Fraction(draw(st.integers(0, 90)), draw(st.integers(1, 7)))
            found.append(
                Result(
                    f"S{number}",
                    day,
                    worker_id,
                    draw(st.sampled_from(["hewing", "timbering"])),
                    Decimal(draw(st.sampled_from(["6", "6.5", "7.25"]))),
                    Decimal(draw(st.sampled_from(["0", "12", "3.50"]))),
                    draw(st.sampled_from(["t", "m", None])),
                    earned * 2 if normed else None,
                    earned if normed else None,
                    earned / 2 if normed else None,
                )
            )
    return found


@given(dated_results(), st.dates(dt.date(1935, 8, 1), dt.date(1935, 10, 31)))
def test_disjoint_periods_add_up_to_their_aggregate(found: list[Result], cut: dt.date) -> None:
    for grouping in (Grouping.WORKER, Grouping.UNIT, Grouping.OPERATION, Grouping.SHIFT):
        keys = key_function(grouping, lambda worker: f"Mine/{worker}")
        parts = [
            aggregate([r for r in found if r.date < cut], keys),
            aggregate([r for r in found if r.date >= cut], keys),
        ]
        assert add_up(parts) == aggregate(found, keys)
        assert [str(f.output) for f in add_up(parts)] == [
            str(f.output) for f in aggregate(found, keys)
        ]  # the written scale too
