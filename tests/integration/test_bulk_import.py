"""The bulk path against the row path: the same problems, reports and ledger, on both databases.

Each scenario runs through `import_batch` on one database and `import_directory` on a twin,
with chunks of two rows so that every check also meets a chunk boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, select

from stakhanov.services import bulk_read, bulk_write
from stakhanov.services.bulk import wants_bulk
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.records import KINDS
from stakhanov.store.schema import batches, units
from tests.conftest import _fresh_postgres
from tests.integration.helpers import analysed_tables, append, mini_copy, write

pytestmark = pytest.mark.storage
BROKEN = Path(__file__).parent.parent / "fixtures" / "broken"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_read, "CHUNK_ROWS", 2)


@pytest.fixture
def twin(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A second fresh database of the same backend, for the bulk path."""
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'twin.db'}"
        upgrade(make_engine(url))
        urls: Iterator[str] = iter([url])
    else:
        urls = _fresh_postgres(request.getfixturevalue("pg_template"))
    engine = make_engine(next(urls))
    yield engine
    engine.dispose()
    next(urls, None)


def outcome(run: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        report = run()
    except ImportRejected as refused:
        return ("rejected", [str(p) for p in refused.problems])
    return ("done", report.batch_id, {f: vars(c) for f, c in report.files.items()})


def ledger(engine: Engine) -> list[Any]:
    """Every stored row but the time of writing."""
    with engine.connect() as connection:
        found: list[Any] = [
            sorted(connection.execute(select(units)).all()),
            [r[:-1] for r in connection.execute(select(batches).order_by(batches.c.batch_id))],
        ]
        for kind in KINDS:
            columns = [c for c in kind.table.c if c.name != "written_at"]
            found.append(connection.execute(select(*columns).order_by(columns[0])).all())
    return found


def same(engine: Engine, twin: Engine, folder: Path, **options: Any) -> tuple[Any, ...]:
    """Import `folder` both ways; both give the same outcome and leave the same ledger."""
    row = outcome(lambda: import_batch(engine, read_source(folder, set(FORMATS)), **options))
    bulk = outcome(lambda: import_directory(twin, folder, **options))
    assert bulk == row
    assert ledger(twin) == ledger(engine)
    return row


def test_a_valid_month_then_the_same_again(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    assert same(engine, twin, folder)[:2] == ("done", 1)
    assert same(engine, twin, folder)[:2] == ("done", None)


def test_the_broken_fixture_against_an_empty_and_a_full_ledger(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    assert same(engine, twin, BROKEN)[0] == "rejected"
    same(engine, twin, mini_copy(tmp_path))
    problems = same(engine, twin, BROKEN)[1]
    assert any("already has a stored crew" in p for p in problems)


def test_changed_rows_conflict_and_are_corrected(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    same(engine, twin, folder)
    crew = (folder / "crew.csv").read_text().replace("S2,H1,hewing,6,,", "S2,H1,hewing,5,,")
    (folder / "crew.csv").write_text(crew.replace("S1,T2,timbering,6,,\n", ""))
    assert "conflicts with the stored row" in str(same(engine, twin, folder))
    result = same(engine, twin, folder, correct=True, reason="recount")
    assert result[2]["crew.csv"]["corrected"] >= 1 and result[2]["crew.csv"]["withdrawn"] == 1


def test_cross_file_problems(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    same(engine, twin, mini_copy(tmp_path))
    folder = tmp_path / "more"
    write(
        folder,
        "shifts.csv",
        "shift_id,date,hours,workplace,conditions,note\n"
        "S7,1935-08-31,12,Mine/Section 1/Brigade 1,standard,\n"
        "S8,1935-08-31,8,Mine/ Section 1 /Brigade 1,Prepared,\n",
    )
    write(
        folder,
        "output.csv",
        "shift_id,operation,quantity,unit,rejected\n"
        "S7,hewing,10,t,\nS8,hewing,1e1,kg,\ns1,hewing,3,t,\nS7,drilling,3,t,\n"
        "S9,hewing,1,m,\n",
    )
    write(
        folder,
        "crew.csv",
        "shift_id,worker_id,operation,hours,credited,coefficient\n"
        "S7,H1,hewing,12,,\nS7,H2,hewing,12,4,\nS7,T1,timbering,12,,0\n"
        "S8,H3,hewing,08,,\nS8,T2,drilling,8,,\nS8,h1,hewing,8,,\n"
        "S4,H2,turning,8,,\nS7,T1,timbering,1,,\ns1,H1,hewing,1,,,\nS8,H1,hewing,8,,\n",
    )
    problems = same(engine, twin, folder)[1]
    assert any("did you mean 'S1'" in p for p in problems)
    assert any("would work" in p for p in problems), problems


def test_cell_problems_and_unreadable_files(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    append(folder, "crew.csv", "S5,H2,hewing,-0,x,1,extra")
    append(folder, "crew.csv", "S5,H1,hew\x01ing,25,,")
    append(folder, "crew.csv", f"S5,{'W' * 101},hewing,6,,")
    append(folder, "shifts.csv", "S9,1935-02-30,6,Mine/Section 1/Brigade 1,night,")
    append(folder, "output.csv", "S9,hewing,1.0000000000001,t,")
    same(engine, twin, folder)
    write(folder, "crew.csv", "shift_id,worker,operation,hours\nS1,H1,hewing,6\n")
    same(engine, twin, folder)
    (folder / "crew.csv").write_bytes(b"shift_id,worker_id,operation,hours\nS1,H\xff1,hewing,6\n")
    same(engine, twin, folder)


def test_paid_time_and_rejects_are_judged_with_the_month(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    write(
        folder,
        "time.csv",
        "worker_id,date,kind,operation,hours,note\n"
        "H1,1935-08-30,idle,hewing,20,\nH2,1935-09-02,rest,hewing,2,\n",
    )
    write(
        folder,
        "rejects.csv",
        "shift_id,operation,worker_id,quantity,note\nS2,hewing,H1,400,\nS4,turning,L1,5,\n",
    )
    assert same(engine, twin, folder)[0] == "rejected"
    write(
        folder,
        "time.csv",
        "worker_id,date,kind,operation,hours,note\nH1,1935-08-30,idle,hewing,2,\n",
    )
    write(folder, "rejects.csv", "shift_id,operation,worker_id,quantity,note\nS4,turning,L1,4,\n")
    assert same(engine, twin, folder)[:2] == ("done", 1)


def test_parquet_files_import_like_their_csv(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    append(folder, "crew.csv", "S5,H2,hewing,0,,")
    for name in ("shifts", "output", "crew"):
        csv_path = folder / f"{name}.csv"
        lines = [line.split(",") for line in csv_path.read_text().splitlines()]
        columns = {h: [r[i] or None for r in lines[1:]] for i, h in enumerate(lines[0])}
        pq.write_table(pa.table(columns), folder / f"{name}.parquet")
        csv_path.unlink()
    problems = same(engine, twin, folder)[1]
    assert problems == ["crew.parquet:13:hours: must be more than 0"]
    (folder / "crew.parquet").write_bytes(b"not parquet")
    assert same(engine, twin, folder)[0] == "rejected"


def test_the_command_takes_the_bulk_path_for_parquet(db_url: str, tmp_path: Path) -> None:
    from tests.commands import cli

    folder = mini_copy(tmp_path)
    append(folder, "crew.csv", "S5,H2,hewing,0,,")
    lines = [line.split(",") for line in (folder / "crew.csv").read_text().splitlines()]
    columns = {h: [r[i] or None for r in lines[1:]] for i, h in enumerate(lines[0])}
    pq.write_table(pa.table(columns), folder / "crew.parquet")
    (folder / "crew.csv").unlink()
    assert wants_bulk(folder)
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 1
    assert "crew.parquet:13:hours: must be more than 0" in err
    pq.write_table(pa.table(columns).slice(0, 11), folder / "crew.parquet")
    code, out, err = cli(db_url, "import", str(folder), "--json")
    assert code == 0, err
    assert '"batch_id": 1' in out


def test_statistics_are_refreshed_after_a_large_write(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_write, "ANALYZE_ROWS", 10)
    import_directory(engine, mini_copy(tmp_path))
    analysed = analysed_tables(engine)
    assert {"crew_entries", "output_entries", "shift_entries"} <= analysed
    if engine.dialect.name == "postgresql":  # autovacuum may be off: the read model's too
        assert {"read_results", "read_days", "read_unit_day_shifts"} <= analysed


def test_a_new_norm_is_judged_against_the_stored_shifts_after_it(
    engine: Engine, twin: Engine, tmp_path: Path
) -> None:
    same(engine, twin, mini_copy(tmp_path))
    later = tmp_path / "later"
    write(later, "shifts.csv", "shift_id,date,hours,workplace\nS7,1935-09-05,6,Mine\n")
    write(later, "output.csv", "shift_id,operation,quantity,unit\nS7,hewing,10,t\n")
    write(
        later, "crew.csv", "shift_id,worker_id,operation,hours\nS7,H1,hewing,6\nS7,T1,timbering,6\n"
    )
    assert same(engine, twin, later)[:2] == ("done", 2)
    folder = tmp_path / "norm"
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "hewing,t,output,8,6,,40,1935-09-04,decree,no timbering\n",
    )
    problems = same(engine, twin, folder)[1]
    assert problems == [
        "crew.csv:3:operation: 'timbering' is not measured in shift S7 nor included in a "
        "measured operation's norm (allowed: assist, hewing)"
    ]


def test_a_voided_shift_is_not_brought_back(engine: Engine, twin: Engine, tmp_path: Path) -> None:
    from stakhanov.services.corrections import void_shift

    folder = mini_copy(tmp_path)
    same(engine, twin, folder)
    for database in (engine, twin):
        void_shift(database, "S4", "entered by mistake")
    problems = same(engine, twin, folder)[1]
    assert any("shift S4 was voided" in p for p in problems)
    assert same(engine, twin, folder, correct=True, reason="back")[2]["shifts.csv"]["added"] == 1
