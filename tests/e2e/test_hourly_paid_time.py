"""Hourly work entered in time.csv (kind `hourly`), stored and paid on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.commands import ok
from tests.e2e.test_payroll_two_scales import APRIL, FIXTURE, HAND

pytestmark = pytest.mark.storage


def test_an_hourly_day_is_paid_as_time_work_without_a_crew(db_url: str, tmp_path: Path) -> None:
    folder = shutil.copytree(FIXTURE, tmp_path / "pay")
    with (folder / "ledger" / "time.csv").open("a") as csv:
        csv.write("P1,2025-04-10,hourly,pressing,2,press set-up\n")
    with (folder / "scales" / "press.toml").open("a") as toml:
        toml.write('[time_work]\nfraction = "1"\n')
    ok(db_url, "import", str(folder / "ledger"))
    ok(db_url, "scales", "import", str(folder / "scales"))
    ok(db_url, "payroll", "close", *APRIL)
    found = ok(db_url, "payroll", "show", "--worker", "P1", *APRIL)
    lines = {line["key"]: line["amount"] for line in found["lines"]}
    # 2 h x tariff 22.50 x 1 = 45.00; every other line as the hand has it.
    assert lines == {**HAND["P1"][0], "hourly:2025-04-10:pressing": "45.00"}
    hourly = next(line for line in found["lines"] if line["code"] == "hourly")
    assert "hourly work without measured output: 2 h x tariff 22.50 x 1 = 45" in hourly["explain"]
    assert sum(Decimal(line["amount"]) for line in found["lines"]) == Decimal(found["gross"])
