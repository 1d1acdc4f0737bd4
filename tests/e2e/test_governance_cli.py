"""The governance, plan, disclosure and simulation commands as scripts and people use them."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakhanov.cli.main import app
from tests.governance_ledgers import scenario
from tests.integration.helpers import mini_copy, write

pytestmark = pytest.mark.storage
runner = CliRunner()


def cli(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def loaded(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "scenario"
    for name, body in scenario().csv().items():
        write(folder, name, body)
    write(
        folder,
        "plans.csv",
        "unit,operation,period_start,period_end,target,unit_of_measure\n"
        "Mine/Section 1/Brigade 1,hewing,1936-03-01,1936-03-31,40,t\n"
        "Mine/Section 1/Brigade 2,hewing,1936-03-01,1936-03-31,40,t\n",
    )
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 0, err


def test_norms_listing_is_unchanged(db_url: str, tmp_path: Path) -> None:
    code, _, err = cli(db_url, "import", str(mini_copy(tmp_path)))
    assert code == 0, err
    code, out, _ = cli(db_url, "norms", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert set(rows[0]) == {
        "operation",
        "unit",
        "kind",
        "norm",
        "norm_hours",
        "includes",
        "max_rate",
        "effective_from",
        "method",
        "source",
        "per_hour",
    }
    code, out, _ = cli(db_url, "norms", "--on", "1935-08-31", "--json")
    norms = {(r["operation"], r["norm"]) for r in json.loads(out)}
    assert norms == {("hewing", "7"), ("turning", "3")}


def test_propose_decide_and_notice(db_url: str, tmp_path: Path) -> None:
    loaded(db_url, tmp_path)
    code, out, err = cli(
        db_url,
        "norms",
        "propose",
        "hewing",
        "--basis",
        "statistical",
        "--percentile",
        "75",
        "--period",
        "1936-03",
        "--reason",
        "review",
        "--by",
        "RS",
        "--on",
        "1936-04-01",
        "--json",
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["revision_id"] == 1 and document["proposed"]["norm"] == "6.60"
    assert document["statistical"]["excluded"]["own record"] == 1
    assert {w["worker_id"] for w in document["impact"]["workers"]} == {"A", "B", "C", "D", "F"}
    code, _, err = cli(
        db_url,
        "norms",
        "decide",
        "1",
        "--step",
        "director",
        "--decision",
        "approve",
        "--reason",
        "ok",
        "--on",
        "1936-04-02",
    )
    assert code == 1 and "next step is rate-setter" in err
    for step in ("rate-setter", "representatives", "director"):
        code, out, err = cli(
            db_url,
            "norms",
            "decide",
            "1",
            "--step",
            step,
            "--decision",
            "approve",
            "--reason",
            "ok",
            "--by",
            step,
            "--on",
            "1936-04-02",
            "--json",
        )
        assert code == 0, err
    assert json.loads(out)["effective_from"] == "1936-06-29"
    code, out, _ = cli(db_url, "norms", "show", "1", "--json")
    assert [d["step"] for d in json.loads(out)["decisions"]] == [
        "rate-setter",
        "representatives",
        "director",
    ]
    pdf = tmp_path / "notice.pdf"
    code, out, err = cli(
        db_url, "norms", "notice", "--worker", "A", "--on", "1936-04-03", "--pdf", str(pdf)
    )
    assert code == 0, err
    assert "Norm: 6 t per 6 h, in force since 1936-01-01" in out
    assert "Meeting it takes 1 t per hour of the shift" in out
    assert "Announced: from 1936-06-29 the norm is 6.6 t per 6 h" in out
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out, _ = cli(db_url, "norms", "notice", "--worker", "F", "--json")
    assert json.loads(out)["no_norm_of_its_own"] == [] and code == 0
    code, out, _ = cli(db_url, "norms", "notice", "--worker", "T1", "--json")
    assert json.loads(out)["no_norm_of_its_own"] == ["timbering"]
    code, _, err = cli(db_url, "norms", "notice", "--worker", "NOBODY")
    assert code == 1 and "unknown worker" in err


def test_worker_data_as_json_and_csv(db_url: str, tmp_path: Path) -> None:
    loaded(db_url, tmp_path)
    target = tmp_path / "a.csv"
    code, out, err = cli(db_url, "worker-data", "--worker", "A", "--json", "--csv", str(target))
    assert code == 0, err
    data = json.loads(out)
    assert (data["as_of"], data["from"]) == ("1936-03-02", "1935-12-04")
    shifts = [(s["shift_id"], s["percent"]) for s in data["shifts"]]
    assert shifts == [("S1", "100.0"), ("S2", "110.0")]
    assert Decimal(data["fulfilment"][0]["percent"]) == 105
    with target.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["shift_id"] for r in rows] == ["S1", "S2"] and rows[1]["output"] == "6.6"
    code, out, _ = cli(db_url, "worker-data", "--worker", "A", "--as-of", "1936-03-01", "--json")
    assert [s["shift_id"] for s in json.loads(out)["shifts"]] == ["S1"]


def test_plan_status_and_cascade(db_url: str, tmp_path: Path) -> None:
    loaded(db_url, tmp_path)
    code, out, err = cli(
        db_url, "plan", "status", "--period", "1936-03", "--as-of", "1936-03-31", "--json"
    )
    assert code == 0, err
    rows = {r["unit"]: r for r in json.loads(out)}
    assert {"unit", "operation", "target", "actual", "percent", "forecast"} <= set(rows["Mine"])
    # Brigade 1: A 12.6 + B 11.4 + E 24 (prepared, still produced) + F 12 = 60 t of 40.
    b1 = rows["Mine/Section 1/Brigade 1"]
    assert (b1["actual"], b1["percent"], b1["forecast"]) == ("60.0", "150.0", "60.0")
    # Brigade 2: C 13.8 + D 24 = 37.8 t. The mine's target is derived: 80 t.
    assert Decimal(rows["Mine"]["target"]) == 80
    assert Decimal(rows["Mine"]["actual"]) == Decimal("97.8")
    assert rows["Mine"]["derived"] is True
    code, out, err = cli(
        db_url,
        "plan",
        "cascade",
        "Mine/Section 1",
        "--operation",
        "hewing",
        "--period",
        "1936-04",
        "--target",
        "100",
        "--unit-of-measure",
        "t",
        "--reference",
        "1936-03",
        "--apply",
        "--json",
    )
    assert code == 0, err
    # Capacity in norm output: Brigade 1 hewed 6 shifts of 6 h (36 t at 100%; timberers'
    # hours are in the hewing norm), Brigade 2 4 shifts (24 t): 60 and 40 of 100.
    split = {r["unit"]: r["target"] for r in json.loads(out)}
    assert split == {"Mine/Section 1/Brigade 1": "60", "Mine/Section 1/Brigade 2": "40"}
    code, out, _ = cli(db_url, "plan", "status", "--period", "1936-04", "--json")
    assert {r["unit"]: r["target"] for r in json.loads(out)}["Mine/Section 1"] == "100"
    code, _, err = cli(
        db_url,
        "plan",
        "cascade",
        "Mine/Section 1",
        "--operation",
        "hewing",
        "--period",
        "1936-04",
        "--override",
        "Mine/Elsewhere=5",
    )
    assert code == 1 and "not below" in err


def test_policy_and_simulation(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("notice = 3\n")
    code, _, err = cli(db_url, "norms", "policy", "set", str(bad))
    assert code == 1 and "unknown key" in err
    good = tmp_path / "policy.toml"
    good.write_text('notice_days = 30\n[[steps]]\nrole = "director"\n')
    assert cli(db_url, "norms", "policy", "set", str(good))[0] == 0
    code, out, _ = cli(db_url, "norms", "policy", "--json")
    assert (
        json.loads(out)["notice_days"] == 30 and json.loads(out)["steps"][0]["role"] == "director"
    )
    code, out, _ = cli(db_url, "simulate", "ratchet", "--workers", "8", "--months", "6", "--json")
    summary = json.loads(out)["summary"]
    assert code == 0 and set(summary) == {"after-record", "governed"}


def test_a_revision_only_records_would_drive_shows_what_it_left_out(
    db_url: str, tmp_path: Path
) -> None:
    """Ordinary work at 100%; one worker's many record shifts, a prepared and an assisted one.

    With them, the median would be 150% (a raise); without them it is 100%: no change, nothing
    recorded, and the document says what was left out and why (exit 0).
    """
    from tests.governance_ledgers import Builder, norm

    build = Builder(norm("7"))
    for worker in ("A", "A", "B", "B"):
        build.shift(worker, "7")
    for _ in range(5):
        build.shift("R", "10.5")  # 150% each: R's own record
    build.shift("P", "21", prepared=True)
    build.shift("Q", "14", helpers=("T1",))  # stated 200%, fair 100%
    folder = tmp_path / "records"
    for name, body in build.csv().items():
        write(folder, name, body)
    assert cli(db_url, "import", str(folder))[0] == 0
    args = ("norms", "propose", "hewing", "--basis", "statistical", "--period", "1936-03")
    code, out, err = cli(db_url, *args, "--reason", "after the records", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["revision_id"] is None and document["proposed"]["norm"] == "7.00"
    stats = document["statistical"]
    assert stats["excluded"] == {"prepared": 1, "assisted": 1, "finding": 0, "own record": 5}
    assert {e["worker_id"] for e in stats["exclusions"] if e["reasons"] == ["own record"]} == {"R"}
    assert stats["distribution"]["count"] == 4 and Decimal(stats["value"]) == 100
    assert "nothing is recorded" in document["warnings"][-1]
    code, out, _ = cli(db_url, *args, "--reason", "after the records")
    assert code == 0 and "Excluded, never a ground for revision" in out
    assert cli(db_url, "norms", "revisions", "--json")[1].strip() == "[]"


def test_notice_flags_each_norm_that_does_not_fit_the_breaks_once(
    db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "works"
    write(
        folder, "workers.csv", "worker_id,name,unit,trade,grade\nL1,Turner,Works/Shop 1,turner,4\n"
    )
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "turning,part,time,3,,,21,1935-01-01,time study,card 7\n"
        "pressing,piece,output,100,8,,,1935-01-01,time study,study 3\n",
    )
    write(
        folder,
        "provenance.csv",
        "operation,effective_from,method,observations,pace_rating,allowances,evidence,approved_by\n"
        "pressing,1935-01-01,time study,40,100,12,study 3,engineer\n",
    )
    write(
        folder,
        "shifts.csv",
        "shift_id,date,hours,workplace,conditions,note\n"
        "T1,1935-09-02,8,Works/Shop 1,standard,\nT2,1935-09-03,10,Works/Shop 1,standard,\n"
        "T3,1935-09-04,8,Works/Shop 1,standard,\n",
    )
    write(
        folder,
        "output.csv",
        "shift_id,operation,quantity,unit,rejected\n"
        "T1,turning,150,part,\nT2,turning,190,part,\nT3,pressing,95,piece,\n",
    )
    write(
        folder,
        "crew.csv",
        "shift_id,worker_id,operation,hours,credited,coefficient\n"
        "T1,L1,turning,8,,\nT2,L1,turning,10,,\nT3,L1,pressing,8,,\n",
    )
    assert cli(db_url, "import", str(folder))[0] == 0
    code, out, _ = cli(db_url, "norms", "notice", "--worker", "L1", "--on", "1935-09-30", "--json")
    assert code == 0
    notice = json.loads(out)
    by_operation = {n["operation"]: n for n in notice["norms"]}
    # Pressing: 8 / (7.5 x 1.12) = 95.2% pace: fits. Turning: 20 parts an hour of the shift;
    # 160 / 7.5 = 21.333 and 200 / 9.25 = 21.622 per working hour, above its maximum of 21.
    assert [s["pace_percent"] for s in by_operation["pressing"]["shifts"]] == ["95.2"]
    assert by_operation["pressing"]["fits_breaks"] and by_operation["pressing"]["can_be_met"]
    assert [s["pace_percent"] for s in by_operation["turning"]["shifts"]] == ["106.7", "108.1"]
    assert not by_operation["turning"]["fits_breaks"] and not by_operation["turning"]["can_be_met"]
    assert notice["lines"][-1] == (
        "1 norm cannot be met at standard pace within the shift net of mandated breaks: turning."
    )
    # Every norm version has its provenance listed: recorded, or from its norms.csv row.
    code, out, _ = cli(db_url, "norms", "provenance", "--json")
    rows = {r["operation"]: r for r in json.loads(out)}
    assert code == 0 and set(rows) == {"pressing", "turning"}
    assert (rows["pressing"]["recorded"], rows["pressing"]["allowances"]) == (True, "12")
    assert (rows["turning"]["recorded"], rows["turning"]["method"]) == (False, "time study")
    assert rows["turning"]["source"] == "card 7"


def test_a_record_claimed_by_its_worker_is_left_out_even_under_the_fence(
    db_url: str, tmp_path: Path
) -> None:
    """A-D spread 80, 100, 120%: the fence is 120 + 1.5 x 40 = 180, above R's 150% record."""
    from tests.governance_ledgers import Builder, norm

    build = Builder(norm("7"))
    for worker in "ABCD":
        for tonnes in ("5.6", "7", "8.4"):
            build.shift(worker, tonnes)
    build.shift("R", "7")
    record = build.shift("R", "10.5")
    folder = tmp_path / "claimed"
    for name, body in build.csv().items():
        write(folder, name, body)
    assert cli(db_url, "import", str(folder))[0] == 0
    args = ("norms", "propose", "hewing", "--basis", "statistical", "--period", "1936-03")
    propose = (*args, "--percentile", "95", "--reason", "review", "--dry-run", "--json")
    before = json.loads(cli(db_url, *propose)[1])["statistical"]
    assert before["value"] == "150.0" and before["excluded"]["own record"] == 0
    assert cli(db_url, "records", "claim", record, "--worker", "R")[0] == 0
    pending = json.loads(cli(db_url, *propose)[1])["statistical"]
    assert Decimal(pending["value"]) == 120 and pending["excluded"]["own record"] == 1
    assert cli(db_url, "records", "verify", "C1", "--by", "Auditor", "--evidence", "scales")[0] == 0
    verified = json.loads(cli(db_url, *propose)[1])["statistical"]
    (excluded,) = verified["exclusions"]
    assert (excluded["shift_id"], excluded["reasons"]) == (record, ["own record"])
    assert "verified record, claim C1" in excluded["message"]


