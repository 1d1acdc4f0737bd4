"""`scales show` and the what-if point out where a plan's pay falls as output rises."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.test_payroll_cli import AUGUST, EXTRA, cli, ready
from tests.integration.helpers import write

pytestmark = pytest.mark.storage

FALLING = (
    'name = "test"\neffective_from = "1935-01-01"\ncurrency = "RUB"\nplan = "differential"\n'
    'grades = { "5" = "2.00", "4" = "1.70" }\n' + EXTRA + "[[tiers]]\nabove = 83\n"
    'multiplier = "0.9"\n[plan_terms]\nallow_falling = true\nfalling_reason = "a trial band"\n'
)
FALLS = "pay falls at 83% of the norm: outputs from 83% up to 92.2% earn less than just below it"


def test_show_and_whatif_name_where_pay_falls(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path)
    proposal = write(tmp_path / "proposed", "falling.toml", FALLING)
    code, out, err = cli(db_url, "scales", "show", str(proposal), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["plan"], shown["falls"]) == ("differential", [FALLS])
    assert shown["plan_terms"]["falling_reason"] == "a trial band"
    code, out, err = cli(db_url, "scales", "show", "test", "--json")  # the stored one
    assert code == 0, err
    assert (json.loads(out)["plan"], json.loads(out)["falls"]) == ("marginal", [])
    code, out, err = cli(db_url, "scales", "list")
    assert code == 0 and "marginal" in out, err
    code, out, err = cli(db_url, "scales", "list", "--json")
    assert json.loads(out)[0]["plan"] == "marginal" and json.loads(out)[0]["rates"] == []
    code, out, err = cli(db_url, "payroll", "whatif", "--scale", str(proposal), *AUGUST, "--json")
    assert code == 0, err
    assert json.loads(out)["falls"] == [FALLS]
    code, out, err = cli(db_url, "payroll", "whatif", "--scale", str(proposal), *AUGUST)
    assert code == 0, err
    assert "The proposed scale: pay falls at 83%" in out
    refused = write(tmp_path / "proposed", "refused.toml", FALLING.split("[plan_terms]")[0])
    code, _, err = cli(db_url, "scales", "show", str(refused))
    assert code == 1 and "refused.toml:4:plan: pay falls at 83%" in err


def test_a_halsey_scale_closes_and_explains_each_line(db_url: str, tmp_path: Path) -> None:
    ready(db_url, tmp_path)
    halsey = FALLING.split("plan =")[0].replace("1935-01-01", "1935-08-01")
    halsey += 'plan = "halsey"\ngrades = { "5" = "2.00", "4" = "1.70" }\n' + EXTRA
    halsey += '[plan_terms]\nshare = "50"\n'
    path = write(tmp_path / "scales", "halsey.toml", halsey)
    code, _, err = cli(db_url, "scales", "import", str(path))
    assert code == 0, err
    code, out, err = cli(db_url, "payroll", "close", *AUGUST, "--json")
    assert code == 0, err
    code, out, _ = cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--json")
    slip = json.loads(out)
    assert sum(Decimal(line["amount"]) for line in slip["lines"]) == Decimal(slip["gross"])
    record = next(line for line in slip["lines"] if "S1" in line["explain"])
    # The record shift was assisted and percent is auto: S is the crew's fair share, 102 t of
    # a 28 t norm share for 6 h = 21.857143 h. 6 x 2 = 12 + (21.857143 - 6) x 50% x 2 =
    # 15.857143; 27.857143 -> 27.86.
    assert record["code"] == "piece" and record["amount"] == "27.86"
    assert "Halsey: time wage 6 h x 2.00 = 12" in record["explain"]
    assert "the plan counts the fair 364.3%" in record["explain"]
