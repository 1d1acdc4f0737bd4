"""workers.csv, time.csv and rejects.csv in a bulk import: streamed a chunk at a time into the
staging and judged there (decision 0897), with the row path's problems, reports and ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from stakhanov.services import bulk, bulk_read
from stakhanov.services.bulk_write import import_directory
from tests.integration.helpers import mini_copy, write
from tests.integration.test_bulk_import import same, twin

__all__ = ["twin"]
pytestmark = pytest.mark.storage
NORMS = (
    "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
    "hewing,t,output,7,6,timbering,40,1935-01-01,decree,test norm\n"
)
TIME = "worker_id,date,kind,operation,hours,note\n"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_read, "CHUNK_ROWS", 2)


def _rows(count: int, bad: int | None = None) -> str:
    return "".join(
        f"N{i:02d},{'' if i == bad else f'New {i}'},Mine/Section 2,hewer,4\n"
        for i in range(1, count + 1)
    )


def _workers(count: int) -> str:
    return "worker_id,name,unit,trade,grade\n" + _rows(count)


def test_small_files_are_read_a_chunk_at_a_time(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No more than a chunk of workers or paid time is parsed at once, and all is stored."""
    folder = tmp_path / "master"
    write(folder, "norms.csv", NORMS)
    write(folder, "workers.csv", _workers(9))
    days = [f"1935-09-{d:02d}" for d in range(1, 8)]
    write(folder, "time.csv", TIME + "".join(f"N01,{d},idle,hewing,2,\n" for d in days))
    sizes: list[tuple[str, int]] = []
    for module in (bulk, bulk_read):
        real = module.parse_table

        def spy(table: Any, fmt: Any, real: Any = real) -> Any:
            sizes.append((table.name, len(table.rows)))
            return real(table, fmt)

        monkeypatch.setattr(module, "parse_table", spy)
    report = import_directory(engine, folder)
    assert report.files["workers.csv"].added == 9 and report.files["time.csv"].added == 7
    assert max(n for name, n in sizes if name in {"workers.csv", "time.csv"}) <= 2


def test_bad_rows_far_into_workers_and_time_are_located_alike(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    write(folder, "workers.csv", (folder / "workers.csv").read_text() + _rows(30, bad=23))
    rows = [f"N{i:02d},1935-09-02,idle,hewing,2,\n" for i in range(1, 30)]
    rows[20] = "N21,1935-09-31,idle,hewing,2,\n"
    rows[26] = "N27,1935-09-02,idle,hewing,-2,\n"
    write(folder, "time.csv", TIME + "".join(rows))
    crew = (folder / "crew.csv").read_text() + "S4,N23,turning,8,,\n"
    write(folder, "crew.csv", crew)
    verdict, problems = same(engine, twin, folder)
    print(problems)
    assert verdict == "rejected"
    assert any("workers.csv:31:name" in p for p in problems)
    assert any("time.csv:22" in p for p in problems) and any("time.csv:28" in p for p in problems)
    assert any("'N23' is not imported" in p for p in problems)


def test_a_judged_shift_names_a_worker_of_this_batch_only(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    """A corrected crew (judged row by row) names a worker whose only row is in this batch's
    workers.csv: known, as in the row path; another in the wrong case is 'did you mean'."""
    folder = mini_copy(tmp_path)
    assert same(engine, twin, folder)[0] == "done"
    write(folder, "workers.csv", _workers(5))
    crew = (folder / "crew.csv").read_text().replace("S1,T2,timbering,6,,", "S1,N04,timbering,6,,")
    write(folder, "crew.csv", crew)
    result = same(engine, twin, folder, correct=True, reason="recount")
    assert result[0] == "done" and result[2]["workers.csv"]["added"] == 5
    write(folder, "crew.csv", crew.replace("S1,N04,", "S1,n05,"))
    problems = same(engine, twin, folder, correct=True, reason="recount")[1]
    assert any("did you mean 'N05'" in p for p in problems)


def test_paid_time_judged_in_the_staging(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    write(folder, "workers.csv", (folder / "workers.csv").read_text() + _rows(3))
    bad = [
        "H1,1935-08-30,idle,hewing,2,",
        "ZZ,1935-08-30,idle,hewing,2,",  # unknown
        "h2,1935-08-30,idle,hewing,2,",  # unknown in this case
        "H3,1935-08-30,idle,boring,2,",  # no norm knows it
        "H1,1935-08-30,idle,hewing,3,",  # a duplicate key
        "H1,1935-08-31,rest,hewing,19,",  # 6 hours of crew beside it: 25
        "N02,1935-08-30,hourly,assist,4,",  # a worker of this batch alone
    ]
    write(folder, "time.csv", TIME + "".join(f"{r}\n" for r in bad))
    problems = same(engine, twin, folder)[1]
    assert len(problems) == 5 and any("25 hours" in p for p in problems)
    good = [r for i, r in enumerate(bad) if i in (0, 6)] + ["H1,1935-08-31,rest,hewing,18,"]
    write(folder, "time.csv", TIME + "".join(f"{r}\n" for r in good))
    assert same(engine, twin, folder)[0] == "done"
    again = same(engine, twin, folder)  # a repeated import changes nothing
    assert again[:2] == ("done", None) and again[2]["time.csv"]["unchanged"] == 3
    write(folder, "time.csv", TIME + "".join(f"{r}\n" for r in good).replace(",4,", ",5,"))
    assert "conflicts with the stored row" in str(same(engine, twin, folder))
    corrected = same(engine, twin, folder, correct=True, reason="recount")
    assert corrected[2]["time.csv"]["corrected"] == 1


def test_repeated_rejects_and_workers(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    write(folder, "workers.csv", (folder / "workers.csv").read_text() + "H2,Again,Mine,hewer,5\n")
    head = "shift_id,operation,worker_id,quantity,note\n"
    write(folder, "rejects.csv", head + "S2,hewing,H2,1,\nS4,turning,L1,1,\nS2,hewing,H2,2,\n")
    problems = same(engine, twin, folder)[1]
    assert sum("duplicate of row" in p for p in problems) == 2


def test_a_month_with_paid_time_and_rejects_twice(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    paid = "H1,1935-08-30,idle,hewing,1/3,\nL1,1935-09-01,rest,turning,2,\n"
    write(folder, "time.csv", TIME + paid)
    write(folder, "rejects.csv", "shift_id,operation,worker_id,quantity,note\nS4,turning,L1,4,\n")
    first = same(engine, twin, folder)
    assert first[:2] == ("done", 1) and first[2]["rejects.csv"]["added"] == 1
    assert same(engine, twin, folder)[:2] == ("done", None)


def test_the_same_month_again_judges_nothing_row_by_row(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored faults are checked in the staging, and `18.0` credited is the stored 18: a
    repeated import finds no shift or row for the row path to judge."""
    folder = mini_copy(tmp_path)
    write(folder, "time.csv", TIME + "L1,1935-09-01,rest,turning,2.50,\n")
    write(folder, "rejects.csv", "shift_id,operation,worker_id,quantity,note\nS4,turning,L1,4.0,\n")
    assert import_directory(engine, folder).batch_id == 1
    judged: list[Any] = []
    real = bulk._records

    def records(staging: Any, kind: Any, suspects: set[str], picked: Any) -> Any:
        found = real(staging, kind, suspects, picked)
        judged.extend(found)
        return found

    monkeypatch.setattr(bulk, "_records", records)
    report = import_directory(engine, folder)
    assert report.batch_id is None and report.files["rejects.csv"].unchanged == 1
    assert judged == []
