"""The bulk import's memory: what the check held is let go before the read model's refresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy import Engine, func, select

from stakhanov.services import bulk_write, read_model
from stakhanov.services.bulk import Checked
from stakhanov.services.bulk_checks import Staging
from stakhanov.services.bulk_write import import_directory
from stakhanov.store.schema import crew_entries
from tests.integration.helpers import mini_copy

pytestmark = pytest.mark.storage


def test_the_refresh_runs_after_the_staging_and_records_are_released(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Staging] = []
    checked: list[Checked] = []
    seen: list[tuple[bool, int, int]] = []

    class Watched(Staging):
        def __init__(self) -> None:
            super().__init__()
            opened.append(self)

    def check(*args: Any, **kwargs: Any) -> Checked:
        checked.append(bulk_write_check(*args, **kwargs))
        return checked[-1]

    def refresh(connection: Any, batch_id: int) -> int:
        try:
            opened[-1].db.execute("SELECT 1")
            closed = False
        except duckdb.ConnectionException:
            closed = True
        done = checked[-1]
        seen.append((closed, len(done.incoming), sum(map(len, done.plan.added.values()))))
        return real_refresh(connection, batch_id)

    bulk_write_check, real_refresh = bulk_write.check_directory, read_model.refresh
    monkeypatch.setattr(bulk_write, "Staging", Watched)
    monkeypatch.setattr(bulk_write, "check_directory", check)
    monkeypatch.setattr(read_model, "refresh", refresh)
    report = import_directory(engine, mini_copy(tmp_path))
    assert report.batch_id == 1
    assert seen == [(True, 0, 0)]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(crew_entries)) == 11
    opened[-1].close()  # closing again (the import's own `finally`) does nothing


def test_the_staging_takes_the_engine_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAKHANOV_ENGINE_MEMORY", "300MB")
    staging = Staging()
    try:
        limit = staging.db.execute("SELECT current_setting('memory_limit')").fetchone()
    finally:
        staging.close()
    assert limit is not None and limit[0].startswith("286")  # 300 MB as MiB


def test_entries_are_written_in_blocks_with_one_time_of_writing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store turns a batch's entries into rows a block at a time (a month's workers are
    never all dicts at once); the rows, their order and their time of writing are as one."""
    from stakhanov.store import ledger as ledger_store
    from stakhanov.store.schema import worker_entries

    monkeypatch.setattr(ledger_store, "BLOCK", 2)
    import_directory(engine, mini_copy(tmp_path))
    with engine.connect() as connection:
        rows = connection.execute(
            select(worker_entries.c.source_row, worker_entries.c.written_at).order_by(
                worker_entries.c.entry_id
            )
        ).all()
        crew = connection.scalar(select(func.count()).select_from(crew_entries))
    assert len(rows) > 2 and crew == 11
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert len({r[1] for r in rows}) == 1
