"""A large import in bounded memory: read, written and refreshed a chunk or slice at a time.

With chunks and slices of a few rows, shifts and workers, a generated month is imported and
refreshed in many parts; the ledger, the report and every table of the read model must be what
one part gives, and a bad row in the last chunk must be named and leave nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from stakhanov.services import bulk_read, bulk_write, read_model, read_sums
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.generator import Settings, generate
from stakhanov.services.importing import ImportRejected
from stakhanov.store import bulk as bulk_store
from stakhanov.store.frames import NotMicro
from stakhanov.store.read_model_tables import (
    read_days,
    read_findings,
    read_months,
    read_output_days,
    read_results,
    read_unit_day_shifts,
    read_unit_shifts,
    read_worker_days,
)
from stakhanov.store.records import KINDS
from stakhanov.store.schema import batches
from tests.integration.test_bulk_import import ledger, outcome, twin  # noqa: F401

pytestmark = pytest.mark.storage
READ_TABLES = (
    read_results,
    read_findings,
    read_months,
    read_worker_days,
    read_days,
    read_output_days,
    read_unit_shifts,
    read_unit_day_shifts,
)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated month small enough for a test, large enough for many slices."""
    folder = tmp_path_factory.mktemp("month")
    generate(Settings(workers=60, days=4, seed=3), folder)
    return folder


def read_model_of(engine: Engine) -> list[list[tuple[str, ...]]]:
    """Every table of the read model, its rows as text, without their row ids."""
    found = []
    with engine.connect() as connection:
        for table in READ_TABLES:
            columns = [c for c in table.c if c.name != "row_id"]
            rows = connection.execute(select(*columns)).all()
            found.append(sorted(tuple(str(v) for v in r) for r in rows))
    return found


def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few rows, slices of a few shifts, workers and homes."""
    monkeypatch.setattr(bulk_read, "CHUNK_ROWS", 13)
    monkeypatch.setattr(bulk_write, "CHUNK", 29)
    monkeypatch.setattr(bulk_store, "CHUNK", 31)
    monkeypatch.setattr(read_model, "SHIFTS_AT_ONCE", 7)
    monkeypatch.setattr(read_sums, "WORKERS_AT_ONCE", 3)
    monkeypatch.setattr(read_sums, "HOMES_AT_ONCE", 2)
    monkeypatch.setattr(read_sums, "WHOLE_MONTH_ROWS", 0)  # a new month by slices too


def test_a_month_imported_in_many_slices_is_the_month_imported_at_once(
    engine: Engine,
    twin: Engine,  # noqa: F811
    month: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = outcome(lambda: import_directory(engine, month))
    assert whole[:2] == ("done", 1)
    with engine.connect() as connection:
        shifts = connection.scalar(select(func.count()).select_from(read_results))
    assert shifts and shifts > 7 * 10  # many slices of seven shifts below
    small_parts(monkeypatch)
    assert outcome(lambda: import_directory(twin, month)) == whole
    assert ledger(twin) == ledger(engine)
    kept = read_model_of(twin)
    assert kept == read_model_of(engine)
    assert all(kept), "every table of the read model holds rows"
    # Idempotent: the same month again adds nothing and changes nothing.
    assert outcome(lambda: import_directory(twin, month))[:2] == ("done", None)
    assert read_model_of(twin) == kept
    # And the sliced refresh is what a rebuild from the ledger gives.
    read_model.rebuild(twin)
    assert read_model_of(twin) == kept


def _last_row(path: Path, change: Any) -> int:
    """Change the file's last row; its row number (the header is row 1)."""
    lines = path.read_text().splitlines()
    lines[-1] = change(lines[-1].split(","))
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


@pytest.mark.parametrize(
    ("file", "change", "field", "says"),
    [
        ("crew.csv", lambda cells: ",".join([*cells[:3], "-4", *cells[4:]]), "hours", "more than"),
        ("crew.csv", lambda cells: ",".join([cells[0], "NOBODY", *cells[2:]]), "worker_id", ""),
        ("output.csv", lambda cells: ",".join([*cells[:2], "x", *cells[3:]]), "quantity", ""),
    ],
)
def test_a_bad_row_in_the_last_chunk_is_named_and_nothing_is_written(
    engine: Engine,
    month: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    change: Any,
    field: str,
    says: str,
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for path in month.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    small_parts(monkeypatch)
    row = _last_row(folder / file, change)
    assert row > 3 * 13  # past the third chunk
    with pytest.raises(ImportRejected) as refused:
        import_directory(engine, folder)
    problems = [str(p) for p in refused.value.problems]
    assert any(p.startswith(f"{file}:{row}:{field}:") and says in p for p in problems), problems
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(batches)) == 0
        for kind in KINDS:
            assert connection.scalar(select(func.count()).select_from(kind.table)) == 0
    assert not any(read_model_of(engine))


def test_a_slice_the_engine_cannot_sum_sends_the_month_to_the_domain(
    engine: Engine,
    twin: Engine,  # noqa: F811
    month: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_directory(engine, month)
    small_parts(monkeypatch)
    summed = read_sums.stored.worker_sums
    calls = []

    def inexact_later(*args: Any) -> Any:
        calls.append(args)
        if len(calls) > 1:  # the first slice is written before the engine gives up
            raise NotMicro("as a value beyond the engine's integers would")
        return summed(*args)

    monkeypatch.setattr(read_sums.stored, "worker_sums", inexact_later)
    import_directory(twin, month)
    assert len(calls) > 1
    assert read_model_of(twin) == read_model_of(engine)
