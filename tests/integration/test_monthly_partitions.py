"""Rows carry their shift's date, every write path writes it, PostgreSQL keeps each month in
a partition of its own, and verify-ledger checks the date (decisions 0593, 0594)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine

from stakhanov.services.bulk_write import import_directory
from stakhanov.services.chain import verify_ledger
from stakhanov.services.corrections import void_shift
from stakhanov.services.entry import ShiftForm, enter
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store import partitions
from stakhanov.store.db import _alembic_config, upgrade
from stakhanov.store.frames import read_frames
from tests.integration.chain_tampering import unguard
from tests.integration.helpers import mini_copy, write

pytestmark = pytest.mark.storage

AUGUST, SEPTEMBER = dt.date(1935, 8, 1), dt.date(1935, 9, 1)


def _import(engine: Engine, folder: Path, correct: bool = False) -> None:
    import_batch(engine, read_source(folder, set(FORMATS)), correct=correct, author="test")


def _dates(engine: Engine, table: str) -> dict[int, tuple[str, str, int | None]]:
    """entry_id -> (shift_id, shift_date, reverses) of a dated table."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT entry_id, shift_id, CAST(shift_date AS TEXT), reverses FROM {table}"
        ).all()
    return {key: (shift, str(date), reverses) for key, shift, date, reverses in rows}


def _current_shift_dates(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT shift_id, CAST(date AS TEXT) FROM shift_entries t WHERE reverses IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM shift_entries r WHERE r.reverses = t.entry_id)"
        ).all()
    return {shift: str(date) for shift, date in rows}


def _assert_dated(engine: Engine) -> None:
    """Every row holds a date; current ones their shift's; a reversal what it reverses."""
    shifts = _current_shift_dates(engine)
    for table in ("output_entries", "crew_entries"):
        rows = _dates(engine, table)
        reversed_ids = {reverses for _, _, reverses in rows.values() if reverses}
        for key, (shift, date, reverses) in rows.items():
            assert date not in ("None", ""), (table, key)
            if reverses is not None:
                assert date == rows[reverses][1], (table, key)
            elif key not in reversed_ids and shift in shifts:
                assert date == shifts[shift], (table, key, shift)
    assert verify_ledger(engine).intact


def _by_partition(engine: Engine, table: str) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT tableoid::regclass::text, count(*) FROM {table} GROUP BY 1"
        ).all()
    return dict(rows)


def test_an_import_dates_its_rows_and_postgresql_files_them_by_month(
    engine: Engine, tmp_path: Path
) -> None:
    _import(engine, mini_copy(tmp_path))
    _assert_dated(engine)
    if engine.dialect.name != "postgresql":
        return
    for table, column in (("shift_entries", "date"), ("crew_entries", "shift_date")):
        counts = _by_partition(engine, table)
        assert set(counts) == {partitions.partition_name(table, m) for m in (AUGUST, SEPTEMBER)}
        with engine.connect() as connection:
            september = connection.exec_driver_sql(
                f"SELECT count(*) FROM {table} WHERE {column} >= '1935-09-01'"
            ).scalar_one()
        assert counts[partitions.partition_name(table, SEPTEMBER)] == september > 0


def test_the_bulk_import_copies_dated_rows_into_their_months(
    engine: Engine, tmp_path: Path
) -> None:
    import_directory(engine, mini_copy(tmp_path), author="test")
    _assert_dated(engine)
    if engine.dialect.name == "postgresql":
        assert len(_by_partition(engine, "output_entries")) == 2


def test_the_entry_form_makes_a_new_month_and_dates_its_rows(
    engine: Engine, tmp_path: Path
) -> None:
    _import(engine, mini_copy(tmp_path))
    form = ShiftForm(
        {
            "shift_id": "O1",
            "date": "1935-10-01",
            "hours": "6",
            "workplace": "Mine/Section 1/Brigade 1",
            "conditions": "standard",
        },
        [{"operation": "hewing", "quantity": "12", "unit": "t"}],
        [{"worker_id": "H1", "operation": "hewing", "hours": "6"}],
    )
    enter(engine, form.batch("form"), lambda *_: True, author="foreman")
    _assert_dated(engine)
    crew = [date for shift, date, _ in _dates(engine, "crew_entries").values() if shift == "O1"]
    assert crew == ["1935-10-01"]
    if engine.dialect.name == "postgresql":
        october = partitions.partition_name("crew_entries", dt.date(1935, 10, 1))
        assert _by_partition(engine, "crew_entries")[october] == 1


