"""On PostgreSQL a small write goes through while a large import is open and writing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from stakhanov.services import bulk_write
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.bulk import lock_ledger_writes
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.schema import batches, shift_entries
from tests.integration.helpers import mini_copy, write

pytestmark = pytest.mark.storage


def month(folder: Path, day: str) -> Path:
    shifts = ["shift_id,date,hours,workplace,conditions,note"]
    output = ["shift_id,operation,quantity,unit,rejected"]
    crew = ["shift_id,worker_id,operation,hours,credited,coefficient"]
    for i in range(20):
        shifts.append(f"B{i},{day},6,Works/Shop 1,standard,")
        output.append(f"B{i},turning,{10 + i},part,")
        crew.append(f"B{i},L1,turning,1,,")
    for name, lines in (("shifts.csv", shifts), ("output.csv", output), ("crew.csv", crew)):
        write(folder, name, "\n".join(lines) + "\n")
    return folder


def small_write(engine: Engine, tmp_path: Path, shift: str, day: str) -> Any:
    """One shift as the form sends it: the row path, with the writers' lock."""
    folder = tmp_path / shift
    write(folder, "shifts.csv", f"shift_id,date,hours,workplace\n{shift},{day},6,Works/Shop 1\n")
    write(folder, "output.csv", f"shift_id,operation,quantity,unit\n{shift},turning,5,part\n")
    write(folder, "crew.csv", f"shift_id,worker_id,operation,hours\n{shift},L1,turning,2\n")
    return import_batch(engine, read_source(folder, set(FORMATS)))


@pytest.mark.parametrize("same_day", [False, True])
def test_a_small_write_does_not_wait_for_an_open_import(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, same_day: bool
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its import writes last, in one go")
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)))
    writing, small_done = threading.Event(), threading.Event()
    written = bulk_write.append_rows
    attempts: list[int] = []

    def paused(*args: Any, **kwargs: Any) -> int:
        count = written(*args, **kwargs)
        attempts.append(count)
        writing.set()
        small_done.wait(timeout=300)
        return count

    monkeypatch.setattr(bulk_write, "append_rows", paused)
    results: list[Any] = []
    big = month(tmp_path / "month", "1935-08-10")
    thread = threading.Thread(target=lambda: results.append(import_directory(engine, big)))
    thread.start()
    assert writing.wait(timeout=300)
    report = small_write(engine, tmp_path, "F1", "1935-08-10" if same_day else "1935-08-11")
    import_open = thread.is_alive()
    small_done.set()
    thread.join()
    assert import_open and report.batch_id is not None  # the small write did not wait
    assert results and results[0].batch_id is not None
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(batches)) == 3
        shifts = connection.scalar(select(func.count()).select_from(shift_entries))
    assert shifts == 5 + 20 + 1
    # the import checked again only when the small write touched its day
    assert (len(attempts) > 3) == same_day


def test_an_import_s_lock_leaves_other_batches_free(engine: Engine) -> None:
    """A pay-scale import opens a batch while a ledger import holds the writers' lock."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    with engine.begin() as importing:
        lock_ledger_writes(importing)
        with engine.begin() as scales:
            # a table lock on batches would make this insert wait, and time out
            scales.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            batch_id = LedgerStore(scales).new_batch("import", "scales", "test", None)
    assert batch_id >= 1
