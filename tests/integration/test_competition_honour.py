"""Competition, honour board and mentoring through the command line, on the month of
tests/month.py, with the numbers worked out by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from stakhanov.domain.performance import Tally
from stakhanov.services import competitions, mentoring
from stakhanov.store.db import make_engine
from tests.commands import cli, ok
from tests.integration.helpers import write
from tests.month import write_month

pytestmark = pytest.mark.storage
S1, S2 = "Mine/Section 1", "Mine/Section 2"


@pytest.fixture
def month_db(db_url: str, tmp_path: Path) -> str:
    write_month(tmp_path / "month")
    assert cli(db_url, "import", str(tmp_path / "month"))[0] == 0
    return db_url


def declare(db_url: str, name: str, metric: str, *units: str) -> tuple[int, str, str]:
    unit_args = [arg for unit in units for arg in ("--unit", unit)]
    return cli(
        db_url, "competition", "declare", name, *unit_args, "--metric", metric,
        "--from", "1935-09-01", "--to", "1935-09-30", "--banner", "Red Banner",
    )  # fmt: skip


def test_sections_compete_on_their_own_norms_for_a_banner(month_db: str) -> None:
    assert declare(month_db, "September", "average-fulfilment", S1, S2)[0] == 0
    report = ok(month_db, "competition", "standings", "September")
    # Section 1: (6.6 + 7.2 + 13.2 + 7.8 + 7.2 + 6.3) std h a day over 36 h = 134.2%; the
    # loader of Section 2 moves more tonnes (15.4 t) but fulfils his own norm by 110%.
    assert [(r["rank"], r["unit"], r["score"]) for r in report["standings"]] == [
        (1, S1, "134.2"),
        (2, S2, "110.0"),
    ]
    assert report["winners"] == [S1]
    rounds = {(r["round"], r["unit"]): r for r in report["rounds"]}
    assert len(rounds) == 10
    assert rounds[("1935-09-29..1935-09-30", S1)]["rank"] is None  # a Sunday and no work
    assert report["banner_history"] == [
        {"holder": S1, "since": "1935-09-07", "until": None, "won": "1935-09-01..1935-09-07"}
    ]
    early = ok(month_db, "competition", "standings", "September", "--as-of", "1935-09-03")
    assert [r["score"] for r in early["standings"]] == ["134.2", "110.0"]
    assert early["banner_history"] == []
    # Section 1 leads on 3 September, but no one has won a competition that runs to the 30th.
    assert (early["leaders"], early["winners"], early["finished"]) == ([S1], [], False)
    assert (report["leaders"], report["finished"]) == ([S1], True)


@pytest.mark.parametrize(
    ("metric", "score"),
    [
        # E's 1.0 t rejected a day costs 6/7 std h: (48.3 - 0.857) / 36.
        ("quality-adjusted", "131.8"),
        # D's shift of 10 September counts nothing: (48.3 x 24 - 7.8) / 864.
        ("safety-gated", "133.3"),
    ],
)
def test_quality_and_safety_metrics(month_db: str, metric: str, score: str) -> None:
    assert declare(month_db, metric, metric, S1, S2)[0] == 0
    standings = ok(month_db, "competition", "standings", metric)["standings"]
    assert standings[0]["score"] == score and standings[1]["score"] == "110.0"


def import_plans(month_db: str, tmp_path: Path, more: str = "") -> None:
    """Section 1's hewing plan for September, and `more` rows of plans.csv."""
    plans = write(tmp_path / "plans", "plans.csv", (
        "unit,operation,period_start,period_end,target,unit_of_measure\n"
        "Mine/Section 1,hewing,1935-09-01,1935-09-30,1400,t\n" + more
    ))  # fmt: skip
    assert cli(month_db, "import", str(plans.parent))[0] == 0


def test_plan_fulfilment_compares_each_unit_with_its_own_plan(
    month_db: str, tmp_path: Path
) -> None:
    import_plans(month_db, tmp_path, "Mine/Section 2,loading,1935-09-01,1935-09-30,300,t\n")
    assert declare(month_db, "plan", "plan-fulfilment", S1, S2)[0] == 0
    report = ok(month_db, "competition", "standings", "plan")
    # Section 1 hewed 64.75 t a day for 24 days, 1554 t of 1400; Section 2 loaded 369.6 t of
    # 300: it wins on its plan although it loses on fulfilment of the norm.
    assert [(r["unit"], r["score"]) for r in report["standings"]] == [(S2, "123.2"), (S1, "111.0")]
    week = {r["unit"]: r["score"] for r in report["rounds"] if r["round"].endswith("09-07")}
    # 1-7 September: 7/30 of each plan is due; 6 days of work were done.
    assert week == {S1: "118.9", S2: "132.0"}


