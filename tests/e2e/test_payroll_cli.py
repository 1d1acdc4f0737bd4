"""The pay commands as scripts use them: the contract's keys, exit codes, PDF, what-if."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakhanov.cli.main import app
from stakhanov.domain.payslips import digest
from stakhanov.domain.periods import Period
from stakhanov.services import payroll
from stakhanov.store.db import make_engine
from tests.integration.helpers import mini_copy, write
from tests.pay import scale_text

pytestmark = pytest.mark.storage
runner = CliRunner()
AUGUST = ("--from", "1935-08-01", "--to", "1935-08-31")
EXTRA = (
    '[time_work]\nfraction = "1"\n[minimum_wage]\nhourly = "2.10"\n'
    '[[deductions]]\ncode = "union"\npercent = "1"\n'
)


def cli(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def ready(db_url: str, tmp_path: Path, percent: str = "stated") -> Path:
    code, _, err = cli(db_url, "import", str(mini_copy(tmp_path)))
    assert code == 0, err
    path = write(tmp_path / "scales", "test.toml", scale_text(EXTRA, percent=percent))
    code, out, err = cli(db_url, "scales", "import", str(path), "--json")
    assert code == 0, err
    assert json.loads(out)["scales"] == [{"scale": "test (1935-01-01)", "status": "added"}]
    return path


def test_show_prints_the_contract_keys_and_lines_add_up(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path)
    provisional = json.loads(cli(db_url, "payroll", "list", *AUGUST, "--json")[1])
    code, out, err = cli(db_url, "payroll", "close", *AUGUST, "--json")
    assert code == 0, err
    closed = json.loads(out)
    assert closed["slips"] == 6 and len(closed["digest"]) == 64
    code, out, _ = cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--json")
    assert code == 0
    slip = json.loads(out)
    assert {"worker_id", "currency", "gross", "lines"} <= set(slip)
    assert (slip["worker_id"], slip["currency"], slip["status"]) == ("H1", "RUB", "closed")
    for line in slip["lines"]:
        assert {"code", "quantity", "rate", "amount", "explain"} <= set(line)
        assert all(isinstance(line[k], str) for k in ("quantity", "rate", "amount"))
    assert isinstance(slip["gross"], str)

    assert sum(Decimal(line["amount"]) for line in slip["lines"]) == Decimal(slip["gross"])
    # 6 t (S2) + 102 t (S1) at the stated percent: 10.29 + 334.72.
    assert slip["gross"] == "345.01"
    assert [line["code"] for line in slip["lines"]] == ["piece", "piece", "tier-100", "tier-150"]
    code, out, _ = cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST)
    assert code == 0 and "Net pay: 341.56 RUB" in out
    code, out, _ = cli(db_url, "payroll", "list", *AUGUST, "--json")
    rows = json.loads(out)
    assert sum(Decimal(r["gross"]) for r in rows) == Decimal(closed["gross"])
    # Read from the locked slips' figures, it lists what the computed slips listed.
    assert rows == provisional and len(rows) == 6
    # Money keeps its kopecks everywhere: JSON, CSV and the table ("8.40", never "8.4").
    for row in rows:
        assert all(re.fullmatch(r"-?\d+\.\d\d", row[k]) for k in ("gross", "deducted", "net"))
    table = tmp_path / "slips.csv"
    assert cli(db_url, "payroll", "list", *AUGUST, "--csv", str(table))[0] == 0
    with table.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["gross"], r["deducted"], r["net"]) for r in written] == [
        (r["gross"], r["deducted"], r["net"]) for r in rows
    ]


def test_usage_and_data_errors(db_url: str, tmp_path: Path) -> None:
    path = ready(db_url, tmp_path)
    assert cli(db_url, "payroll", "close")[0] == 2
    assert cli(db_url, "payroll", "close", "--from", "1935-08-01")[0] == 2
    assert cli(db_url, "payroll", "show", *AUGUST)[0] == 2
    code, _, err = cli(db_url, "payroll", "show", "--worker", "NOBODY", *AUGUST)
    assert code == 1 and "no pay slip" in err
    bad = write(tmp_path, "bad.toml", scale_text("bonus = 1\n"))
    code, _, err = cli(db_url, "scales", "import", str(bad))
    assert code == 1 and "bad.toml:15:tiers[2].bonus: unknown key 'bonus'" in err
    code, out, _ = cli(db_url, "scales", "import", str(path))
    assert code == 0 and "nothing new" in out
    code, out, _ = cli(db_url, "scales", "list", "--json")
    assert json.loads(out)[0]["grades"] == {"5": "2.00", "4": "1.70"}


def test_a_worker_without_a_grade_of_the_scale_stops_the_close(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path)
    folder = tmp_path / "more"
    write(
        folder,
        "workers.csv",
        "worker_id,name,unit,trade,grade\nH3,Hewer Three,Mine/Section 1/Brigade 2,hewer,9\n",
    )
    assert cli(db_url, "import", str(folder), "--correct", "--reason", "re-weighed")[0] == 0
    code, _, err = cli(db_url, "payroll", "close", "--from", "1935-09-01", "--to", "1935-09-30")
    assert code == 1
    assert "workers.csv:2:grade: worker H3 has grade '9'" in err
    assert cli(db_url, "payroll", "periods", "--json")[1].strip() == "[]"


def test_pdf_slip_renders(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path, percent="auto")
    pdf = tmp_path / "h1.pdf"
    code, _, err = cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--pdf", str(pdf))
    assert code == 0, err
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    every = tmp_path / "all.pdf"
    assert cli(db_url, "payroll", "list", *AUGUST, "--pdf", str(every))[0] == 0
    if shutil.which("pdftotext") is not None:
        text = subprocess.run(
            ["pdftotext", str(every), "-"], capture_output=True, text=True, check=True
        ).stdout
        # Every page names the slip it belongs to, so a page of a long slip is never orphaned.
        footers = re.findall(
            r"Pay slip of .+ \((\w+)\), 1935-08-01 to 1935-08-31, page (\d+)", text
        )
        assert [int(page) for _, page in footers] == list(range(1, len(footers) + 1))
        assert {worker for worker, _ in footers} >= {"H1", "H2", "L1"}
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed: the page was not rasterised")
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(every), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 6  # one page (at least) per slip
    assert all(page.stat().st_size > 1000 for page in pages)


def test_whatif_writes_nothing_and_reports_the_change(db_url: str, tmp_path: Path) -> None:
    path = ready(db_url, tmp_path)
    code, out, err = cli(db_url, "payroll", "whatif", "--scale", str(path), *AUGUST, "--json")
    assert code == 0, err
    same = json.loads(out)
    assert same["total"]["change"] == "0.00" and same["losers"] == 0
    assert all(w["change"] == "0.00" for w in same["workers"])
    norms = write(
        tmp_path / "proposed",
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "hewing,t,output,14,6,timbering,40,1935-10-01,revision,after the record\n",
    )
    code, out, err = cli(db_url, "payroll", "whatif", "--norms", str(norms), *AUGUST, "--json")
    assert code == 0, err
    report = json.loads(out)
    h1 = next(w for w in report["workers"] if w["worker_id"] == "H1")
    # The norm doubles: H1's 108 t earn half the piece pay and fewer tiers.
    assert report["losers"] >= 2 and report["total"]["change"].startswith("-")
    assert (h1["old_percent"], h1["new_percent"]) == ("771.4", "385.7")
    needed = {n["operation"]: n for n in h1["needed"]}["hewing"]
    assert Decimal(needed["output"]) == 108 and Decimal(needed["needed"]) > 108
    assert {"minimum_wage_make_up", "above_150_percent", "above_200_percent"} <= set(report)
    assert h1["old_minimum_wage_make_up"] is False and h1["minimum_wage_make_up"] is False
    # A proposal file keeps whatever name the director gave it; errors name that file.
    renamed = write(tmp_path / "proposed", "norms-after-record.csv", norms.read_text())
    code, out, err = cli(db_url, "payroll", "whatif", "--norms", str(renamed), *AUGUST, "--json")
    assert code == 0, err
    assert json.loads(out) == report
    broken = write(tmp_path / "proposed", "draft.csv", "operation,unit,kind,norm\n")
    code, _, err = cli(db_url, "payroll", "whatif", "--norms", str(broken), *AUGUST)
    assert code == 1 and "draft.csv:1:effective_from: required column is missing" in err
    code, out, _ = cli(db_url, "payroll", "periods", "--json")
    assert json.loads(out) == []  # nothing was closed or written


def test_the_reference_close_locks_the_slips_the_engine_computes(
    db_url: str, tmp_path: Path
) -> None:
    """`--engine reference` computes row by row by the domain: the same slips, the same digest
    as the set-based engine, which computes the open period's provisional slips."""
    ready(db_url, tmp_path)
    engine = make_engine(db_url)
    period = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))
    provisional = payroll.slips(engine, period)
    assert provisional.closed is None and provisional.slips
    assert cli(db_url, "payroll", "close", *AUGUST, "--engine", "nowhere")[0] == 2
    code, out, err = cli(db_url, "payroll", "close", *AUGUST, "--engine", "reference", "--json")
    assert code == 0, err
    assert json.loads(out)["digest"] == digest(provisional.slips)
    assert payroll.slips(engine, period).slips == provisional.slips
    engine.dispose()


