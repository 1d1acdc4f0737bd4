"""The honour board ranks by fair fulfilment and names only who may be named; mentoring is
judged against the historical rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.honour import mask, team_board, worker_board
from stakhanov.domain.mentoring import MasterReport, Mentorship, Outcome, Progress, Verdict
from stakhanov.domain.periods import Period
from tests.work import tally, works

TEAM = {"honest": "Brigade 1", "assisted": "Brigade 2", "shy": "Brigade 1"}


def test_mask_keeps_initials() -> None:
    assert mask("Alexei Grigorievich Stakhanov") == "A. G. S."


def test_teams_rank_by_fair_not_stated() -> None:
    # Brigade 2 states 300% but its fair figure is 100%; Brigade 1 is an honest 150%.
    board = team_board(
        works("150", worker="honest") + works("300", fair="100", worker="assisted"),
        TEAM.get,
    )
    assert [(e.rank, e.name, e.fair_percent) for e in board] == [
        (1, "Brigade 1", Decimal("150.0")),
        (2, "Brigade 2", Decimal("100.0")),
    ]


def test_worker_board_hides_who_opted_out_or_is_barred_and_can_mask() -> None:
    names = {"honest": "Ivan Petrov", "assisted": "Pyotr Ivanov", "shy": "Semyon Shy"}
    every = (
        works("150", worker="honest") + works("120", worker="shy") + works("90", worker="assisted")
    )
    board = worker_board(every, names, TEAM, hidden={"shy"}, masked=True)
    assert [(e.rank, e.name) for e in board] == [(1, "I. P."), (2, "P. I.")]
    # The shy worker's work still counts for the team.
    team = team_board(every, TEAM.get)
    assert team[0].name == "Brigade 1" and team[0].workers == 2


def test_minimum_shifts() -> None:
    board = worker_board(works("200", shifts=2, worker="honest"), {}, TEAM, set(), min_shifts=3)
    assert board == []


@given(st.lists(st.tuples(st.integers(60, 300), st.integers(60, 300)), min_size=1, max_size=6))
def test_the_board_is_ordered_by_fair_fulfilment(pairs: list[tuple[int, int]]) -> None:
    every = []
    for i, (stated, fair) in enumerate(pairs):
        every += works(str(max(stated, fair)), shifts=3, fair=str(fair), worker=f"W{i}")
    board = worker_board(every, {}, {}, set())
    fair = [e.fair_percent for e in board]
    assert fair == sorted(fair, reverse=True)
    assert sorted(fair) == sorted(Decimal(f).quantize(Decimal("0.1")) for _, f in pairs)


def progress(before: str, after: str, shifts: int = 10) -> Progress:
    link = Mentorship(1, "M", "A", dt.date(1935, 9, 11))
    return Progress(link, tally(before, shifts), tally(after, shifts))


def test_outcomes_against_the_historical_rule() -> None:
    assert progress("100", "200").outcome is Outcome.DOUBLED
    assert progress("100", "115").outcome is Outcome.IMPROVED
    assert progress("100", "105").outcome is Outcome.UNCHANGED
    assert progress("100", "85").outcome is Outcome.WORSE
    assert progress("100", "300", shifts=2).outcome is Outcome.TOO_EARLY
    assert progress("100", "150").ratio == Decimal("1.5")


def test_a_master_verdict() -> None:
    five = tuple(progress("90", "190") for _ in range(5))
    assert MasterReport("M", five).verdict is Verdict.MET_THE_RULE
    mixed = (progress("100", "200"), progress("100", "100"), progress("100", "120"))
    assert MasterReport("M", mixed).verdict is Verdict.WORKED
    assert MasterReport("M", mixed[1:2]).verdict is Verdict.DID_NOT_WORK
    assert MasterReport("M", (progress("1", "9", shifts=1),)).verdict is Verdict.TOO_EARLY


def test_windows_before_and_after_a_link() -> None:
    link = Mentorship(1, "M", "A", dt.date(1935, 9, 11), dt.date(1935, 9, 20))
    before, after = link.windows(10, dt.date(1935, 9, 30))
    assert before == Period(dt.date(1935, 9, 1), dt.date(1935, 9, 10))
    assert after == Period(dt.date(1935, 9, 11), dt.date(1935, 9, 20))
    assert link.windows(10, dt.date(1935, 9, 5))[1] is None
    assert link.overlaps(Period(dt.date(1935, 9, 20), dt.date(1935, 9, 30)))
