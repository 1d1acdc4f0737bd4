"""Idle time by its cause (art. 157) and overtime over an accounting period (art. 104, 152) on
SQLite and PostgreSQL: the average wage is read from the closed, locked slips and the hours of
the ledger; the quarter's earlier hours from the ledger. Worked out by hand in
docs/rule-packs.md: grade 5 at 200.00 an hour, a norm of 10 t an hour, so 20.00 a tonne."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from stakhanov.services.chain import verify_ledger
from stakhanov.store.db import make_engine
from tests.commands import cli, ok
from tests.integration import chain_tampering as tamper
from tests.integration.helpers import write

pytestmark = pytest.mark.storage

SCALE = """
name = "mine"
effective_from = "2026-01-01"
{periods}
[pack]
name = "ru-labour-code"
version = "2026.2"
[grades]
"5" = "200.00"
"""
FILES = {
    "workers.csv": "worker_id,name,unit,trade,grade\nP,Hewer,Mine/Section 1,hewer,5\n",
    "norms.csv": "operation,unit,kind,norm,norm_hours,effective_from\n"
    "hewing,t,output,10,1,2020-01-01\n",
    "shifts.csv": "shift_id,date,hours,workplace\nJ1,2026-01-13,8,Mine/Section 1\n"
    "F1,2026-02-10,8,Mine/Section 1\n",
    "output.csv": "shift_id,operation,quantity,unit\nJ1,hewing,100,t\nF1,hewing,90,t\n",
    "crew.csv": "shift_id,worker_id,operation,hours,credited\nJ1,P,hewing,8,100\n"
    "F1,P,hewing,8,90\n",
    # January's idle beyond both parties is left out of the average with its pay; March's idle.
    "time.csv": "worker_id,date,kind,operation,hours,note,cause\n"
    "P,2026-01-14,idle,hewing,2,no power,neither\n"
    "P,2026-03-10,idle,hewing,6,the lava stopped,employer\n"
    "P,2026-03-11,idle,hewing,1,late,worker\n",
}


def imported(db_url: str, folder: Path, periods: str = "") -> None:
    for name, content in FILES.items():
        write(folder, name, content)
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 0, err
    scale = write(folder.parent, "mine.toml", SCALE.format(periods=periods))
    code, _, err = cli(db_url, "scales", "import", str(scale))
    assert code == 0, err


def close(db_url: str, start: str, end: str) -> None:
    code, _, err = cli(db_url, "payroll", "close", "--from", start, "--to", end)
    assert code == 0, err


def lines(db_url: str, period: str) -> dict[str, dict[str, str]]:
    slip = ok(db_url, "payroll", "show", "--worker", "P", "--period", period)
    return {line["key"]: line for line in slip["lines"]}


def test_idle_through_the_employer_pays_two_thirds_of_the_closed_months_average(
    db_url: str, tmp_path: Path
) -> None:
    imported(db_url, tmp_path / "files")
    close(db_url, "2026-01-01", "2026-01-31")
    close(db_url, "2026-02-01", "2026-02-28")
    january = lines(db_url, "2026-01")
    assert january["piece:J1:hewing"]["amount"] == "2000.00"  # 100 t x 20.00
    assert january["idle:2026-01-14:hewing"]["amount"] == "266.68"  # 2 h x 200.00 x 0.6667
    # Accrued 2000.00 + 1800.00 (idle left out) in 8 + 8 h: 237.50; 6 h x 237.50 x 2/3 = 950.00.
    march = lines(db_url, "2026-03")
    idle = march["idle:2026-03-10:hewing"]
    assert idle["amount"] == "950.00"
    assert "accrued 3800.00 in 2 closed periods / 16 h worked = 237.5" in idle["explain"]
    assert march["idle:2026-03-11:hewing"]["amount"] == "0.00"  # the worker's own fault
    close(db_url, "2026-03-01", "2026-03-31")
    assert lines(db_url, "2026-03") == march  # locked as computed
    # The cause is part of the stored row: the chain verifies, and an edited cause is found.
    engine = make_engine(db_url)
    try:
        assert verify_ledger(engine).intact
        with engine.begin() as connection:
            tamper.unguard(connection)
            entry = connection.execute(
                text("SELECT entry_id FROM time_entries WHERE cause = 'employer'")
            ).scalar_one()
            tamper.edit(connection, "time_entries", str(entry), "cause")
        found = verify_ledger(engine)
        assert not found.intact
        assert {(f.table, f.what) for f in found.findings} == {("time_entries", "edited")}
    finally:
        engine.dispose()


def test_a_quarter_s_overtime_counts_the_hours_of_the_ledger(db_url: str, tmp_path: Path) -> None:
    # Q1 with a norm of 10 h (a part-time figure for the test): 16 h worked in January and
    # February, none in March: 6 h of overtime on March's slip, 2 h x 200.00 x 0.5 = 200.00
    # and 4 h x 200.00 x 1 = 800.00.
    periods = 'accounting_periods = [{from = "2026-01-01", to = "2026-03-31", norm_hours = 10}]'
    imported(db_url, tmp_path / "files", periods)
    close(db_url, "2026-01-01", "2026-01-31")
    assert not any(key.startswith("overtime") for key in lines(db_url, "2026-01"))
    march = lines(db_url, "2026-03")
    assert march["overtime-1.5:2026-01-01..2026-03-31"]["amount"] == "200.00"
    assert march["overtime-2:2026-01-01..2026-03-31"]["amount"] == "800.00"
    assert (
        "16 h worked; norm 10 h; overtime 6 h"
        in (march["overtime-2:2026-01-01..2026-03-31"]["explain"])
    )
