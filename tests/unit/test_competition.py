"""Competition: fair between operations, ranked with shared ties, and a banner that passes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.competition import (
    Metric,
    Step,
    banner_history,
    check_units,
    plan_fulfilment,
    rounds,
    standings,
)
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.performance import ordinary_work
from stakhanov.domain.periods import Period
from stakhanov.domain.plans import PlanTarget, Production, roll_up
from stakhanov.domain.rankings import rank
from stakhanov.domain.shifts import Shift
from tests.ledgers import DAY, crew, hewing_norm, worker

TODAY = Period(DAY, DAY)
LOADING = Norm("loading", "t", NormKind.OUTPUT, Decimal(14), Decimal(6), dt.date(1935, 1, 1))


def two_sections() -> Ledger:
    """A hewer of Section 1 hews 9.1 t (130%); a loader of Section 2 loads 15.4 t (110%)."""
    return Ledger.of(
        workers=[worker("H", "Mine/Section 1/Brigade 1"), worker("L", "Mine/Section 2/Brigade 1")],
        norms=[hewing_norm(), LOADING],
        shifts=[
            Shift("S1", DAY, Decimal(6), "Mine/Section 1/Brigade 1"),
            Shift("S2", DAY, Decimal(6), "Mine/Section 2/Brigade 1"),
        ],
        outputs=[
            MeasuredOutput("S1", "hewing", Decimal("9.1"), "t"),
            MeasuredOutput("S2", "loading", Decimal("15.4"), "t"),
        ],
        crew=[crew("H", credited="9.1"), crew("L", "loading", credited="15.4", shift_id="S2")],
    )


def test_units_compete_on_their_own_norms_not_raw_output() -> None:
    ledger = two_sections()
    ranked = standings(
        ["Mine/Section 1", "Mine/Section 2"],
        ordinary_work(ledger, TODAY),
        Metric.AVERAGE_FULFILMENT,
        lambda w: ledger.workers[w].unit,
    )
    assert [(r.rank, r.item[0], r.score) for r in ranked] == [
        (1, "Mine/Section 1", Decimal("130.0")),
        (2, "Mine/Section 2", Decimal("110.0")),
    ]


def test_plan_fulfilment_in_standard_hours() -> None:
    ledger = two_sections()
    made = [
        Production(ledger.shifts[o.shift_id].workplace, DAY, o.operation, o.quantity, o.unit)
        for o in ledger.outputs.values()
    ]
    plans = [
        PlanTarget("Mine/Section 1", "hewing", DAY, DAY + dt.timedelta(days=1), Decimal(14), "t"),
        PlanTarget("Mine/Section 2", "loading", DAY, DAY, Decimal(14000), "kg"),
    ]
    statuses = roll_up(plans, made, DAY)

    def score(unit: str) -> Decimal | None:
        value = plan_fulfilment(unit, statuses, made, ledger.norms, TODAY)
        return None if value is None else round(value, 1)

    # Half of the two-day hewing plan is due: 9.1 t of 7 t. Loading: 15.4 t of 14,000 kg.
    assert (score("Mine/Section 1"), score("Mine/Section 2")) == (
        Decimal("130.0"),
        Decimal("110.0"),
    )
    # The mine's derived plans add up in standard hours: (7.8 + 6.6) / (6 + 6).
    assert score("Mine") == Decimal("120.0")
    assert score("Mine/Section 3") is None
    with pytest.raises(InvalidValue, match="needs the units' plan fulfilment"):
        standings(["A", "B"], [], Metric.PLAN_FULFILMENT, lambda w: w)
    ranked = standings(
        ["Mine/Section 1", "Mine/Section 2"],
        [],
        Metric.PLAN_FULFILMENT,
        lambda w: w,
        {"Mine/Section 1": Decimal(90), "Mine/Section 2": Decimal(110)},
    )
    assert [r.item[0] for r in ranked] == ["Mine/Section 2", "Mine/Section 1"]


def test_rounds() -> None:
    september = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
    weeks = rounds(september, Step.WEEK)
    assert [(p.start.day, p.end.day) for p in weeks] == [
        (1, 7),
        (8, 14),
        (15, 21),
        (22, 28),
        (29, 30),
    ]
    two_months = Period(dt.date(1935, 8, 15), dt.date(1935, 9, 30))
    assert [(p.start, p.end) for p in rounds(two_months, Step.MONTH)] == [
        (dt.date(1935, 8, 15), dt.date(1935, 8, 31)),
        (dt.date(1935, 9, 1), dt.date(1935, 9, 30)),
    ]
    assert rounds(september, Step.WHOLE) == [september]


def test_the_banner_passes_to_each_sole_winner_and_stays_on_a_tie() -> None:
    weeks = rounds(Period(dt.date(1935, 9, 1), dt.date(1935, 9, 28)), Step.WEEK)
    history = banner_history(
        [(weeks[0], ["A"]), (weeks[1], ["B"]), (weeks[2], ["A", "B"]), (weeks[3], ["B"])]
    )
    assert [(h.holder, h.since, h.until) for h in history] == [
        ("A", dt.date(1935, 9, 7), dt.date(1935, 9, 14)),
        ("B", dt.date(1935, 9, 14), None),
    ]


def test_competitors_must_not_overlap() -> None:
    with pytest.raises(InvalidValue, match="lies within Mine/Section 1"):
        check_units(["Mine/Section 1", "Mine/Section 1/Brigade 2"])
    with pytest.raises(InvalidValue, match="at least two"):
        check_units(["Mine"])


@given(st.lists(st.one_of(st.none(), st.decimals(0, 500, places=1)), max_size=12))
def test_ranks_follow_scores_and_ties_share_a_rank(scores: list[Decimal | None]) -> None:
    ranked = rank(list(enumerate(scores)), lambda item: item[1], lambda item: f"{item[0]:03}")
    scored = [r for r in ranked if r.rank is not None]
    assert len(scored) == sum(1 for s in scores if s is not None)
    for before, after in pairwise(scored):
        assert before.score is not None and after.score is not None
        assert before.score >= after.score
        assert (before.rank == after.rank) == (before.score == after.score)
    for position, r in enumerate(scored, start=1):
        assert r.rank is not None and r.rank <= position
