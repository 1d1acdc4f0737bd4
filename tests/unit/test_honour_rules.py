"""The honour board's declared rules: the least shifts to be ranked, and the operations a trade
ranks on; a team's figure sums hours and earned standard hours, never averages percentages."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.honour import MIN_SHIFTS, HonourRules, ranked_work, team_board, worker_board
from stakhanov.domain.performance import Work
from stakhanov.domain.rounding import percent
from stakhanov.domain.rulebook import parse_rulebook
from stakhanov.services.rulebooks import Loaded, bundled_text, describe
from tests.work import works

OPERATIONS = ("hewing", "loading")
TRADES = ("hewer", "loader", None)

# A worker: (shifts, fair percent, operation, trade).
Someone = st.tuples(
    st.integers(1, 6),
    st.integers(50, 400),
    st.sampled_from(OPERATIONS),
    st.sampled_from(TRADES),
)


def _on(found: list[Work], operation: str, hours: Decimal | None = None) -> list[Work]:
    def moved(w: Work) -> Work:
        result = replace(w.result, operation=operation)
        if hours is not None:
            scale = Fraction(hours) / Fraction(result.hours)
            assert result.earned is not None and result.fair_earned is not None
            result = replace(
                result,
                hours=hours,
                earned=result.earned * scale,
                fair_earned=result.fair_earned * scale,
            )
        return Work(result, w.rejected_hours)

    return [moved(w) for w in found]


def _people(
    found: list[tuple[int, int, str, str | None]],
) -> tuple[list[Work], dict[str, str | None]]:
    every: list[Work] = []
    trades: dict[str, str | None] = {}
    for i, (shifts, fair, operation, trade) in enumerate(found):
        every += _on(works(str(fair), shifts=shifts, worker=f"W{i}"), operation)
        trades[f"W{i}"] = trade
    return every, trades


def _board(found: list[tuple[int, int, str, str | None]], rules: HonourRules) -> list[str]:
    every, trades = _people(found)
    ranked = ranked_work(every, rules, trades)
    board = worker_board(ranked, {}, {}, set(), min_shifts=rules.min_shifts, trades=trades)
    return [e.worker_id or "" for e in board]


HEWERS_HEW = HonourRules(MIN_SHIFTS, {"hewer": frozenset({"hewing"})})


@given(st.lists(Someone, min_size=1, max_size=8), st.integers(1, 7))
def test_nobody_below_the_least_shifts_is_ranked(
    found: list[tuple[int, int, str, str | None]], least: int
) -> None:
    every, trades = _people(found)
    board = worker_board(every, {}, {}, set(), min_shifts=least, trades=trades)
    assert all(e.shifts >= least for e in board)
    shifts = {f"W{i}": s for i, (s, *_rest) in enumerate(found)}
    assert {e.worker_id for e in board} == {w for w, s in shifts.items() if s >= least}


@given(st.lists(Someone, min_size=1, max_size=8), st.integers(1, 6), st.integers(0, 3))
def test_raising_the_minimum_never_adds_a_ranked_worker(
    found: list[tuple[int, int, str, str | None]], least: int, more: int
) -> None:
    lower = _board(found, replace(HEWERS_HEW, min_shifts=least))
    higher = _board(found, replace(HEWERS_HEW, min_shifts=least + more))
    assert set(higher) <= set(lower)


@given(st.lists(Someone, min_size=1, max_size=8))
def test_only_workers_whose_trade_covers_the_operation_rank_on_it(
    found: list[tuple[int, int, str, str | None]],
) -> None:
    ranked = set(_board(found, replace(HEWERS_HEW, min_shifts=1)))
    for i, (_shifts, _fair, operation, trade) in enumerate(found):
        covered = trade != "hewer" or operation == "hewing"
        assert (f"W{i}" in ranked) == covered
    # Declaring no trades ranks everyone with enough shifts, as before the rule.
    assert len(_board(found, HonourRules(1))) == len(found)


def test_one_record_shift_does_not_top_the_board() -> None:
    lucky = works("278.6", shifts=1, worker="lucky")
    steady = works("120", shifts=3, worker="steady")
    rules = HonourRules()
    board = worker_board(lucky + steady, {}, {}, set(), min_shifts=rules.min_shifts)
    assert [(e.rank, e.worker_id) for e in board] == [(1, "steady")]
    assert worker_board(lucky + steady, {}, {}, set())[0].worker_id == "lucky"  # with no rule


@given(
    st.lists(
        st.tuples(st.integers(50, 400), st.sampled_from(["4", "6", "7.5", "8"])),
        min_size=1,
        max_size=8,
    )
)
def test_a_teams_figure_sums_both_sides_never_averages_percentages(
    shifts: list[tuple[int, str]],
) -> None:
    every: list[Work] = []
    for i, (fair, hours) in enumerate(shifts):
        every += _on(works(str(fair), shifts=1, worker=f"W{i}"), "hewing", Decimal(hours))
    team = team_board(every, lambda _worker: "Brigade 1")
    earned = sum((w.result.fair_earned or Fraction(0) for w in every), Fraction(0))
    hours = sum((Fraction(w.result.hours) for w in every), Fraction(0))
    assert team[0].fair_percent == percent(earned / hours * 100)


def test_the_bundled_rulebook_declares_the_honour_rules() -> None:
    text = bundled_text()
    rulebook, problems = parse_rulebook(tomllib.loads(text), "rulebook.toml", text)
    assert problems == [] and rulebook is not None
    assert rulebook.honour.min_shifts == 3
    assert rulebook.honour.covers("hewer", "hewing")
    assert not rulebook.honour.covers("hewer", "haulage")
    assert rulebook.honour.covers("timberer", "haulage")  # not listed: every operation
    assert rulebook.honour.covers(None, "haulage")
    shown = describe(Loaded(rulebook, text, "bundled rulebook.toml"))["honour"]
    assert shown["min_shifts"] == 3 and shown["trades"]["hewer"] == ["hewing"]


def test_a_bad_honour_table_is_located() -> None:
    text = bundled_text().replace("min_shifts = 3", "min_shifts = 0\nranks = 2")
    rulebook, problems = parse_rulebook(tomllib.loads(text), "rulebook.toml", text)
    assert rulebook is None
    found = {(p.column, p.source.row) for p in problems}
    line = text.splitlines().index("min_shifts = 0") + 1
    assert ("honour.min_shifts", line) in found
    assert ("honour.ranks", line + 1) in found
