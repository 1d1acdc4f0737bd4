"""Random crew rows, valid and not: the bulk path judges them exactly as the row path does."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stakhanov.services import bulk_read
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine, upgrade
from tests.integration.helpers import import_outcome, mini_copy

pytestmark = pytest.mark.storage

SHIFTS = st.sampled_from(["S1", "S2", "S4", "S5", "s1", "S9", ""])
WORKERS = st.sampled_from(
    ["H1", "H2", "H3", "T1", "L1", "P1", "h2", "NOBODY", "", " H1", "\x1cH2", "\xa0H3", "\x01"]
)
OPERATIONS = st.sampled_from(["hewing", "timbering", "turning", "assist", "Hewing", ""])
NUMBERS = st.sampled_from(
    ["", "0", "6", "6.0", " 6 ", "08", "1e1", "-0", "-1", "25", "x", "1,5", "6\u3000", "\t"]
)
CREDITS = st.sampled_from(["", "0", "102", "51", "51.0", "-3", "1E+2", "nan"])
ROW = st.tuples(SHIFTS, WORKERS, OPERATIONS, NUMBERS, CREDITS, NUMBERS) | st.lists(
    st.sampled_from(["", " ", "S1", "H1", "hewing", "6", "x"]), max_size=8
)


@pytest.fixture(scope="module")
def stored() -> Any:
    """A ledger holding the mini month; every example only checks against it (dry run)."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/ledger.db")
        upgrade(engine)
        import_batch(engine, read_source(mini_copy(Path(tmp)), set(FORMATS)))
        yield engine
        engine.dispose()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=10), correct=st.booleans())
@example(rows=[["S1", "S1", "S1", "6"]], correct=False)  # short: refused, not read on
def test_random_crew_rows_get_the_same_verdict(
    stored: Any, rows: list[Any], correct: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_read, "CHUNK_ROWS", 3)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["shift_id", "worker_id", "operation", "hours", "credited", "coefficient"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "crew.csv").write_text(text.getvalue())
        options = {"correct": correct, "dry_run": True}
        row = import_outcome(
            lambda: import_batch(stored, read_source(folder, set(FORMATS)), **options)
        )
        bulk = import_outcome(lambda: import_directory(stored, folder, **options))
    assert bulk == row
