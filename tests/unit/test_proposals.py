"""Statistical proposals: what is left out and why, the percentile, rounding and caps."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.fulfilment import results
from stakhanov.domain.governance import StatisticalRules
from stakhanov.domain.impact import driven_by
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.periods import Period
from stakhanov.domain.proposals import (
    Reason,
    StatisticalBasis,
    capped,
    from_time_study,
    raise_percent,
    record_fence,
    statistical_basis,
    with_rate,
)
from stakhanov.domain.provenance import TimeStudy
from tests.governance_ledgers import B1, B2, Builder, norm, scenario

WINDOW = Period(dt.date(1936, 1, 1), dt.date(1936, 12, 31))


def basis_of(
    build: Builder,
    rules: StatisticalRules | None = None,
    flagged: dict[tuple[str, str], list[str]] | None = None,
) -> StatisticalBasis:
    ledger = build.ledger()
    found = results(ledger, WINDOW.start, WINDOW.end)
    current = ledger.norms.versions("hewing")[-1]
    return statistical_basis(
        found,
        ledger.norms,
        current,
        WINDOW,
        lambda w: ledger.workers[w].unit,
        flagged or {},
        rules or StatisticalRules(),
    )


def test_prepared_assisted_and_own_records_are_left_out_and_said_so() -> None:
    basis = basis_of(scenario())
    by_shift = {e.observation.shift_id: e for e in basis.exclusions}
    assert set(by_shift) == {"S8", "S9", "S10"}
    assert by_shift["S8"].reasons == (Reason.OWN_RECORD,)
    assert by_shift["S8"].observation.worker_id == "D"
    assert by_shift["S8"].observation.percent == 300
    # D's record against the fence of everyone else: Q3 110 + 1.5 x max(IQR 10, 10) = 125.
    assert "own record" in by_shift["S8"].message and "125.0%" in by_shift["S8"].message
    assert by_shift["S9"].reasons == (Reason.PREPARED,)
    assert by_shift["S10"].reasons == (Reason.ASSISTED,)
    assert sorted(o.percent for o in basis.sample) == [90, 100, 100, 100, 110, 110, 120]
    # Nearest rank: the median of 7 is the 4th value, the 75th percentile the 6th.
    assert basis.value == 100
    wider = basis_of(scenario(), StatisticalRules(percentile=Decimal(75)))
    assert wider.value == 110


def test_without_the_exclusions_the_record_would_drive_the_norm() -> None:
    build = Builder()
    for tonnes in ("6", "6", "6", "6"):
        build.shift("A", tonnes)
    build.shift("B", "6")
    build.shift("B", "18")
    build.shift("B", "18")
    basis = basis_of(build, StatisticalRules(percentile=Decimal(75)))
    # Five results at 100% and B's two 300% shifts: rank 6 of 7 would be 300% with them.
    assert [e.observation.percent for e in basis.excluded(Reason.OWN_RECORD)] == [300, 300]
    assert basis.value == 100


def test_open_or_upheld_findings_are_left_out_with_their_description() -> None:
    build = scenario()
    basis = basis_of(build, flagged={("S1", "hewing"): ["open pooled finding: output pooled"]})
    excluded = {e.observation.shift_id: e for e in basis.exclusions}
    assert excluded["S1"].reasons == (Reason.FINDING,)
    assert "open pooled finding" in excluded["S1"].message


def test_results_under_an_earlier_version_are_measured_against_the_current_one() -> None:
    build = Builder(norm("6"), norm("7.5", dt.date(1936, 3, 5)))
    build.shift("A", "6", day=dt.date(1936, 3, 1))  # 100% of 6 t: 80% of 7.5 t
    build.shift("A", "7.5", day=dt.date(1936, 3, 6))  # 100% of 7.5 t
    basis = basis_of(build)
    assert sorted(o.percent for o in basis.sample) == [80, 100]
    assert any("earlier versions" in n for n in basis.notes)


def test_a_record_against_a_single_peer_and_a_worker_alone() -> None:
    build = Builder()
    build.shift("A", "6")
    build.shift("B", "18")
    basis = basis_of(build)
    # B's 300% against A's lone 100%: fence 100 + 1.5 x 10 = 115.
    assert [(e.observation.worker_id, e.reasons) for e in basis.exclusions] == [
        ("B", (Reason.OWN_RECORD,))
    ]
    alone = Builder()
    alone.shift("A", "6")
    alone.shift("A", "18")
    assert any("no own-record test for A" in n for n in basis_of(alone).notes)


def test_record_fence_by_hand() -> None:
    values = [Fraction(v) for v in (90, 100, 100, 110, 110, 120)]
    assert record_fence(values, StatisticalRules()) == Decimal(125)
    spread = [Fraction(v) for v in (80, 100, 120, 140)]
    # Q1 = 80 (rank 1), Q3 = 120 (rank 3): 120 + 1.5 x 40.
    assert record_fence(spread, StatisticalRules()) == Decimal(180)


def test_driven_by_one_worker_or_one_brigade() -> None:
    build = Builder()
    for worker, tonnes in (("A", "5.4"), ("A", "6.6"), ("A", "6"), ("B", "5.7"), ("B", "6.3")):
        build.shift(worker, tonnes, B1)
    for _ in range(6):
        build.shift("C", "6.72", B2)  # 112%: under the fence of 105 + 1.5 x 10 = 120
    basis = basis_of(build)
    assert not basis.exclusions
    # Rank 6 of 11 is 112%; without C the median of 90, 95, 100, 105, 110 is 100%.
    assert basis.value == 112
    warnings = driven_by(basis, Decimal(100))
    assert any("one worker's results: C" in w for w in warnings)
    assert any("one brigade's results: Mine/Section 1/Brigade 2" in w for w in warnings)


def test_a_brigade_with_most_of_the_sample_is_named_without_a_made_up_cut() -> None:
    """Brigade 1 gives 4 of 6 results at 110%, brigade 2 gives 2 at 110%: the median stays
    110% without either, so the warning says "more than half" and that the raise stays."""
    build = Builder()
    for worker in "ABCDEF":
        build.shift(worker, "6.6", B1 if worker in "ABCD" else B2)
    warnings = driven_by(basis_of(build), Decimal(100))
    assert warnings == [
        "driven by one brigade's results: Mine/Section 1/Brigade 1 gives 66.7% of the sample, "
        "more than half (without them the basis gives a raise of 10.0% as well)"
    ]


def test_no_driven_by_warning_for_a_broad_raise() -> None:
    build = Builder()
    for worker in "ABCDEF":
        build.shift(worker, "6.6", B1 if worker in "ABC" else B2)
    assert driven_by(basis_of(build), Decimal(100)) == []


def test_revised_norms_round_in_the_workers_favour() -> None:
    output = norm("7")
    assert with_rate(output, Decimal("1.0291"), Decimal("0.01")).norm == Decimal("7.20")
    minutes = Norm("turning", "part", NormKind.TIME, Decimal(3), None, dt.date(1936, 1, 1))
    # 3 / 1.1 = 2.7272...: rounded up, to 2.73 minutes.
    assert with_rate(minutes, Decimal("1.1"), Decimal("0.01")).norm == Decimal("2.73")


def test_raises_are_capped_lowering_is_not() -> None:
    current = norm("6")
    steep = dataclasses.replace(current, norm=Decimal(9))
    assert raise_percent(current, steep) == 50
    assert capped(current, steep, Decimal(10), Decimal("0.01")).norm == Decimal("6.60")
    lower = dataclasses.replace(current, norm=Decimal(4))
    assert capped(current, lower, Decimal(10), Decimal("0.01")) == lower


def test_time_study_by_hand() -> None:
    study = TimeStudy(30, Decimal("2.5"), Decimal(110), Decimal(12))
    assert study.normal_minutes == Decimal("2.75")
    assert study.standard_minutes == Decimal("3.08")
    minutes = Norm("turning", "part", NormKind.TIME, Decimal(3), None, dt.date(1936, 1, 1))
    assert from_time_study(minutes, study, Decimal("0.01")).norm == Decimal("3.08")
    # 6 h x 60 / 3.08 min = 116.883... parts, rounded down.
    assert from_time_study(norm("100"), study, Decimal("0.01")).norm == Decimal("116.88")


@given(
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal(50), places=2),
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal(2), places=4),
)
def test_rounding_never_asks_for_more_than_the_basis(value: Decimal, factor: Decimal) -> None:
    output = norm(str(value))
    assert with_rate(output, factor, Decimal("0.01")).norm <= value * factor
    minutes = Norm("turning", "part", NormKind.TIME, value, None, dt.date(1936, 1, 1))
    assert with_rate(minutes, factor, Decimal("0.01")).norm >= value / factor


@given(st.lists(st.integers(min_value=50, max_value=400), min_size=1, max_size=30))
def test_every_result_is_either_in_the_sample_or_excluded(percents: list[int]) -> None:
    build = Builder()
    for i, percent in enumerate(percents):
        build.shift(f"W{i % 4}", str(Decimal(percent) * 6 / 100), prepared=i % 7 == 3)
    basis = basis_of(build)
    ids = [o.shift_id for o in basis.sample] + [e.observation.shift_id for e in basis.exclusions]
    assert sorted(ids) == sorted(s.shift_id for s in build.shifts)
    assert all(e.reasons and e.message for e in basis.exclusions)


def seven_per_six(value: str = "7") -> Norm:
    """The historical hewing norm, 7 t per 6 h: its rate, 7/6 t an hour, does not terminate."""
    return dataclasses.replace(norm(), norm=Decimal(value))


def test_figures_against_a_norm_whose_rate_does_not_terminate_are_exact() -> None:
    build = Builder(seven_per_six())
    for worker in "ABC":
        build.shift(worker, "6.3")  # exactly 90% of 7 t
        build.shift(worker, "6.3")
    basis = basis_of(build)
    assert basis.value == 90 and {o.percent for o in basis.sample} == {90}
    distribution = basis.distribution
    assert distribution is not None and distribution.bins == ((Decimal(90), 6),)
    # 90% of the 7 t norm is 6.3 t, not 6.29 t.
    assert basis.exact_value is not None
    assert with_rate(seven_per_six(), basis.exact_value / 100, Decimal("0.01")).norm == Decimal(
        "6.30"
    )


def test_a_median_of_6_5_tonnes_revises_a_7_tonne_norm_to_6_5() -> None:
    build = Builder(seven_per_six())
    for worker, tonnes in (("A", "6.5"), ("B", "6.5"), ("C", "6.5"), ("D", "6.1"), ("E", "7")):
        build.shift(worker, tonnes)
    basis = basis_of(build)
    # 6.5 / 7 = 92.857...%: the median; 7 t x 92.857...% = 6.5 t exactly.
    assert basis.exact_value == Fraction(650, 7)
    assert with_rate(seven_per_six(), basis.exact_value / 100, Decimal("0.01")).norm == Decimal(
        "6.50"
    )


def test_a_result_exactly_at_the_fence_is_not_a_record() -> None:
    build = Builder(seven_per_six())
    for worker in "ABCD":
        build.shift(worker, "6.02")  # 86%
    build.shift("E", "7.07")  # 101%: exactly the fence 86 + 1.5 x 10
    build.shift("E", "7.14")  # 102%: above it
    basis = basis_of(build)
    assert [e.observation.shift_id for e in basis.exclusions] == ["S6"]
    assert "above the record fence of 101.0%" in basis.exclusions[0].message


def test_a_ten_percent_raise_of_a_seven_tonne_norm_is_not_capped() -> None:
    current = seven_per_six()
    raised = seven_per_six("7.7")
    assert raise_percent(current, raised) == 10
    assert capped(current, raised, Decimal(10), Decimal("0.01")) == raised


def test_the_proposal_shows_percentages_rounded_half_up() -> None:
    """105.25% (6.315 t of a 6 t norm) shows as 105.3, as every
    percentage does, in the sample, the distribution, the value and the record message."""
    from stakhanov.services.proposals import basis_document, norm_summary

    build = Builder()
    for worker in "ABC":
        build.shift(worker, "6.315", B1)  # 105.25% of 6 t
    build.shift("D", "6.315", B2)
    build.shift("D", "9.015", B2)  # 150.25%: D's own record
    basis = basis_of(build)
    document = basis_document(basis)
    assert document["value"] == Decimal("105.3")
    assert {s["fair_percent"] for s in document["sample"]} == {Decimal("105.3")}
    assert document["distribution"]["median"] == Decimal("105.3")
    assert document["exclusions"][0]["fair_percent"] == Decimal("150.3")
    assert "150.3% is above the record fence of 120.3%" in document["exclusions"][0]["message"]
    base = norm("6")
    revised = dataclasses.replace(base, norm=Decimal("6.0075"))  # +0.125% per hour
    assert norm_summary(revised, base)["raise_percent"] == Decimal("0.13")


def test_an_output_needed_is_rounded_up_so_that_it_is_always_enough() -> None:
    from fractions import Fraction

    from stakhanov.domain.impact import WorkerImpact
    from stakhanov.services.proposals import worker_document

    row = WorkerImpact("A", B1, {"S1"}, Decimal(6), Decimal("7.07"))
    row.exact_needed_output = Fraction(371171, 10000)  # 37.1171
    row.exact_paid_needed = Fraction(371171, 10000)
    document = worker_document(row, None, "hewing")
    assert document["output_same_percent"] == Decimal("37.118")
    assert document["pay_output_needed"] == Decimal("37.118")