def test_a_record_attempt_with_declared_resources_is_left_out_as_prepared(
    db_url: str, tmp_path: Path
) -> None:
    """R's 120% shift reads `standard` in the ledger, but its record attempt was registered with
    extra resources, and the auditor found an assisted record: it is a prepared result."""
    from tests.governance_ledgers import Builder, norm

    build = Builder(norm("7"))
    for worker in "ABCD":
        for tonnes in ("5.6", "7", "8.4"):
            build.shift(worker, tonnes)
    record = build.shift("R", "8.4")
    folder = tmp_path / "declared"
    for name, body in build.csv().items():
        write(folder, name, body)
    assert cli(db_url, "import", str(folder))[0] == 0
    register = ("records", "register", "--worker", "R", "--operation", "hewing", "--shift", record)
    code, _, err = cli(db_url, *register, "--date", "1936-03-13", "--resources", "two extra tubs")
    assert code == 0, err
    assert cli(db_url, "records", "verify", "C1", "--by", "Auditor", "--evidence", "slips")[0] == 0
    args = ("norms", "propose", "hewing", "--basis", "statistical", "--period", "1936-03")
    statistical = json.loads(cli(db_url, *args, "--reason", "r", "--dry-run", "--json")[1])[
        "statistical"
    ]
    assert statistical["excluded"] == {"prepared": 1, "assisted": 0, "finding": 0, "own record": 0}
    (excluded,) = statistical["exclusions"]
    assert (excluded["shift_id"], excluded["reasons"]) == (record, ["prepared"])
    assert "declared for the record attempt (claim C1: two extra tubs)" in excluded["message"]
    assert statistical["distribution"]["count"] == 12
