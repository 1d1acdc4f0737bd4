"""Hours of thirds (20min, 1/3) through import, storage, the read model, pay and the JSON of
the command line, on SQLite and PostgreSQL (decision 0463)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, text

from stakhanov.domain.payslips import digest
from stakhanov.domain.periods import Period
from stakhanov.services import payroll
from stakhanov.services.payroll_engine import REFERENCE, computed_by, set_based
from stakhanov.store.db import make_engine
from stakhanov.store.payroll import PayStore
from tests.commands import cli, ok
from tests.integration.helpers import write

pytestmark = pytest.mark.storage

SCALE = """
name = "mine"
effective_from = "2026-01-01"
currency = "RUB"
[grades]
"5" = "200.00"
[rest]
pay = "tariff"
"""
WORKERS = "worker_id,name,unit,trade,grade\n" + "".join(
    f"{w},Hewer {w},Mine/Section 1,hewer,5\n" for w in "PQR"
)


def month(folder: Path, crew_hours: str, rest: str) -> Path:
    """Three one-hour shifts, each worked by P, Q and R for `crew_hours`; P rests `rest` a day."""
    write(folder, "workers.csv", WORKERS)
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,effective_from\nhewing,t,output,10,1,2020-01-01\n",
    )
    days = [f"2026-02-{10 + i}" for i in range(3)]
    write(
        folder,
        "shifts.csv",
        "shift_id,date,hours,workplace\n"
        + "".join(f"F{i},{d},1,Mine/Section 1\n" for i, d in enumerate(days)),
    )
    write(
        folder,
        "output.csv",
        "shift_id,operation,quantity,unit\n" + "".join(f"F{i},hewing,10,t\n" for i in range(3)),
    )
    write(
        folder,
        "crew.csv",
        "shift_id,worker_id,operation,hours\n"
        + "".join(f"F{i},{w},hewing,{crew_hours}\n" for i in range(3) for w in "PQR"),
    )
    write(
        folder,
        "time.csv",
        "worker_id,date,kind,operation,hours\n"
        + "".join(f"P,{d},rest,hewing,{rest}\n" for d in days),
    )
    return folder


def imported(db_url: str, folder: Path, scales: Path) -> None:
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 0, err
    code, _, err = cli(db_url, "scales", "import", str(scales))
    assert code == 0, err


def slip(db_url: str, worker: str = "P") -> dict[str, object]:
    found: dict[str, object] = ok(
        db_url, "payroll", "show", "--worker", worker, "--period", "2026-02"
    )
    return found


def test_thirds_import_store_and_pay_exactly(db_url: str, tmp_path: Path) -> None:
    scales = write(tmp_path, "mine.toml", SCALE)
    imported(db_url, month(tmp_path / "thirds", "20min", "20min"), scales)
    with create_engine(db_url).connect() as connection:  # the fraction beside its decimal
        stored = connection.execute(
            text(
                "SELECT DISTINCT hours_exact FROM crew_entries UNION ALL"
                " SELECT DISTINCT hours_exact FROM time_entries"
            )
        ).all()
        shifts = connection.execute(text("SELECT DISTINCT hours_exact FROM shift_entries")).all()
    assert stored == [("1/3",), ("1/3",)] and shifts == [(None,)]

    # Three shares of 20min are one hour: in the read model, its month sums and the rebuild.
    fulfilment = ok(db_url, "fulfilment", "--from", "2026-02-01", "--to", "2026-02-28")
    assert {f["worker_id"]: (f["hours"], f["norm_output"]) for f in fulfilment} == dict.fromkeys(
        "PQR", ("1", "10")
    )
    by_shift = ok(db_url, "fulfilment", "--from", "2026-02-10", "--to", "2026-02-11")
    assert {f["hours"] for f in by_shift} == {"2/3"}
    code, _, err = cli(db_url, "rebuild-read-model")
    assert code == 0, err
    assert ok(db_url, "fulfilment", "--from", "2026-02-01", "--to", "2026-02-28") == fulfilment

    # Rest of 20min at 200.00 an hour: the line keeps 1/3 h, its money is rounded once.
    provisional = slip(db_url)
    rest = [line for line in provisional["lines"] if line["code"] == "rest"]  # type: ignore[attr-defined]
    assert [(line["quantity"], line["amount"]) for line in rest] == [("1/3", "66.67")] * 3
    code, _, err = cli(db_url, "payroll", "close", "--from", "2026-02-01", "--to", "2026-02-28")
    assert code == 0, err
    closed = slip(db_url)
    assert closed["lines"] == provisional["lines"] and closed["status"] != provisional["status"]

    # The same files again, or the same hours written as a fraction, change nothing.
    again = ok(db_url, "import", str(tmp_path / "thirds"), "--check")
    assert again["changed"] is False
    fraction = ok(db_url, "import", str(month(tmp_path / "fraction", "1/3", "0:20")), "--check")
    assert fraction["changed"] is False
    # The bulk path (Parquet) hands cells of thirds to the row parser, beside stored thirds.
    bulk = ok(db_url, "import", str(as_parquet(month(tmp_path / "bulk", "20min", "20min"))))
    assert bulk["changed"] is False


def as_parquet(folder: Path) -> Path:
    """The folder with its crew.csv as crew.parquet: every cell text."""
    table = pacsv.read_csv(
        folder / "crew.csv",
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(["shift_id", "worker_id", "operation", "hours"], pa.string())
        ),
    )
    pq.write_table(table, folder / "crew.parquet")
    (folder / "crew.csv").unlink()
    return folder


def test_closing_by_the_engine_or_the_reference_pays_thirds_alike(
    db_url: str, tmp_path: Path
) -> None:
    """The engine steps aside for crew rows of thirds; the slips are the reference's."""
    scales = write(tmp_path, "mine.toml", SCALE)
    imported(db_url, month(tmp_path / "thirds", "20min", "10min"), scales)
    period = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    engine = make_engine(db_url)
    with engine.connect() as connection:
        book = payroll.scale_book(PayStore(connection))
        assert set_based(connection, period, book, [], {}) is None
        ours = payroll.compute(connection, period, ())
        with computed_by(REFERENCE):
            reference = payroll.compute(connection, period, ())
    assert ours.slips == reference.slips and not reference.problems
    assert payroll.close(engine, period, sources=()).digest == digest(reference.slips)
    assert payroll.slips(engine, period).slips == list(reference.slips)


def test_decimal_hours_are_stored_as_before(db_url: str, tmp_path: Path) -> None:
    scales = write(tmp_path, "mine.toml", SCALE)
    imported(db_url, month(tmp_path / "decimal", "0.5", "0.25"), scales)
    with create_engine(db_url).connect() as connection:
        exact = connection.execute(text("SELECT count(hours_exact) FROM crew_entries")).scalar()
    assert exact == 0
    rest = [line for line in slip(db_url)["lines"] if line["code"] == "rest"]  # type: ignore[attr-defined]
    assert [(line["quantity"], line["amount"]) for line in rest] == [("0.25", "50.00")] * 3
