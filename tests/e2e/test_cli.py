"""The CLI as scripts use it: docs/contract.md keys, exit codes 0/1/2, nothing written on errors."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakhanov.cli.main import app
from tests.integration.helpers import append, mini_copy

pytestmark = pytest.mark.storage
runner = CliRunner()

FULFILMENT_KEYS = {
    "operation",
    "shifts",
    "hours",
    "output",
    "unit",
    "norm_output",
    "percent",
    "fair_percent",
}


def cli(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def imported(db_url: str, tmp_path: Path) -> Path:
    folder = mini_copy(tmp_path)
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 0, err
    return folder


def test_fulfilment_json_by_worker(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    code, out, _ = cli(
        db_url,
        "fulfilment",
        "--from",
        "1935-08-01",
        "--to",
        "1935-09-30",
        "--by",
        "worker",
        "--json",
    )
    assert code == 0
    rows = {(r["worker_id"], r["operation"]): r for r in json.loads(out)}
    assert FULFILMENT_KEYS | {"worker_id"} <= set(rows[("H1", "hewing")])
    h1 = rows[("H1", "hewing")]
    # S1 102/7 x 6 + S2 6/7 x 6 + S3 18/8 x 6 standard hours over 18 h.
    assert (h1["percent"], h1["fair_percent"]) == ("589.3", "179.2")
    assert (h1["shifts"], h1["hours"], h1["output"], h1["unit"]) == (3, "18", "126", "t")
    assert rows[("L1", "turning")]["percent"] == "125.0"
    assert rows[("P1", "assist")]["percent"] is None


def test_fulfilment_by_shift_has_shift_id(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    code, out, _ = cli(
        db_url, "fulfilment", "--period", "1935-08-31..1935-08-31", "--by", "shift", "--json"
    )
    assert code == 0
    rows = {(r["shift_id"], r["worker_id"], r["operation"]): r for r in json.loads(out)}
    record = rows[("S1", "H1", "hewing")]
    assert (record["percent"], record["fair_percent"]) == ("1457.1", "364.3")
    assert set(rows) == {
        ("S1", w, op)
        for w, op in (("H1", "hewing"), ("T1", "timbering"), ("T2", "timbering"), ("P1", "assist"))
    }


@pytest.mark.parametrize("grouping", ["brigade", "unit", "operation"])
def test_group_keys(db_url: str, tmp_path: Path, grouping: str) -> None:
    imported(db_url, tmp_path)
    code, out, _ = cli(db_url, "fulfilment", "--period", "1935", "--by", grouping, "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    for row in rows:
        assert set(row) >= FULFILMENT_KEYS and "worker_id" not in row
    if grouping == "brigade":
        brigade = {r["unit"]: r for r in rows if r["operation"] == "hewing"}
        assert set(brigade) == {"Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2"}
        assert brigade["Mine/Section 1/Brigade 2"]["quantity_unit"] == "t"
    if grouping == "operation":
        turning = next(r for r in rows if r["operation"] == "turning")
        assert (turning["unit"], turning["norm_output"], turning["percent"]) == (
            "part",
            "160",
            "125.0",
        )


def test_audit_json(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    code, out, _ = cli(db_url, "audit", "--json")
    assert code == 0
    found = [(f["kind"], f["shift_id"], f["operation"], f["worker_ids"]) for f in json.loads(out)]
    assert found == [
        ("assisted", "S1", "hewing", ["H1", "P1", "T1", "T2"]),
        ("prepared", "S1", "hewing", ["H1", "P1", "T1", "T2"]),
        ("pooled", "S3", "hewing", ["H1", "H2"]),
        ("implausible", "S5", "hewing", ["H3"]),
    ]
    assert all(
        set(f) >= {"kind", "shift_id", "operation", "worker_ids", "message"}
        for f in json.loads(out)
    )


def test_invalid_data_exits_1_with_located_errors_and_writes_nothing(
    db_url: str, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    append(folder, "output.csv", "S4,turning,12,t,")
    code, out, err = cli(db_url, "import", str(folder))
    assert code == 1
    assert "output.csv:7:operation: duplicate of row 5 (S4, turning)" in err
    assert "nothing was written" in err
    code, out, _ = cli(db_url, "workers", "--json")
    assert json.loads(out) == []


def test_the_readme_s_rejected_import(db_url: str) -> None:
    """README shows this run on tests/fixtures/broken word for word."""
    broken = Path(__file__).parent.parent / "fixtures" / "broken"
    code, _, err = cli(db_url, "import", str(broken))
    assert code == 1
    assert err.splitlines() == [
        "shifts.csv:7:date: must be an ISO date like 1935-08-31",
        "crew.csv:13:worker_id: unknown worker 'NOBODY'",
        "crew.csv:14:hours: must be more than 0",
        "3 problems; nothing was written",
    ]
    assert json.loads(cli(db_url, "workers", "--json")[1]) == []


def test_usage_errors_exit_2(db_url: str) -> None:
    assert cli(db_url, "fulfilment", "--period", "1935-13")[0] == 2
    assert cli(db_url, "fulfilment", "--by", "moon")[0] == 2
    assert cli(db_url, "audit", "--period", "1935", "--from", "1935-01-01")[0] == 2


@pytest.mark.parametrize("url", ["bogus://x", "not a url", "mysql://nobody@localhost/none"])
def test_a_database_url_that_cannot_be_used_is_a_usage_error(url: str) -> None:
    code, out, err = cli(url, "workers")
    assert code == 2 and not out
    assert err.startswith(f"--db: cannot use {url!r}")


def test_a_csv_file_that_cannot_be_written_is_a_usage_error(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    for command in (["fulfilment"], ["audit"], ["workers"], ["norms"], ["history"]):
        code, _, err = cli(db_url, *command, "--csv", str(tmp_path / "no" / "such" / "x.csv"))
        assert code == 2, command
        assert "--csv: cannot write" in err and "Traceback" not in err


def test_correct_flag_and_second_import(db_url: str, tmp_path: Path) -> None:
    folder = imported(db_url, tmp_path)
    code, out, _ = cli(db_url, "import", str(folder), "--json")
    assert code == 0 and json.loads(out)["changed"] is False
    path = folder / "workers.csv"
    path.write_text(
        path.read_text().replace(
            "Hewer Three,Mine/Section 1/Brigade 2", "Hewer Three,Mine/Section 1/Brigade 1"
        )
    )
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 1 and "workers.csv:4:unit: conflicts with the stored row" in err
    code, out, _ = cli(db_url, "import", str(folder), "--correct", "--reason", "transfer", "--json")
    assert code == 0
    assert {f["file"]: f["corrected"] for f in json.loads(out)["files"]}["workers.csv"] == 1
    code, out, _ = cli(db_url, "workers", "--unit", "Mine/Section 1/Brigade 2", "--json")
    assert json.loads(out) == []


def test_csv_export_and_lists(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    target = tmp_path / "out.csv"
    code, _, _ = cli(db_url, "fulfilment", "--by", "worker", "--csv", str(target))
    assert code == 0
    with target.open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["worker_id"] for r in rows} >= {"H1", "H2", "L1"}
    code, out, _ = cli(db_url, "norms", "--on", "1935-09-15", "--json")
    norms = {n["operation"]: n for n in json.loads(out)}
    assert norms["hewing"]["norm"] == "8" and norms["turning"]["per_hour"] == "20"
    code, out, _ = cli(db_url, "workers")
    assert code == 0 and "Hewer One" in out


def test_history_lists_every_claim_with_percent() -> None:
    result = runner.invoke(app, ["history", "--json"])
    claims = {c["claim_id"]: c for c in json.loads(result.stdout)}
    assert len(claims) == 23
    assert claims["stakhanov-1935-08-31-n7"]["percent"] == "1457.1"
    assert claims["stakhanov-1935-08-31-n6"]["percent"] == "1700.0"
    assert claims["stakhanov-1935-08-31-545"]["percent"] is None
    assert claims["best-mines-1935"]["percent"] == "253.8"
    assert claims["stakhanov-1935-08-31-n7"]["source"] == "000_f786a4ba61eb6e9e.txt:4"


def test_demo_builds_and_reports_the_record(db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        args = [
            sys.executable,
            "-m",
            "stakhanov",
            "demo",
            "--file",
            str(tmp_path / "d.db"),
            "--json",
        ]
    else:
        args = [sys.executable, "-m", "stakhanov", "--db", db_url, "demo", "--json"]
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    first = next(r for r in report["records"] if r["date"] == "1935-08-31")
    assert (first["output"], first["percent"], first["fair_percent"]) == ("102", "1457.1", "364.3")
    assert report["findings"]["pooled"] >= 1 and report["findings"]["prepared"] == 3
    plan = {row["unit"]: row for row in report["plan"]}
    mine = plan["Central-Irmino"]
    sections = [row for unit, row in plan.items() if unit != "Central-Irmino"]
    target, actual = Decimal(mine["target"]), Decimal(mine["actual"])
    assert target == sum(Decimal(row["target"]) for row in sections)
    assert actual == sum(Decimal(row["actual"]) for row in sections)
    assert Decimal(mine["percent"]) == (actual / target * 100).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    revision = report["revision"]
    records = [e for e in revision["statistical"]["exclusions"] if e["worker_id"] == "W001"]
    assert {tuple(e["reasons"]) for e in records if Decimal(e["fair_percent"]) > 300} == {
        ("prepared", "assisted")
    }
    pay = report["pay"]
    assert [p["from"] for p in pay["periods"]] == ["1935-08-01", "1935-09-01"]
    record, ordinary = pay["slips"]
    assert (record["worker_id"], ordinary["worker_id"]) == ("W001", "W005")
    day = {line["code"]: line["amount"] for line in record["record_day_lines"]}
    assert day == {
        "piece": "113.66",
        "tier-100": "41.23",
        "tier-150": "33.43",
        "record-shift": "50.00",
    }
    claims = {c["claim_id"]: c for c in report["claims"]}
    for day in ("1935-08-31", "1935-09-09", "1935-09-19"):
        record = claims[f"R-{day}"]
        assert (record["status"], record["pre_registered"]) == ("assisted", "yes")
    assert (claims["R-1935-08-31"]["percent"], claims["R-1935-08-31"]["fair_percent"]) == (
        "1457.1",
        "364.3",
    )
    staged = [c for c in report["claims"] if c["first_try"].startswith("blocked")]
    assert len(staged) == 2 and {c["status"] for c in staged} == {"rejected"}
    assert "verified" in {c["status"] for c in report["claims"]}
    assert report["titles"]["shock-worker"] > 0 and len(report["title_exclusions"]) == 2
    assert len(report["competition"]["standings"]) == 4 and report["competition"]["winners"]
    assert report["honour_board"][0]["rank"] == 1 and "fair_percent" in report["honour_board"][0]
    (paid,) = report["september_award_lines"]
    assert (paid["code"], paid["amount"]) == ("award:record", "500.00")
    again = subprocess.run(
        [sys.executable, "-m", "stakhanov", "--db", db_url, "demo"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    if not db_url.startswith("sqlite"):
        assert again.returncode == 1 and "already holds data" in again.stderr
        return
    assert again.returncode == 0, again.stderr
    told = re.search(r"forecast was (\S+) t", " ".join(again.stdout.split()))
    assert told and Decimal(told[1]) > 0, again.stdout
    assert "." not in told[1] or not told[1].endswith("0"), told[1]  # no trailing zeros


def test_audit_review_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    code, out, err = cli(
        db_url,
        "audit",
        "review",
        "S3",
        "--kind",
        "pooled",
        "--operation",
        "hewing",
        "--decision",
        "upheld",
        "--reason",
        "H2 hewed 6 t",
        "--by",
        "auditor-1",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["status"] == "upheld"
    code, out, _ = cli(db_url, "audit", "--status", "open", "--json")
    assert [(f["kind"], f["shift_id"]) for f in json.loads(out)] == [
        ("assisted", "S1"),
        ("prepared", "S1"),
        ("implausible", "S5"),
    ]
    code, out, _ = cli(db_url, "audit", "--kind", "pooled", "--json")
    (pooled,) = json.loads(out)
    assert pooled["review"] == {
        "decision": "upheld",
        "reason": "H2 hewed 6 t",
        "reviewer": "auditor-1",
    }
    code, _, err = cli(
        db_url, "audit", "review", "S1", "--kind", "pooled", "--decision", "upheld", "--reason", "x"
    )
    assert code == 1 and "no pooled finding on S1" in err


def test_void_reverses_a_shift_with_its_output_and_crew(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path)
    code, out, err = cli(db_url, "void", "S5", "--reason", "entered twice", "--json")
    assert code == 0, err
    assert json.loads(out) == {"shift_id": "S5", "batch_id": 2, "output_rows": 1, "crew_rows": 1}
    code, out, _ = cli(db_url, "audit", "--kind", "implausible", "--json")
    assert json.loads(out) == []
    code, out, _ = cli(db_url, "fulfilment", "--by", "shift", "--json")
    assert "S5" not in {r["shift_id"] for r in json.loads(out)}
    assert cli(db_url, "void", "S5", "--reason", "again")[0] == 1
    assert cli(db_url, "void", "S4", "--reason", " ")[0] == 1


def test_a_voided_shift_stays_void_when_the_same_files_are_imported_again(
    db_url: str, tmp_path: Path
) -> None:
    folder = imported(db_url, tmp_path)
    assert cli(db_url, "void", "S5", "--reason", "entered by mistake")[0] == 0
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 1
    assert err.startswith("shifts.csv:6:shift_id: shift S5 was voided")
    code, out, _ = cli(db_url, "fulfilment", "--by", "shift", "--json")
    assert "S5" not in {r["shift_id"] for r in json.loads(out)}
    code, _, err = cli(db_url, "import", str(folder), "--correct", "--reason", "it was real")
    assert code == 0, err
    code, out, _ = cli(db_url, "audit", "--kind", "implausible", "--json")
    assert [f["shift_id"] for f in json.loads(out)] == ["S5"]


def test_a_table_rounds_long_quotients_while_json_keeps_them(db_url: str, tmp_path: Path) -> None:
    """7 h of the 8 t / 6 h norm is 9.333... t: a table shows 9.333, JSON six decimals."""
    folder = imported(db_url, tmp_path)
    append(folder, "shifts.csv", "S9,1935-09-04,7,Mine/Section 1/Brigade 2,standard,")
    append(folder, "output.csv", "S9,hewing,9,t,")
    append(folder, "crew.csv", "S9,H2,hewing,7,,")
    assert cli(db_url, "import", str(folder))[0] == 0
    code, out, _ = cli(db_url, "fulfilment", "--period", "1935-09-04", "--by", "shift")
    assert code == 0 and "9.333" in out and "9.3333333" not in out
    rows = json.loads(cli(db_url, "fulfilment", "--period", "1935-09-04", "--json")[1])
    assert (rows[0]["norm_output"], rows[0]["percent"]) == ("9.333333", "96.4")
