"""Paid time is kept in the month of its date on PostgreSQL; SQLite keeps one table (0598)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from stakhanov.services.bulk_write import import_directory
from stakhanov.services.chain import verify_ledger
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store import partitions
from stakhanov.store.db import _alembic_config, upgrade
from tests.integration.helpers import write

pytestmark = pytest.mark.storage

LEDGER = Path(__file__).parent.parent / "fixtures" / "pay-two-scales" / "ledger"
APRIL, MAY = dt.date(2025, 4, 1), dt.date(2025, 5, 1)
TIME_HEAD = "worker_id,date,kind,operation,hours,note\n"


def _ledger(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LEDGER, tmp_path / "ledger"))


def _import(engine: Engine, folder: Path, correct: bool = False) -> None:
    import_batch(engine, read_source(folder, set(FORMATS)), correct=correct, author="test")


def _rows(engine: Engine) -> dict[int, tuple[str, int | None, str]]:
    """entry_id -> (date, reverses, where it is kept) of every time entry."""
    where = "tableoid::regclass::text" if engine.dialect.name == "postgresql" else "'time'"
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            f"SELECT entry_id, CAST(date AS TEXT), reverses, {where} FROM time_entries"
        ).all()
    return {key: (str(date), reverses, kept) for key, date, reverses, kept in found}


def _assert_in_their_months(engine: Engine) -> None:
    """Each entry in its date's month; a reversal on the date of what it reverses."""
    rows = _rows(engine)
    assert rows
    for date, reverses, kept in rows.values():
        if reverses is not None:
            assert date == rows[reverses][0]
        if engine.dialect.name == "postgresql":
            month = partitions.month_of(dt.date.fromisoformat(date))
            assert kept == partitions.partition_name("time_entries", month)
    assert verify_ledger(engine).intact


def _partitioned(engine: Engine) -> bool:
    with engine.connect() as connection:
        return "time_entries" in partitions.monthly_tables(connection)


@pytest.mark.parametrize("bulk", [False, True], ids=["rows", "bulk"])
def test_paid_time_lands_in_its_month_and_a_correction_in_that_of_what_it_reverses(
    engine: Engine, tmp_path: Path, bulk: bool
) -> None:
    folder = _ledger(tmp_path)
    if bulk:
        import_directory(engine, folder, author="test")
    else:
        _import(engine, folder)
    assert _partitioned(engine) is (engine.dialect.name == "postgresql")
    # A new month of paid time alone, then the April idle time corrected (2 h -> 3 h).
    write(tmp_path / "may", "time.csv", TIME_HEAD + "S1,2025-05-05,idle,sewing,1,no thread\n")
    _import(engine, tmp_path / "may")
    time = (
        (folder / "time.csv")
        .read_text()
        .replace("2025-04-30,idle,sewing,2,", "2025-04-30,idle,sewing,3,")
    )
    write(tmp_path / "fix", "time.csv", time)
    _import(engine, tmp_path / "fix", correct=True)
    rows = _rows(engine)
    reversals = [(date, r) for date, r, _ in rows.values() if r is not None]
    assert [date for date, _ in reversals] == ["2025-04-30"]
    assert {date[:7] for date, _, _ in rows.values()} == {"2025-04", "2025-05"}
    _assert_in_their_months(engine)
    if engine.dialect.name == "postgresql":
        kept = {k for _, _, k in rows.values()}
        assert kept == {partitions.partition_name("time_entries", m) for m in (APRIL, MAY)}


def test_the_database_refuses_a_reversal_filed_in_another_month(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps one table: a reversal's date is the store's to copy")
    _import(engine, _ledger(tmp_path))
    key = min(_rows(engine))
    with engine.connect() as connection:
        partitions.ensure(connection, [MAY])
        connection.commit()
        with pytest.raises(IntegrityError, match="foreign key"), connection.begin():
            connection.exec_driver_sql(
                "INSERT INTO time_entries (batch_id, reverses, reason, written_at, worker_id, "
                "date, kind, operation, hours, hours_exact) SELECT batch_id, entry_id, 'x', "
                "written_at, worker_id, DATE '2025-05-02', kind, operation, hours, hours_exact "
                f"FROM time_entries WHERE entry_id = {key}"
            )


def test_the_migration_partitions_a_populated_ledger_s_paid_time(
    engine: Engine, tmp_path: Path
) -> None:
    folder = _ledger(tmp_path)
    _import(engine, folder)
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        if engine.dialect.name == "sqlite":
            raw.execute("PRAGMA foreign_keys=OFF")
        with connection.begin():
            command.downgrade(_alembic_config(connection), "0044")
    assert not _partitioned(engine)
    before = _rows(engine)
    assert upgrade(engine)
    assert _partitioned(engine) is (engine.dialect.name == "postgresql")
    assert {k: v[:2] for k, v in _rows(engine).items()} == {k: v[:2] for k, v in before.items()}
    _assert_in_their_months(engine)
    write(tmp_path / "june", "time.csv", TIME_HEAD + "P1,2025-06-02,rest,pressing,1,\n")
    _import(engine, tmp_path / "june")  # a write after it makes its month
    _assert_in_their_months(engine)
