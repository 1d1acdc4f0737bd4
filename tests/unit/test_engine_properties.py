"""The set-based engine equals the domain's reference functions on random ledgers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov import engine
from stakhanov.domain.attribution import split_exact
from stakhanov.domain.audit import audit
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function, results
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.numbers import text
from stakhanov.domain.rounding import ratio_percent
from stakhanov.engine.audit import findings
from stakhanov.engine.exact import at_places
from stakhanov.engine.frames import frames_of
from stakhanov.engine.fulfilment import aggregate as engine_aggregate
from stakhanov.engine.fulfilment import exact_results
from stakhanov.engine.session import session
from tests.ledgers import HOMES, crew, hewing_norm, ledgers, one_shift, shift, worker


def same(reference: Decimal | Fraction | None, exact: Fraction | Decimal | None) -> bool:
    """Equal exactly (the domain's arithmetic is exact too), or both missing."""
    if reference is None or exact is None:
        return reference is None and exact is None
    return Fraction(reference) == Fraction(exact)


def home_of(ledger: Ledger):  # type: ignore[no-untyped-def]
    return lambda w: ledger.workers[w].unit if w in ledger.workers else "(unknown)"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(exact_hours=False))
def test_engine_equals_the_domain(case: tuple[Ledger, dt.date, dt.date]) -> None:
    ledger, start, end = case
    reference = results(ledger, start, end)
    frames = frames_of(ledger, start, end)
    with session(frames) as db:
        # Results: one per shift, worker and operation, every number exact.
        ours = {(r.shift_id, r.worker_id, r.operation): r for r in exact_results(db)}
        assert len(ours) == len(reference)
        for r in reference:
            e = ours[(r.shift_id, r.worker_id, r.operation)]
            assert (e.date, e.unit, e.assisted, e.pooled, e.prepared) == (
                r.date,
                r.unit,
                r.assisted,
                r.pooled,
                r.prepared,
            )
            assert e.hours == Fraction(r.hours) and e.output == Fraction(r.output)
            assert same(r.norm_output, e.norm_output)
            assert same(r.earned, e.earned) and same(r.fair_earned, e.fair_earned)
        # Aggregates: every grouping, with and without a subtree.
        for grouping in Grouping:
            for within in (None, [], [HOMES[0]], ["Mine/Section 1", HOMES[2]]):
                chosen = [
                    r
                    for r in reference
                    if within is None
                    or any(
                        home_of(ledger)(r.worker_id) == s
                        or home_of(ledger)(r.worker_id).startswith(s + "/")
                        for s in within
                    )
                ]
                expected = aggregate(chosen, key_function(grouping, home_of(ledger)))
                got = engine_aggregate(db, frames.homes, grouping, within)
                assert [(f.group, f.operation, f.unit) for f in got] == [
                    (f.group, f.operation, f.unit) for f in expected
                ]
                for g, x in zip(got, expected, strict=True):
                    # Equal, and written alike: a Decimal sum keeps its terms' longest scale.
                    assert [g.shifts, text(g.hours), text(g.output), text(g.normed_hours)] == [
                        x.shifts,
                        text(x.hours),
                        text(x.output),
                        text(x.normed_hours),
                    ]
                    assert same(x.norm_output, g.norm_output)
                    assert same(x.earned, g.earned) and same(x.fair_earned, g.fair_earned)
                    assert (g.percent, g.fair_percent) == (x.percent, x.fair_percent)
        # The audit: every finding, every field, in the same order.
        assert findings(db, frames) == audit(ledger, start, end)


def test_the_worked_example_of_1935() -> None:
    from tests.ledgers import stakhanov_shift

    frames = frames_of(stakhanov_shift(), dt.date(1935, 8, 31), dt.date(1935, 8, 31))
    (hewer, *_) = engine.fulfilment(frames, Grouping.WORKER)
    assert (hewer.group, hewer.percent, hewer.fair_percent) == (
        ("AS",),
        Decimal("1457.1"),
        Decimal("364.3"),
    )
    assert [f.kind.value for f in engine.findings(frames)] == ["assisted", "prepared"]


def test_ties_of_the_split_go_to_the_earliest_row() -> None:
    ledger = one_shift("1", crew("B"), crew("A"))
    frames = frames_of(ledger, shift().date, shift().date)
    outputs = {r.worker_id: r.output for r in engine.results(frames)}
    assert outputs == {"B": 1, "A": 0}


def test_an_exact_half_rounds_up_once() -> None:
    assert ratio_percent(Fraction(7525, 100), Fraction(100)) == Decimal("75.3")
    assert ratio_percent(Fraction(752499, 10000), Fraction(100)) == Decimal("75.2")
    assert ratio_percent(Fraction(1), Fraction(0)) is None


def test_a_terminating_rational_keeps_the_scale_asked_for() -> None:
    assert at_places(Fraction(1, 8), 3) == Decimal("0.125")
    assert str(at_places(Fraction(15), 3)) == "15.000"
    assert at_places(Fraction(10**30 + 1, 10**6), 6) == Decimal("1000000000000000000000000.000001")


def test_finer_than_micro_units_is_left_to_the_reference() -> None:
    ledger = one_shift("1.0000001", crew("A"))
    with pytest.raises(engine.Unsupported):
        frames_of(ledger, shift().date, shift().date)


def test_an_overflow_is_never_a_wrong_number() -> None:
    big = "9000000000000"  # 9 x 10^12: micro-units fit int64; the split's products do not
    ledger = Ledger.of(
        workers=[worker("A"), worker("B")],
        norms=[hewing_norm("0.000007")],
        shifts=[shift()],
        outputs=[MeasuredOutput("S1", "hewing", Decimal(big), "t")],
        crew=[
            CrewEntry("S1", "A", "hewing", Decimal("23.999999"), None, Decimal(big)),
            CrewEntry("S1", "B", "hewing", Decimal("0.000001"), None, Decimal("0.000001")),
        ],
    )
    frames = frames_of(ledger, shift().date, shift().date)
    with pytest.raises(engine.Unsupported):
        engine.fulfilment(frames, Grouping.WORKER)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10**6).map(Decimal) | st.integers(0, 10**7).map(lambda n: Decimal(n) / 1000),
    st.lists(
        st.tuples(st.sampled_from(["6", "0.5", "7.25", "3"]), st.sampled_from([None, "1", "1.5"])),
        min_size=1,
        max_size=9,
    ),
)
def test_the_split_in_sql_is_split_exact(
    quantity: Decimal, rows: list[tuple[str, str | None]]
) -> None:
    entries = [crew(f"W{i}", hours=h, coefficient=c) for i, (h, c) in enumerate(rows)]
    ledger = one_shift(str(quantity), *entries)
    frames = frames_of(ledger, shift().date, shift().date)
    credited = {r.worker_id: r.output for r in engine.results(frames)}
    expected = split_exact(quantity, [e.weight for e in entries])
    assert [credited[e.worker_id] for e in entries] == [Fraction(x) for x in expected]
