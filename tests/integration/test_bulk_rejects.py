"""Reject faults are judged in the staging, not row by row: the same verdicts, the same words."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.services import bulk, bulk_read
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine, upgrade
from tests.integration.helpers import import_outcome, mini_copy, write

pytestmark = pytest.mark.storage
HEADER = "shift_id,operation,worker_id,quantity,note\n"

SHIFTS = st.sampled_from(["S1", "S2", "S4", "S5", "s4", "S9", ""])
OPERATIONS = st.sampled_from(["hewing", "turning", "timbering", "assist", "Hewing", ""])
WORKERS = st.sampled_from(["H1", "H2", "H3", "L1", "T1", "NOBODY", ""])
QUANTITIES = st.sampled_from(["1", "2", "4", "0.5", "250", "500", "501", "0", "-1", "x", ""])
ROW = st.tuples(SHIFTS, OPERATIONS, WORKERS, QUANTITIES, st.sampled_from(["", "scrap"]))


@pytest.fixture(scope="module")
def ledgers() -> Iterator[tuple[Engine, Engine]]:
    """An empty ledger and one holding the mini month; the examples only check (dry run)."""
    with tempfile.TemporaryDirectory() as tmp:
        engines = []
        for name in ("empty", "full"):
            engine = make_engine(f"sqlite:///{tmp}/{name}.db")
            upgrade(engine)
            engines.append(engine)
        import_batch(engines[1], read_source(mini_copy(Path(tmp)), set(FORMATS)))
        yield engines[0], engines[1]
        for engine in engines:
            engine.dispose()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=6), correct=st.booleans(), full=st.booleans())
def test_random_reject_rows_get_the_same_verdict(
    ledgers: tuple[Engine, Engine],
    rows: list[Any],
    correct: bool,
    full: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the month in the batch (empty ledger) or stored (full), the staging's checks of the
    rejects and the row path's agree: every problem, its place and words, or the same counts."""
    monkeypatch.setattr(bulk_read, "CHUNK_ROWS", 3)
    text = io.StringIO()
    csv.writer(text).writerows([HEADER.strip().split(","), *rows])
    engine = ledgers[1] if full else ledgers[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = mini_copy(Path(tmp))
        (folder / "rejects.csv").write_text(text.getvalue())
        options = {"correct": correct, "dry_run": True}
        row = import_outcome(
            lambda: import_batch(engine, read_source(folder, set(FORMATS)), **options)
        )
        judged: list[set[str]] = []
        real = bulk._records

        def records(staging: Any, kind: Any, suspects: set[str], present: list[str]) -> Any:
            judged.append(set(suspects))
            return real(staging, kind, suspects, present)

        monkeypatch.setattr(bulk, "_records", records)
        found = import_outcome(lambda: import_directory(engine, folder, **options))
    assert found == row
    if not full and isinstance(row, dict):
        assert judged and not judged[0]  # valid rejects of new shifts are not judged row by row


def test_a_bad_reject_is_named_by_file_row_and_field(engine: Engine, tmp_path: Path) -> None:
    """Each check of a reject names its row and field, though its shift is not parsed again."""
    folder = mini_copy(tmp_path)
    write(
        folder,
        "rejects.csv",
        HEADER + "S4,turning,L1,3,\nS4,turning,H1,1,\nS1,hewing,H1,1,\n"
        "S2,timbering,H1,1,\nS2,hewing,H2,600,\nS5,hewing,H3,x,\n",
    )
    with pytest.raises(ImportRejected) as refused:
        import_directory(engine, folder)
    found = [str(p) for p in refused.value.problems]
    assert found == [
        "rejects.csv:3:worker_id: 'H1' is not credited on turning in S4",
        "rejects.csv:4:quantity: faults of S1 hewing add up to 1 t, more than the 0 t rejected",
        "rejects.csv:5:operation: no output of 'timbering' is measured in shift 'S2'",
        "rejects.csv:6:quantity: faults of S2 hewing add up to 600 kg, more than the 500 kg "
        "rejected",
        "rejects.csv:7:quantity: is not a number",
    ]
    assert import_outcome(lambda: import_batch(engine, read_source(folder, set(FORMATS)))) == found
