"""Ordinary work with its rejects and incidents, summed in standard hours, checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.performance import ordinary_work, tally_by
from stakhanov.domain.periods import Period
from tests.ledgers import DAY, crew, hewing_norm, shift, worker

TODAY = Period(DAY, DAY)


def rejected_face(rejected: str = "1.0", prepared: bool = False) -> Ledger:
    """10.0 t accepted and some rejected: A credited 6.0 t, B 4.0 t, 6 h each, norm 7 t / 6 h."""
    return Ledger.of(
        workers=[worker("A"), worker("B")],
        norms=[hewing_norm()],
        shifts=[shift(prepared=prepared)],
        outputs=[MeasuredOutput("S1", "hewing", Decimal("10.0"), "t", Decimal(rejected))],
        crew=[crew("A", credited="6.0"), crew("B", credited="4.0")],
    )


def test_rejects_are_shared_by_credit_and_counted_in_standard_hours() -> None:
    tallies = tally_by(ordinary_work(rejected_face(), TODAY), lambda w: w.worker_id)
    a = tallies["A"]
    assert a.rejected_hours == Decimal("0.6") * 6 / 7  # 0.6 t of the 1.0 t rejected
    assert round(a.reject_share, 2) == Decimal("9.09")  # 0.6 / 6.6
    assert round(a.fair_percent or 0, 1) == Decimal("85.7")  # 6 / 7
    assert round(a.quality_adjusted_percent or 0, 1) == Decimal("77.1")  # 5.4 / 7
    assert a.checked == 1


def test_an_incident_zeroes_the_safety_gated_figure_of_that_shift_only() -> None:
    hurt = Incident("I1", DAY, "S1", ("A",), "minor")
    tallies = tally_by(ordinary_work(rejected_face(), TODAY, [hurt]), lambda w: w.worker_id)
    assert tallies["A"].safety_gated_percent == 0
    assert tallies["B"].safety_gated_percent == tallies["B"].fair_percent
    off_shift = Incident("I2", DAY, None, ("B",), "minor")
    tallies = tally_by(ordinary_work(rejected_face(), TODAY, [off_shift]), lambda w: w.worker_id)
    assert tallies["B"].safety_gated_percent == 0


def test_prepared_shifts_and_other_days_are_left_out() -> None:
    assert ordinary_work(rejected_face(prepared=True), TODAY) == []
    later = Period(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2))
    assert ordinary_work(rejected_face(), later) == []


def test_doubtful_results_are_left_out_for_their_worker_only() -> None:
    doubtful = {("S1", "hewing", "A")}
    works = ordinary_work(rejected_face(), TODAY, (), doubtful)
    assert [w.worker_id for w in works] == ["B"]
    assert len(ordinary_work(rejected_face(), TODAY, (), {("S1", "loading", "A")})) == 2
