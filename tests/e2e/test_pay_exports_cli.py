"""`payroll export` and `fair-rate` as scripts use them, on the hand-checked mini ledger."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.commands import cli, ok
from tests.e2e.test_payroll_cli import AUGUST, ready
from tests.integration.helpers import write

pytestmark = pytest.mark.storage


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_closed_period_exports_its_lines_journal_and_bank_list(
    db_url: str, tmp_path: Path
) -> None:
    ready(db_url, tmp_path)
    closed = ok(db_url, "payroll", "close", *AUGUST)
    slips = ok(db_url, "payroll", "list", *AUGUST)
    refs = write(
        tmp_path,
        "refs.csv",
        "worker_id,bank_reference\n"
        + "".join(f"{s['worker_id']},GB-{s['worker_id']}\n" for s in slips),
    )
    out = {name: tmp_path / f"{name}.csv" for name in ("lines", "journal", "bank")}
    result = ok(
        db_url,
        "payroll",
        "export",
        *AUGUST,
        "--lines",
        str(out["lines"]),
        "--journal",
        str(out["journal"]),
        "--bank",
        str(out["bank"]),
        "--references",
        str(refs),
    )
    lines = _rows(out["lines"])
    assert (
        result["lines"]["rows"]
        == len(lines)
        == sum(s["lines"] for s in slips) + sum(1 for r in lines if r["section"] == "deduction")
    )
    for slip in slips:
        shown = ok(db_url, "payroll", "show", "--worker", slip["worker_id"], *AUGUST)
        exported = [r for r in lines if r["worker_id"] == slip["worker_id"]]
        assert [(r["code"], r["amount"], r["explain"]) for r in exported] == [
            (line["code"], line["amount"], line["explain"])
            for line in shown["lines"] + shown["deductions"]
        ]
    journal = _rows(out["journal"])
    debit = sum(Decimal(r["debit"] or 0) for r in journal)
    credit = sum(Decimal(r["credit"] or 0) for r in journal)
    assert debit == credit == Decimal(closed["gross"])
    assert result["journal"]["totals"] == {"RUB": {"debit": str(debit), "credit": str(credit)}}
    net = sum(Decimal(r["credit"]) for r in journal if r["account"] == "net-pay-payable")
    bank = _rows(out["bank"])
    assert sum(Decimal(r["amount"]) for r in bank) == net == Decimal(closed["net"])
    assert {r["bank_reference"] for r in bank} == {f"GB-{r['worker_id']}" for r in bank}
    assert {r["cost_centre"] for r in journal} >= {"Mine/Section 1/Brigade 1", "Works/Shop 1"}

    book = tmp_path / "journal.xlsx"
    code, _, err = cli(db_url, "payroll", "export", *AUGUST, "--journal", str(book))
    assert code == 0, err
    sheet = load_workbook(book).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("date", "reference", "cost_centre", "account") and len(rows) == 1 + len(
        journal
    )


def test_exports_refuse_an_open_period_a_missing_reference_and_a_bad_accounts_file(
    db_url: str, tmp_path: Path
) -> None:
    ready(db_url, tmp_path)
    target = tmp_path / "out.csv"
    code, _, err = cli(db_url, "payroll", "export", *AUGUST, "--journal", str(target))
    assert code == 1 and "not a closed pay period" in err and not target.exists()
    ok(db_url, "payroll", "close", *AUGUST)
    refs = write(tmp_path, "refs.csv", "worker_id,bank_reference\nH1,GB-H1\n")
    code, _, err = cli(
        db_url, "payroll", "export", *AUGUST, "--bank", str(target), "--references", str(refs)
    )
    assert code == 1 and "refs.csv:0:worker_id: no bank reference for worker 'H2'" in err
    assert not target.exists()
    code, _, err = cli(db_url, "payroll", "export", *AUGUST, "--bank", str(target))
    assert code == 2 and "--references" in err
    accounts = write(tmp_path, "accounts.toml", 'earnings = "5000"\nwages = "1"\n')
    code, _, err = cli(
        db_url, "payroll", "export", *AUGUST, "--journal", str(target), "--accounts", str(accounts)
    )
    assert code == 1 and "accounts.toml:2:wages: unknown key" in err
    accounts = write(tmp_path, "accounts.toml", 'earnings = "5000"\n[codes]\nunion = "2310"\n')
    result = ok(
        db_url, "payroll", "export", *AUGUST, "--journal", str(target), "--accounts", str(accounts)
    )
    assert result["journal"]["rows"] > 0
    assert {r["account"] for r in _rows(target)} == {"5000", "2310", "net-pay-payable"}


def test_fair_rate_counts_the_helpers_hours_and_checks_the_rates_paid(
    db_url: str, tmp_path: Path
) -> None:
    ready(db_url, tmp_path)
    found = ok(db_url, "fair-rate", "--operation", "hewing", *AUGUST, "--minimum-wage", "1.11")
    # August hewing: S1 (102 t, H1 6 h, helped by T1, T2 timbering and P1 assisting, 6 h each)
    # and S2 (15 t by H1 and H2, 6 h each): 117 t in 18 + 18 hours.
    assert (found["output"], found["hours"], found["mean_hourly_output"]) == (
        "117.000",
        "36",
        "3.25",
    )
    assert found["fair_rate"] == "0.409846"  # 1.2 x 1.11 / 3.25 = 0.40984615..., shown to six
    assert found["least_rate"] == "0.41"
    h1 = next(w for w in found["workers"] if w["worker_id"] == "H1")
    assert Decimal(h1["hours_treated_as_worked"]) == Decimal("39.876923")  # 1.2 x 108 / 3.25
    assert found["rates"] == []
    ok(db_url, "payroll", "close", *AUGUST)
    paid = ok(db_url, "fair-rate", "--operation", "hewing", *AUGUST, "--minimum-wage", "1.11")
    # The test scale pays grade 5 at 2.00 an hour: 2.00 x 6 / 7 = 1.714286 a tonne.
    assert [(r["rate"], r["fair"]) for r in paid["rates"]] == [("1.714286", True)]
    low = ok(db_url, "fair-rate", "--operation", "hewing", *AUGUST, "--minimum-wage", "5")
    assert [r["fair"] for r in low["rates"]] == [False]
    assert Decimal(low["rates"][0]["shortfall"]) > 0
    # Without --minimum-wage, the [minimum_wage] of the scale paying hewing (2.10 an hour).
    assert ok(db_url, "fair-rate", "--operation", "hewing", *AUGUST)["minimum_wage"] == "2.10"
    # Brigade 2 hewed only in September: in August it has no output of its own to measure.
    within = ("--within", "Mine/Section 1/Brigade 2", "--minimum-wage", "1")
    code, _, err = cli(db_url, "fair-rate", "--operation", "hewing", *AUGUST, *within)
    assert code == 1 and "within Mine/Section 1/Brigade 2" in err
    brigade = ok(db_url, "fair-rate", "--operation", "hewing", "--period", "1935-09", *within)
    assert {w["worker_id"] for w in brigade["workers"]} <= {"H1", "H2", "H3"}
    assert brigade["output"] != found["output"]
    code, _, err = cli(db_url, "fair-rate", "--operation", "sawing", *AUGUST, "--minimum-wage", "1")
    assert code == 1 and "no output of 'sawing'" in err
