"""Ordinary work with its rejects and incidents, summed in standard hours, checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.mentoring import Mentorship, Outcome, Progress
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
    assert a.rejected_hours == Fraction("0.6") * 6 / 7  # 0.6 t of the 1.0 t rejected
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


def _shifts_of(quantities: list[Decimal], rejected: list[Decimal] | None = None) -> Ledger:
    """One worker's 6 h hewing shifts (7 t norm), one a day, with these outputs."""
    days = [DAY + dt.timedelta(days=i) for i in range(len(quantities))]
    return Ledger.of(
        workers=[worker("A")],
        norms=[hewing_norm()],
        shifts=[shift(f"S{i}", day=d) for i, d in enumerate(days)],
        outputs=[
            MeasuredOutput(f"S{i}", "hewing", q, "t", rejected[i] if rejected else None)
            for i, q in enumerate(quantities)
        ],
        crew=[crew("A", shift_id=f"S{i}") for i in range(len(quantities))],
    )


@given(
    st.sampled_from([100, 125, 150, 200, 300]),
    st.lists(st.integers(-30, 30), min_size=1, max_size=11),
)
def test_a_threshold_met_by_hand_is_met_exactly(percent: int, offsets: list[int]) -> None:
    """Outputs in tenths of a tonne that add up to exactly `percent` of the norm give exactly
    that percentage, though each shift's standard hours (q x 6 / 7) are not exact decimals."""
    mean = Decimal(7) * percent / 100
    quantities = [mean + Decimal(o) / 10 for o in offsets]
    quantities.append(mean * (len(offsets) + 1) - sum(quantities))
    assume(all(q > 0 for q in quantities))
    period = Period(DAY, DAY + dt.timedelta(days=len(quantities)))
    tally = tally_by(ordinary_work(_shifts_of(quantities), period), lambda w: w.worker_id)["A"]
    assert tally.fair_percent == percent


@given(st.lists(st.integers(1, 400), min_size=1, max_size=12))
def test_a_reject_share_of_exactly_five_percent_is_five(tenths: list[int]) -> None:
    """Rejects of 1 in 20 of all output are exactly 5%, whatever the shifts' standard hours."""
    accepted = [Decimal(t) * 19 / 10 for t in tenths]
    rejected = [Decimal(t) / 10 for t in tenths]
    period = Period(DAY, DAY + dt.timedelta(days=len(tenths)))
    work = ordinary_work(_shifts_of(accepted, rejected), period)
    assert tally_by(work, lambda w: w.worker_id)["A"].reject_share == 5


def test_an_output_doubled_by_hand_is_doubled() -> None:
    """5.1, 4.9 and 5.0 t before the link, twice each after: the ratio is exactly 2."""
    before = [Decimal(q) for q in ("5.1", "4.9", "5.0")]
    ledger = _shifts_of([*before, *(q * 2 for q in before)])
    days = [DAY + dt.timedelta(days=i) for i in range(6)]
    tallies = [
        tally_by(ordinary_work(ledger, window), lambda w: w.worker_id)["A"]
        for window in (Period(days[0], days[2]), Period(days[3], days[5]))
    ]
    progress = Progress(Mentorship(1, "M", "A", days[3]), *tallies)
    assert (progress.ratio, progress.outcome) == (2, Outcome.DOUBLED)