def test_competitions_are_checked(month_db: str) -> None:
    code, _, err = declare(month_db, "nested", "average-fulfilment", S1, f"{S1}/Brigade 1")
    assert code == 1 and "lies within Mine/Section 1" in err
    code, _, err = declare(month_db, "ghost", "average-fulfilment", S1, "Mine/Section 9")
    assert code == 1 and "unknown unit 'Mine/Section 9'" in err
    assert declare(month_db, "twice", "average-fulfilment", S1, S2)[0] == 0
    code, _, err = declare(month_db, "twice", "average-fulfilment", S1, S2)
    assert code == 1 and "exists" in err
    assert cli(month_db, "competition", "standings", "nobody")[0] == 1


def test_honour_board_by_fair_fulfilment_with_opt_out_and_masking(month_db: str) -> None:
    teams = ok(month_db, "honour", "--unit", "Mine", "--period", "1935-09")
    assert [(t["rank"], t["team"], t["fair_percent"]) for t in teams] == [
        (1, "Mine/Section 3/Brigade 1", "166.7"),
        (2, "Mine/Section 1/Brigade 1", "134.2"),
        (3, "Mine/Section 2/Brigade 1", "110.0"),
    ]
    by_section = ok(month_db, "honour", "--unit", "Mine", "--period", "1935-09", "--level",
                    "section")  # fmt: skip
    assert [t["team"] for t in by_section] == ["Mine/Section 3", S1, S2]
    workers = ok(month_db, "honour", "--unit", "Mine", "--period", "1935-09", "--workers")
    # D (incident) and E (rejects) are not honoured; B ranks on 120% fair, not 240% stated.
    # L is a hewer who loads: the bundled rulebook ranks hewers on hewing only, so L's loading
    # counts for his brigade but not for his own rank.
    assert [(w["rank"], w["name"], w["fair_percent"]) for w in workers] == [
        (1, "Worker C", "220.0"),
        (2, "Worker M", "166.7"),
        (3, "Worker B", "120.0"),
        (4, "Worker A", "110.0"),
        (5, "Worker F", "105.0"),
    ]
    keys = {"rank", "worker_id", "name", "unit", "shifts", "fair_percent"}  # no money
    rules = {"min_shifts", "operation", "trade"}  # the rules each row was ranked by
    assert all(set(w) == keys | rules for w in workers)
    assert {(w["min_shifts"], w["operation"], w["trade"]) for w in workers} == {(3, None, "hewer")}
    assert [w["worker_id"] for w in workers] == ["C", "M", "B", "A", "F"]
    leaders = ok(month_db, "honour", "--unit", "Mine", "--period", "1935-09", "--workers",
                 "--top", "2")  # fmt: skip
    assert leaders == workers[:2]  # the first rows as they stand on the whole board
    top_team = ok(month_db, "honour", "--unit", "Mine", "--period", "1935-09", "--top", "1")
    assert top_team == teams[:1]
    code, table, _ = cli(month_db, "honour", "--unit", "Mine", "--period", "1935-09", "--workers")
    assert code == 0 and "Ranked: workers with at least 3 shift(s) in the period" in table
    assert "hewer: hewing" in table  # the trades the rulebook declares, printed under the table
    loading = ["--period", "1935-09", "--operation", "loading"]
    assert ok(month_db, "honour", "--unit", "Mine", "--workers", *loading) == []
    assert [t["team"] for t in ok(month_db, "honour", "--unit", "Mine", *loading)] == [
        f"{S2}/Brigade 1"
    ]
    assert cli(month_db, "honour", "opt-out", "A", "--reason", "prefers not")[0] == 0
    masked = ok(month_db, "honour", "--unit", S1, "--period", "1935-09", "--workers", "--mask")
    assert [w["name"] for w in masked] == ["W. C.", "W. B.", "W. F."]
    assert all("worker_id" not in w for w in masked)  # an id would name them
    assert ok(month_db, "honour", "--unit", S1, "--period", "1935-09")[0]["workers"] == 6
    assert cli(month_db, "honour", "opt-in", "A")[0] == 0
    assert "Worker A" in {w["name"] for w in ok(month_db, "honour", "--unit", S1, "--workers")}
    assert cli(month_db, "honour", "opt-out", "NOBODY")[0] == 1
    assert cli(month_db, "honour", "--period", "1935-09")[0] == 2


