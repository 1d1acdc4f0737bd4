"""Shifts with clock times and the ru-labour-code pack, on SQLite and PostgreSQL: the rest-day
and night surcharges of docs/rule-packs.md on the slip, by the domain path, through both import
paths (CSV rows and the bulk path's Parquet)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from stakhanov.services import payroll_engine
from tests.commands import cli, ok
from tests.integration.helpers import write

pytestmark = pytest.mark.storage

SCALE = """
name = "mine"
effective_from = "2026-01-01"
[pack]
name = "ru-labour-code"
version = "2026"
[grades]
"5" = "200.00"
"""
SHIFTS = """
shift_id,date,hours,workplace,conditions,note,start_time,end_time
H1,2026-02-23,7,Mine/Section 1,,Defender of the Fatherland Day,,
N1,2026-02-24,8,Mine/Section 1,,,20:00,4:00
N2,2026-02-25,8,Mine/Section 1,,,21:50,06:10
"""
FILES = {
    "workers.csv": "worker_id,name,unit,trade,grade\nP,Hewer,Mine/Section 1,hewer,5\n",
    "norms.csv": "operation,unit,kind,norm,norm_hours,effective_from\n"
    "hewing,t,output,10,1,2020-01-01\n",
    "shifts.csv": SHIFTS,
    "output.csv": "shift_id,operation,quantity,unit\nH1,hewing,77,t\nN1,hewing,80,t\n"
    "N2,hewing,80,t\n",
    "crew.csv": "shift_id,worker_id,operation,hours,credited\nH1,P,hewing,7,77\n"
    "N1,P,hewing,8,80\nN2,P,hewing,8,80\n",
}
# Worked out by hand in docs/rule-packs.md: 20.00 a tonne, 200.00 an hour.
EXPECTED = {
    "piece:H1:hewing": "1540.00",
    "rest-day:2026-02-23": "1540.00",  # 1540.00 x (2 - 1)
    "night:N1": "240.00",  # 22:00-04:00: 6 h x 200.00 x 20%
    "night:N2": "307.20",  # 8 h x 8 / (25/3) = 7.68 h x 40.00
}


def month(folder: Path) -> Path:
    for name, text in FILES.items():
        write(folder, name, text)
    return folder


def slip_lines(db_url: str) -> dict[str, str]:
    slip = ok(db_url, "payroll", "show", "--worker", "P", "--period", "2026-02")
    return {line["key"]: line["amount"] for line in slip["lines"]}


def test_the_surcharges_close_on_the_slip_by_the_domain(db_url: str, tmp_path: Path) -> None:
    code, _, err = cli(db_url, "import", str(month(tmp_path / "month")))
    assert code == 0, err
    code, _, err = cli(db_url, "scales", "import", str(write(tmp_path, "mine.toml", SCALE)))
    assert code == 0, err
    assert payroll_engine.method() == payroll_engine.ENGINE  # the default: it must step aside
    provisional = slip_lines(db_url)
    assert {key: provisional[key] for key in EXPECTED} == EXPECTED
    assert not any(key.startswith("night:H1") for key in provisional)
    code, _, err = cli(db_url, "payroll", "close", "--from", "2026-02-01", "--to", "2026-02-28")
    assert code == 0, err
    assert slip_lines(db_url) == provisional
    # The same shifts again change nothing, on the row path and on the bulk path (Parquet).
    code, _, err = cli(db_url, "import", str(tmp_path / "month"))
    assert code == 0, err
    code, _, err = cli(db_url, "import", str(as_parquet(month(tmp_path / "bulk"))))
    assert code == 0, err


def as_parquet(folder: Path) -> Path:
    """The folder with its shifts.csv as shifts.parquet: every cell text, empty ones null."""
    table = pacsv.read_csv(
        folder / "shifts.csv",
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(SHIFTS.split()[0].split(","), pa.string()),
            strings_can_be_null=True,
        ),
    )
    pq.write_table(table, folder / "shifts.parquet")
    (folder / "shifts.csv").unlink()
    return folder


def test_bad_clock_times_are_refused_with_file_row_and_column(db_url: str, tmp_path: Path) -> None:
    folder = month(tmp_path / "month")
    bad = SHIFTS.replace("N1,2026-02-24,8,", "N1,2026-02-24,9,").replace("21:50,06:10", "21:50,")
    write(folder, "shifts.csv", bad)
    code, out, err = cli(db_url, "import", str(folder))
    assert code == 1
    assert "shifts.csv:3:hours: is more than the 480 minutes" in out + err
    assert "shifts.csv:4:end_time: is required with the other clock time" in out + err
    # The bulk path refuses the same rows in the same words.
    code, out, err = cli(db_url, "import", str(as_parquet(folder)))
    assert code == 1
    assert "shifts.parquet:3:hours: is more than the 480 minutes" in out + err
    assert "shifts.parquet:4:end_time: is required with the other clock time" in out + err
    assert ok(db_url, "payroll", "list", "--period", "2026-02") == []


def test_hours_written_as_minutes_store_as_decimals_or_exactly(db_url: str, tmp_path: Path) -> None:
    written = month(tmp_path / "written")
    write(written, "shifts.csv", SHIFTS.replace(",7,Mine", ",7h,Mine").replace(",8,", ",8:00,"))
    crew = (
        FILES["crew.csv"]
        .replace(",7,77", ",420min,77")
        .replace("N1,P,hewing,8", "N1,P,hewing,16/2")
    )
    write(written, "crew.csv", crew)
    write(
        written, "time.csv", "worker_id,date,kind,operation,hours\nP,2026-02-24,rest,hewing,45min\n"
    )
    code, _, err = cli(db_url, "import", str(written))
    assert code == 0, err
    decimal = month(tmp_path / "decimal")
    write(
        decimal, "time.csv", "worker_id,date,kind,operation,hours\nP,2026-02-24,rest,hewing,0.75\n"
    )
    again = ok(db_url, "import", str(decimal), "--json")
    assert again["changed"] is False
    assert all(f["added"] == 0 for f in again["files"])
    thirds = month(tmp_path / "thirds")  # no decimal holds them: kept as the fraction (0463)
    write(
        thirds, "time.csv", "worker_id,date,kind,operation,hours\nP,2026-02-24,rest,hewing,20min\n"
    )
    corrected = ok(db_url, "import", str(thirds), "--correct", "--reason", "20 minutes")
    assert [f["corrected"] for f in corrected["files"] if f["file"] == "time.csv"] == [1]
