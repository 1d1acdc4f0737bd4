"""The partial indexes of reversals (migration 0019): present, used, and reads still exact."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from stakhanov.data import preset_scales
from stakhanov.domain.periods import parse_period
from stakhanov.services import payroll
from stakhanov.services.chain import verify_ledger
from stakhanov.services.corrections import void_shift
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.scales import import_scales
from stakhanov.services.tables import read_source
from stakhanov.store import payroll as pay_store
from stakhanov.store.frames import read_frames
from tests.api.conftest import populate
from tests.integration.helpers import analysed_tables, mini_copy

pytestmark = pytest.mark.storage

LARGE = ("shift_entries", "output_entries", "crew_entries", "time_entries")


def test_each_large_ledger_has_a_partial_index_of_its_reversals(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in LARGE:
        names = {ix["name"]: ix for ix in inspector.get_indexes(table)}
        assert names[f"ix_{table}_reversal"]["column_names"] == ["reverses"]


def test_a_voided_shift_leaves_the_frames_with_the_new_condition(
    engine: Engine, tmp_path: Path
) -> None:
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)))
    void_shift(engine, "S1", "entered twice", author="clerk")
    frames = read_frames(engine, dt.date(1935, 8, 1), dt.date(1935, 9, 30))
    assert "S1" not in frames.shifts.column("shift_id").to_pylist()
    assert "S1" not in frames.crew.column("shift_id").to_pylist()
    assert "S1" not in frames.outputs.column("shift_id").to_pylist()
    assert {"S2", "S3", "S4"} <= set(frames.shifts.column("shift_id").to_pylist())


def test_postgresql_answers_is_it_reversed_from_the_partial_index(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the planner's choice is PostgreSQL's")
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)))
    query = (
        "SELECT entry_id FROM crew_entries WHERE reverses IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM crew_entries r WHERE r.reverses = crew_entries.entry_id"
        " AND r.reverses IS NOT NULL)"
    )
    with engine.connect() as connection:
        # A tiny table is cheaper to scan; forbid that to see which index serves the question.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(connection.execute(text(f"EXPLAIN {query}")).scalars())
    # Partitioned by month (migration 0038), each month's copy of the partial index serves it.
    assert re.search(r"ix_crew_entries_reversal|crew_entries_y\d{4}m\d{2}_reverses_idx", plan), plan


def test_a_large_close_refreshes_the_statistics_of_slips_and_lines(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pay_store, "ANALYZE_LINES", 1)  # the demo's August is small
    populate(engine)
    import_scales(engine, [preset_scales()["coal-1935"]], author="test")
    payroll.close(engine, parse_period("1935-08"), author="test")
    assert {"pay_slips", "pay_lines"} <= analysed_tables(engine)
    assert verify_ledger(engine).intact  # ANALYZE writes no ledger row
