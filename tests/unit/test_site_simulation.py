from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.sim.ledger_rows import measured
from stakhanov.sim.montecarlo import run_many
from stakhanov.sim.queueing import single_server_utilisation, tandem_throughput
from stakhanov.sim.site import Scenario, run_shift
from stakhanov.sim.site_report import favoured_report, organisation_report, section_output
from stakhanov.sim.workplace import Workplace
from stakhanov.sim.workplace_file import read_workplace
from tests.sim_workplaces import single_server, stock_section, tandem


def bundled(name: str) -> Workplace:
    path = resources.files("stakhanov.data").joinpath("workplaces", f"{name}.toml")
    return read_workplace(path.read_text(encoding="utf-8"), f"{name}.toml")


IRMINO = bundled("central-irmino-1935")


def solo(name: str) -> Scenario:
    return Scenario((IRMINO.organisations[name],))


def test_the_same_seed_gives_the_same_shift_and_another_seed_another() -> None:
    first = run_shift(IRMINO, solo("brigade"), 7)
    again = run_shift(IRMINO, solo("brigade"), 7)
    other = run_shift(IRMINO, solo("brigade"), 8)
    assert first.batches == again.batches
    assert [w.busy for w in first.workers] == [w.busy for w in again.workers]
    assert [w.busy for w in first.workers] != [w.busy for w in other.workers]


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    organisation=st.sampled_from(["solo", "brigade", "record"]),
    faces=st.integers(1, 3),
)
def test_credits_add_up_to_the_measured_output(seed: int, organisation: str, faces: int) -> None:
    result = run_shift(IRMINO, Scenario((IRMINO.organisations[organisation],) * faces), seed)
    for face in range(faces):
        for m in measured(IRMINO, result, face):
            assert sum(q for _, q in m.credits) == m.quantity
            assert m.quantity == result.batches[face]["haulage"] * IRMINO.batch


@pytest.mark.parametrize(("mu1", "mu2", "buffer"), [(6, 4, 1), (4, 4, 2), (3, 5, 1)])
def test_a_two_station_line_turns_out_what_queueing_theory_says(
    mu1: int, mu2: int, buffer: int
) -> None:
    hours = 400
    line = tandem(mu1, mu2, buffer, hours)
    scenario = Scenario((line.organisations["line"],))
    runs = run_many(line, scenario, range(4))
    simulated = sum(section_output(line, r) for r in runs) / (len(runs) * hours)
    theory = tandem_throughput(Fraction(mu1), Fraction(mu2), buffer)
    # Four runs of 400 hours: well over 5000 batches, so the mean is within a few percent.
    assert abs(Fraction(simulated) / theory - 1) < Fraction(3, 100)
    assert simulated < min(mu1, mu2)


def test_a_favoured_face_takes_the_shared_stock_from_the_others() -> None:
    # 30 props for 3 faces that could each cut 60 t: equal shares bind every face at 10 t. The
    # favoured face gets half (15 t) and the other two split the rest (7.5 props: 7 whole
    # tonnes each): it gains 5, they lose 6, and the section loses 1 t to the rounding.
    section = stock_section(3, 30)
    crew = (section.organisations["one"],) * 3
    baseline = organisation_report(
        section, Scenario(crew), run_many(section, Scenario(crew), [1, 2])
    )
    scenario = Scenario(crew, favoured=0, favoured_share=Decimal("0.5"))
    favoured = organisation_report(section, scenario, run_many(section, scenario, [1, 2]))
    assert [f["mean"] for f in baseline["faces"]] == [10, 10, 10]
    assert [f["mean"] for f in favoured["faces"]] == [15, 7, 7]
    effect = favoured_report(baseline, favoured)
    assert effect["favoured_face_gains"] == 5
    assert effect["other_faces_lose"] == 6
    assert effect["section_change"] == -1
    assert favoured["bottleneck"]["name"] == "timber"


def test_a_solo_miner_hews_the_ordinary_output_of_the_sources() -> None:
    # The norm was 6-7 t a shift; good hewers averaged 11-15 t before the movement.
    ordinary = run_many(IRMINO, solo("solo"), range(12))
    good = run_many(IRMINO, solo("solo-good"), range(12))
    ordinary_mean = sum(section_output(IRMINO, r) for r in ordinary) / 12
    good_mean = sum(section_output(IRMINO, r) for r in good) / 12
    assert 6 <= ordinary_mean <= 7
    assert 11 <= good_mean <= 15


def test_the_brigade_raises_one_hewer_far_but_not_to_102_tonnes() -> None:
    good = run_many(IRMINO, solo("solo-good"), range(6))
    record = run_many(IRMINO, solo("record"), range(6))
    good_mean = sum(section_output(IRMINO, r) for r in good) / 6
    record_mean = sum(section_output(IRMINO, r) for r in record) / 6
    assert record_mean > 4 * good_mean
    assert max(section_output(IRMINO, r) for r in record) < 102
    # The master hewer's own drilling is the limit: 12 t/h over 5 h 40 min is 68 t.
    assert record_mean <= 12 * IRMINO.working_hours


@pytest.mark.parametrize(
    ("organisation", "faces", "expected"),
    [
        ("solo", 1, {"haulage+loading+timbering+hewing"}),
        # The hewer is busy, but his coal waits for the loader and the haulier (equal rates).
        ("brigade", 1, {"loading", "haulage"}),
        ("record", 1, {"hewing"}),
        ("brigade", 3, {"air"}),  # three hewers, air for two drills
    ],
)
def test_the_bottleneck_is_what_limits_the_output(
    organisation: str, faces: int, expected: set[str]
) -> None:
    scenario = Scenario((IRMINO.organisations[organisation],) * faces)
    report = organisation_report(IRMINO, scenario, run_many(IRMINO, scenario, range(4)))
    assert report["bottleneck"]["name"] in expected
    assert report["bottleneck"]["capacity"] >= report["output"]["mean"] - 1


def test_a_single_server_with_poisson_arrivals_is_busy_lambda_over_mu() -> None:
    hours = 400
    counter = single_server(3, 5, hours)
    scenario = Scenario((counter.organisations["one"],))
    report = organisation_report(counter, scenario, run_many(counter, scenario, range(4)))
    busy = report["workers"][0]["utilisation_percent"] / 100
    expected = single_server_utilisation(Fraction(3), Fraction(5))
    assert abs(Fraction(busy) / expected - 1) < Fraction(3, 100)
    # Everything that arrives is served: the output is lambda x hours, give or take the queue.
    assert abs(Fraction(report["output"]["mean"]) / (3 * hours) - 1) < Fraction(3, 100)