def test_mentoring_against_the_historical_rule(month_db: str) -> None:
    for apprentice in ("M", "A"):
        ok(month_db, "mentoring", "link", "--master", "C", "--apprentice", apprentice,
           "--from", "1935-09-11")  # fmt: skip
    code, _, err = cli(month_db, "mentoring", "link", "--master", "C", "--apprentice", "M",
                       "--from", "1935-09-20")  # fmt: skip
    assert code == 1 and "already mentors" in err
    report = ok(month_db, "mentoring", "--as-of", "1935-09-30")
    rows = {r["apprentice_id"]: r for r in report["apprentices"]}
    m = rows["M"]
    assert (m["before_shifts"], m["before_fair_percent"]) == (8, "100.0")
    assert (m["after_shifts"], m["after_fair_percent"]) == (16, "200.0")
    assert Decimal(m["ratio"]) == 2
    assert (m["outcome"], rows["A"]["outcome"]) == ("doubled", "unchanged")
    (master,) = report["masters"]
    assert master == {
        "master_id": "C",
        "apprentices": 2,
        "expected_apprentices": 5,
        "doubled": 1,
        "improved": 0,
        "unchanged": 1,
        "worse": 0,
        "too_early": 0,
        "verdict": "did not work",
    }
    assert cli(month_db, "mentoring", "end", str(m["link_id"]), "--on", "1935-09-13")[0] == 0
    ended = ok(month_db, "mentoring", "--as-of", "1935-09-30")["apprentices"]
    m = next(r for r in ended if r["apprentice_id"] == "M")
    assert (m["to"], m["after_shifts"], m["outcome"]) == ("1935-09-13", 3, "doubled")


def _numbers(tally: Tally) -> dict[str, object]:
    """Every number of a tally, its shifts counted (the reference lists each result's
    percentage, the stored path none: standings never read them)."""
    found = dataclasses.asdict(tally)
    for listed in ("shift_percents", "reached", "shift_ids", "shift_count"):
        del found[listed]
    return found | {"shifts": tally.shifts, "hours": str(tally.hours)}


def _rows(report: competitions.Report) -> list[object]:
    rounds = [report.overall, *report.rounds]
    return [
        [(competitions.standing_rows(r, report.competition), [
            (s.rank, s.score, s.item[0], _numbers(s.item[1])) for s in r.standings
        ]) for r in rounds],
        report.banner, report.leaders, report.winners, report.finished,
    ]  # fmt: skip


def test_standings_and_mentoring_from_stored_results_equal_the_reference(
    month_db: str, tmp_path: Path
) -> None:
    import_plans(month_db, tmp_path)
    metrics = ("average-fulfilment", "quality-adjusted", "safety-gated", "plan-fulfilment")
    for metric in metrics:
        assert declare(month_db, metric, metric, S1, S2)[0] == 0
    for apprentice, day in (("M", 11), ("A", 20), ("B", 1)):
        ok(month_db, "mentoring", "link", "--master", "C", "--apprentice", apprentice,
           "--from", f"1935-09-{day:02d}")  # fmt: skip
    engine = make_engine(month_db)
    try:
        for metric in metrics:
            for as_of in (None, dt.date(1935, 9, 3), dt.date(1935, 9, 16)):
                got = competitions.report(engine, metric, as_of)
                expected = competitions.report(engine, metric, as_of, reference=True)
                assert _rows(got) == _rows(expected)
        assert any(s.item[1].shifts for s in got.overall.standings)
        for as_of, before in ((dt.date(1935, 9, 30), 30), (dt.date(1935, 9, 15), 7)):
            progress, masters = mentoring.report(engine, as_of, before)
            reference, expected_masters = mentoring.report(engine, as_of, before, True)
            assert [
                (mentoring.progress_dict(p), _numbers(p.before), _numbers(p.after))
                for p in progress
            ] == [
                (mentoring.progress_dict(p), _numbers(p.before), _numbers(p.after))
                for p in reference
            ]
            assert [mentoring.master_dict(m) for m in masters] == [
                mentoring.master_dict(m) for m in expected_masters
            ]
        assert any(p.after.shifts for p in progress)
    finally:
        engine.dispose()
