"""Equity measures: their invariants, the warning rule, and the engine equal to the domain."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov import engine
from stakhanov.domain.equity import (
    EquityRule,
    Favour,
    Opportunity,
    best_workplaces,
    gini,
    grouped,
    herfindahl,
    opportunities,
    ordinary_fulfilment,
    rule_of,
    top_share,
    warnings,
)
from stakhanov.domain.errors import Refused
from stakhanov.domain.fulfilment import results
from stakhanov.domain.ledger import Ledger
from stakhanov.engine.frames import frames_of
from stakhanov.i18n import localized
from stakhanov.store.equity import SCHEMA
from tests.ledgers import ledgers

counts = st.lists(st.integers(0, 50), min_size=1, max_size=30)


@given(counts)
def test_gini_lies_in_zero_to_one(values: list[int]) -> None:
    assert 0 <= gini(values) < 1
    assert 0 <= top_share(values) <= 1
    h = herfindahl(values)
    assert h == 0 if sum(values) == 0 else Fraction(1, len(values)) <= h <= 1


@given(counts, st.randoms())
def test_measures_ignore_the_order(values: list[int], rnd: object) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for measure in (gini, herfindahl, top_share):
        assert measure(shuffled) == measure(values)


@given(st.integers(1, 50), st.integers(1, 40))
def test_all_equal_is_zero_and_one_holder_is_the_maximum(n: int, each: int) -> None:
    assert gini([each] * n) == 0
    assert herfindahl([each] * n) == Fraction(1, n)
    one = [0] * (n - 1) + [each]
    assert gini(one) == Fraction(n - 1, n)
    assert herfindahl(one) == 1
    assert top_share(one) == 1


@given(counts, st.integers(1, 5))
def test_measures_ignore_the_scale(values: list[int], factor: int) -> None:
    scaled = [v * factor for v in values]
    assert gini(scaled) == gini(values) and herfindahl(scaled) == herfindahl(values)


@given(counts)
def test_moving_a_favour_to_the_richest_never_lowers_the_gini(values: list[int]) -> None:
    poorest = values.index(min(values))
    richest = values.index(max(values))
    if poorest == richest or values[poorest] == 0:
        return
    moved = list(values)
    moved[poorest] -= 1
    moved[richest] += 1
    assert gini(moved) > gini(values)


def test_the_worked_example_of_the_docs() -> None:
    """docs/organisation.md works these numbers by hand: prepared shifts 4, 1, 0, 0, 0."""
    values = [4, 1, 0, 0, 0]
    assert gini(values) == Fraction(18, 25)
    assert herfindahl(values) == Fraction(17, 25)
    assert top_share(values) == Fraction(4, 5)
    rows = [Opportunity(f"H{i}", 10, prepared=v) for i, v in enumerate(values)]
    found = warnings(rows, EquityRule())
    assert [(w.key, w.favoured) for w in found] == [(None, 5), ("H0", 4)]
    assert "H0 had 4 prepared shifts of 10 shifts (40.0%), 4.0 times" in found[1].message


def _rows() -> list[Opportunity]:
    rows = [Opportunity("F1", 10, prepared=8)]
    rows += [Opportunity(f"W{i}", 10, prepared=1 if i < 2 else 0) for i in range(9)]
    return rows


def test_the_rule_names_the_favoured_and_the_concentration() -> None:
    found = warnings(_rows(), EquityRule())
    assert [(w.favour, w.key) for w in found] == [(Favour.PREPARED, None), (Favour.PREPARED, "F1")]
    assert "F1 had 8 prepared shifts of 10 shifts (80.0%)" in found[1].message
    # Raised thresholds are data: nothing to warn about.
    quiet = EquityRule(top_decile_share=Fraction(9, 10), repeat_times=Fraction(10))
    assert warnings(_rows(), quiet) == []
    # Too few favourable shifts in all to read anything into them.
    assert warnings(_rows(), EquityRule(min_favoured=11)) == []


def test_an_even_spread_warns_of_nothing() -> None:
    rows = [Opportunity(f"W{i}", 10, prepared=2, assisted=1) for i in range(20)]
    assert warnings(rows, EquityRule()) == []


def test_groups_add_up() -> None:
    rows = grouped(_rows(), lambda w: "f" if w.startswith("F") else "w")
    assert rows == [
        Opportunity("f", 10, prepared=8, workers=1),
        Opportunity("w", 90, prepared=2, workers=9),
    ]


def test_best_workplaces_ranked_or_declared() -> None:
    ordinary = {f"P{i}": Fraction(100 + i) for i in range(20)}
    assert best_workplaces(ordinary, EquityRule()) == ("P18", "P19")
    assert best_workplaces(ordinary, EquityRule(best_workplaces=("P1",))) == ("P1",)
    assert best_workplaces(dict(list(ordinary.items())[:2]), EquityRule()) == ()


def test_a_rule_is_read_from_data_and_refused_with_its_keys() -> None:
    rule = rule_of({"top_decile_share": "0.4", "min_repeats": 2, "best_workplaces": ["A/B"]})
    assert rule == EquityRule(Fraction(2, 5), min_repeats=2, best_workplaces=("A/B",))
    with pytest.raises(Refused) as caught:
        rule_of({"colour": 1, "min_repeats": -1, "repeat_times": "x"}, "rule.toml")
    lines = caught.value.reasons
    assert len(lines) == 3
    assert any(line.startswith("rule.toml:0:colour: unknown key") for line in lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(exact_hours=False), st.integers(1, 3))
def test_the_engine_equals_the_domain(case: tuple[Ledger, dt.date, dt.date], top: int) -> None:
    ledger, start, end = case
    shifts = ledger.shifts_between(start, end)
    workplace_of = {s.shift_id: s.workplace for s in shifts}
    reference = results(ledger, start, end)
    ordinary = ordinary_fulfilment(reference, workplace_of)
    rule = EquityRule(min_workplaces=1, best_share=Fraction(top, 3))
    best = best_workplaces(ordinary, rule)
    # Resources declared on the shifts with a note: any choice the reference shares will do.
    resourced = [s.shift_id for s in shifts if s.note]
    places = pa.table(
        {
            "shift_id": list(workplace_of),
            "workplace": list(workplace_of.values()),
            "resourced": [s in resourced for s in workplace_of],
        },
        schema=SCHEMA,
    )
    ours = engine.equity(frames_of(ledger, start, end), places, lambda o: best_workplaces(o, rule))
    assert ours == (ordinary, best, opportunities(reference, workplace_of, best, resourced))


def test_a_warning_reads_in_the_readers_language() -> None:
    """The warning stays English text (JSON, the API) and is said in Russian and Spanish,
    the favour's own words translated too."""
    found = warnings(_rows(), EquityRule())
    named = next(w for w in found if w.key == "F1")
    assert named.message.startswith("F1 had 8 prepared shifts of 10 shifts (80.0%)")
    ru = localized(named.message, "ru")
    assert ru.startswith("F1: подготовленные смены — 8 из 10 смен (80.0%)"), ru
    assert "prepared" not in ru and "shifts" not in ru
    es = localized(named.message, "es")
    assert es.startswith("F1 tuvo 8 turnos preparados de 10 turnos (80.0%)"), es
