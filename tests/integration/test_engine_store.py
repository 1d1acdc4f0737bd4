"""Frames read from the database give the engine the domain's numbers, on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Engine

from stakhanov import engine as set_based
from stakhanov.domain.audit import audit
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function
from stakhanov.domain.periods import Period
from stakhanov.engine.frames import frames_of
from stakhanov.services import reports
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.frames import read_frames
from tests.integration.helpers import append, mini_copy

pytestmark = pytest.mark.storage

FIXTURES = Path(__file__).parent.parent / "fixtures"
PERIOD = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))


def load(engine: Engine, folder: Path, **options: object) -> None:
    import_batch(engine, read_source(folder, set(FORMATS)), **options)  # type: ignore[arg-type]


def plain(table: pa.Table) -> list[dict[str, object]]:
    return table.drop(["entry_id"]).to_pylist()


def assert_engine_equals_domain(engine: Engine, period: Period = PERIOD) -> None:
    ledger = reports.ledger_for(engine, period)
    frames = read_frames(engine, period.start, period.end)
    # The store's frames hold what the domain snapshot holds, column for column; the crew in
    # entry order, which decides ties of the split.
    expected = frames_of(ledger, period.start, period.end)
    assert plain(frames.crew) == plain(expected.crew)
    for ours, theirs in ((frames.shifts, expected.shifts), (frames.outputs, expected.outputs)):
        assert sorted(plain(ours), key=str) == sorted(plain(theirs), key=str)
    # And the engine's report rows are the domain's, exactly as the CLI prints them.
    found = reports.results_within(ledger, period)
    for grouping in Grouping:
        reference = aggregate(found, key_function(grouping, reports.home_unit_of(ledger)))
        ours_rows = [
            reports.FulfilmentRow(grouping, f).as_dict()
            for f in set_based.fulfilment(frames, grouping)
        ]
        assert ours_rows == [reports.FulfilmentRow(grouping, f).as_dict() for f in reference]
    assert set_based.findings(frames) == audit(ledger, period.start, period.end)


@pytest.mark.parametrize("fixture", ["mini", "staged", "pay-two-scales/ledger"])
def test_fixtures_read_as_frames_give_the_domain_s_numbers(engine: Engine, fixture: str) -> None:
    load(engine, FIXTURES / fixture)
    assert_engine_equals_domain(engine)


def test_corrections_reversals_and_awkward_text(engine: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    load(engine, folder)
    # A corrected output and credit: only the current entries count.
    for name, old, new in (
        ("output.csv", "S5,hewing,250,t,", "S5,hewing,230.50,t,"),
        ("crew.csv", "S5,H3,hewing,6,250,", "S5,H3,hewing,6.0,230.50,"),
    ):
        path = folder / name
        path.write_text(path.read_text().replace(old, new))
    load(engine, folder, correct=True, reason="weighbridge recalibrated")
    # A note with a comma, quotes and a line break survives the trip through CSV.
    append(folder, "shifts.csv", 'S9,1935-09-04,6,Mine/Section 8/Brigade 1,prepared,"a, ""b""\nc"')
    load(engine, folder)
    assert_engine_equals_domain(engine)
    assert_engine_equals_domain(engine, Period(dt.date(1935, 9, 1), dt.date(1935, 9, 3)))


def test_an_empty_period_has_no_rows(engine: Engine, tmp_path: Path) -> None:
    load(engine, mini_copy(tmp_path))
    frames = read_frames(engine, dt.date(1940, 1, 1), dt.date(1940, 1, 31))
    assert frames.crew.num_rows == 0 and set_based.fulfilment(frames, Grouping.WORKER) == []


def test_the_store_holds_nothing_finer_than_micro_units(engine: Engine, tmp_path: Path) -> None:
    """What the engine could not keep exact never reaches the store: the import refuses it."""
    folder = mini_copy(tmp_path)
    path = folder / "crew.csv"
    path.write_text(path.read_text().replace("S5,H3,hewing,6,250,", "S5,H3,hewing,5.9999999,250,"))
    with pytest.raises(ImportRejected, match="problem"):
        load(engine, folder)
    assert read_frames(engine, PERIOD.start, PERIOD.end).crew.num_rows == 0