def test_a_void_reverses_each_row_in_the_month_of_what_it_reverses(
    engine: Engine, tmp_path: Path
) -> None:
    _import(engine, mini_copy(tmp_path))
    void_shift(engine, "S3", "entered twice", author="clerk")
    rows = _dates(engine, "crew_entries")
    reversals = [(date, rows[r][1]) for _, date, r in rows.values() if r is not None]
    assert reversals and all(date == reversed_date for date, reversed_date in reversals)
    _assert_dated(engine)


@pytest.mark.parametrize("bulk", [False, True], ids=["rows", "bulk"])
def test_a_shift_corrected_into_another_month_takes_its_rows_along(
    engine: Engine, tmp_path: Path, bulk: bool
) -> None:
    folder = mini_copy(tmp_path)
    _import(engine, folder)
    shifts = (folder / "shifts.csv").read_text().replace("S3,1935-09-02", "S3,1935-08-29")
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    write(corrected, "shifts.csv", shifts)
    if bulk:  # the bulk import judges a changed shift on the row path, writes it its own way
        import_directory(engine, corrected, correct=True, reason="wrong day", author="test")
    else:
        _import(engine, corrected, correct=True)
    _assert_dated(engine)
    crew = [
        (date, r) for shift, date, r in _dates(engine, "crew_entries").values() if shift == "S3"
    ]
    assert {date for date, r in crew if r is not None} == {"1935-09-02"}  # reversed in September
    august = read_frames(engine, dt.date(1935, 8, 1), dt.date(1935, 8, 31))
    september = read_frames(engine, SEPTEMBER, dt.date(1935, 9, 30))
    s3_crew = sum(1 for date, r in crew if r is None and date == "1935-08-29")
    assert august.crew.column("shift_id").to_pylist().count("S3") == s3_crew > 0
    assert "S3" not in september.crew.column("shift_id").to_pylist()
    assert "S3" not in september.outputs.column("shift_id").to_pylist()


def test_a_period_across_two_months_reads_every_row_of_its_shifts(
    engine: Engine, tmp_path: Path
) -> None:
    _import(engine, mini_copy(tmp_path))
    both = read_frames(engine, dt.date(1935, 8, 30), dt.date(1935, 9, 3))
    one = read_frames(engine, dt.date(1935, 8, 30), dt.date(1935, 8, 31))
    other = read_frames(engine, SEPTEMBER, dt.date(1935, 9, 3))
    rows = _dates(engine, "crew_entries")
    assert both.crew.num_rows == len(rows) == one.crew.num_rows + other.crew.num_rows
    assert set(both.shifts.column("shift_id").to_pylist()) == {"S1", "S2", "S3", "S4", "S5"}
    assert both.outputs.num_rows == one.outputs.num_rows + other.outputs.num_rows


def test_verify_ledger_finds_a_crew_row_moved_to_another_date(
    engine: Engine, tmp_path: Path
) -> None:
    _import(engine, mini_copy(tmp_path))
    key = min(k for k, (shift, _, _) in _dates(engine, "crew_entries").items() if shift == "S2")
    with engine.connect() as connection, connection.begin():
        unguard(connection)
        # The same month: on PostgreSQL the row stays in its partition.
        connection.exec_driver_sql(
            f"UPDATE crew_entries SET shift_date = '1935-08-01' WHERE entry_id = {key}"
        )
    found = verify_ledger(engine)
    assert [(f.table, f.key, f.what) for f in found.findings] == [
        ("crew_entries", str(key), "edited")
    ]
    assert "shift_date" in found.findings[0].detail


def test_the_migration_dates_and_partitions_a_populated_ledger(
    engine: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    _import(engine, folder)
    void_shift(engine, "S4", "entered twice", author="clerk")
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        if engine.dialect.name == "sqlite":  # a rebuilt table is dropped while referred to
            raw.execute("PRAGMA foreign_keys=OFF")
        with connection.begin():
            command.downgrade(_alembic_config(connection), "0032")
    with engine.connect() as connection:
        assert not partitions.partitioned(connection)
    assert upgrade(engine)
    _assert_dated(engine)
    with engine.connect() as connection:
        assert partitions.partitioned(connection) is (engine.dialect.name == "postgresql")
    if engine.dialect.name == "postgresql":
        assert len(_by_partition(engine, "crew_entries")) == 2
    void_shift(engine, "S2", "entered twice", author="clerk")  # a write after it
    _assert_dated(engine)