def test_check_lists_what_blocks_and_close_needs_an_override(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path)
    september = ("--from", "1935-09-01", "--to", "1935-09-30")
    code, out, err = cli(db_url, "payroll", "check", *september, "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found["clear"] is False and found["closed"] is False
    assert {(b["kind"], b["subject"]) for b in found["blockers"]} == {
        ("pooled", "S3"),
        ("implausible", "S5"),
    }
    code, out, err = cli(db_url, "payroll", "check", *september)
    assert code == 0 and "implausible" in out and "S5" in out
    code, _, err = cli(db_url, "payroll", "close", *september)
    assert code == 1 and "block its lock" in err and "implausible S5" in err
    assert json.loads(cli(db_url, "payroll", "periods", "--json")[1]) == []
    code, out, err = cli(
        db_url, "payroll", "close", *september, "--override", "re-weighed", "--json"
    )
    assert code == 0, err
    slip = json.loads(cli(db_url, "payroll", "show", *september, "--worker", "H3", "--json")[1])
    s5 = [line for line in slip["lines"] if line["key"].startswith("piece:S5:")]
    assert s5 and "locked with override: re-weighed" in s5[0]["explain"]
    code, out, _ = cli(db_url, "payroll", "check", *september, "--json")
    assert json.loads(out)["closed"] is True


def test_list_searches_by_worker_and_totals_deductions(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path)
    code, out, err = cli(db_url, "payroll", "list", *AUGUST, "--search", "hewer one", "--json")
    assert code == 0, err
    assert [r["worker_id"] for r in json.loads(out)] == ["H1"]
    code, out, _ = cli(db_url, "payroll", "list", *AUGUST, "--search", "h1")
    assert code == 0 and "1 slips in RUB" in out and "deductions" in out
