"""A scoped read (a subtree, a worker) gives exactly the rows of reading all, then filtering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov import engine as set_based
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors, is_within
from stakhanov.services import reports
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.frames import read_frames
from tests.integration.helpers import append, mini_copy

pytestmark = pytest.mark.storage

FIXTURES = Path(__file__).parent.parent / "fixtures"
PERIOD = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))


def _load(engine: Engine, folder: Path) -> None:
    import_batch(engine, read_source(folder, set(FORMATS)))


def _cross_brigade(folder: Path) -> None:
    """A crew across brigades: a Brigade 2 report still needs Brigade 1's hewer to split."""
    append(folder, "shifts.csv", "S9,1935-09-04,6,Mine/Section 1/Brigade 2,standard,")
    append(folder, "output.csv", "S9,hewing,31,t,")
    append(folder, "crew.csv", "S9,H1,hewing,6,,")
    append(folder, "crew.csv", "S9,H3,hewing,3,,")


def _subtrees(engine: Engine) -> list[str]:
    homes = read_frames(engine, PERIOD.start, PERIOD.end).homes
    return sorted({u for home in homes.values() for u in ancestors(home)} | {"Nowhere"})


def _filtered_after(engine: Engine, grouping: Grouping, subtree: str) -> list[dict[str, object]]:
    frames = read_frames(engine, PERIOD.start, PERIOD.end)
    rows = set_based.fulfilment(frames, grouping, [subtree])
    return [reports.FulfilmentRow(grouping, f).as_dict() for f in rows]


@pytest.mark.parametrize("fixture", ["mini", "staged"])
def test_a_subtree_s_report_equals_the_whole_read_filtered_after(
    engine: Engine, fixture: str, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path) if fixture == "mini" else FIXTURES / fixture
    if fixture == "mini":
        _cross_brigade(folder)
    _load(engine, folder)
    for subtree in _subtrees(engine):
        for grouping in Grouping:
            expected = _filtered_after(engine, grouping, subtree)
            pushed = reports.fulfilment_from_ledger(engine, PERIOD, grouping, subtree)
            assert [r.as_dict() for r in pushed] == expected, (subtree, grouping)
            stored = reports.fulfilment(engine, PERIOD, grouping, subtree)
            assert [r.as_dict() for r in stored] == expected, (subtree, grouping)


def test_a_scoped_read_holds_only_in_scope_shifts_with_their_whole_crews(
    engine: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    _cross_brigade(folder)
    _load(engine, folder)
    whole = read_frames(engine, PERIOD.start, PERIOD.end)
    brigade = "Mine/Section 1/Brigade 2"
    scoped = read_frames(engine, PERIOD.start, PERIOD.end, [brigade])
    in_scope = {w for w, home in whole.homes.items() if is_within(home, brigade)}
    expected = {c["shift_id"] for c in whole.crew.to_pylist() if c["worker_id"] in in_scope}
    assert set(scoped.shifts.column("shift_id").to_pylist()) == expected
    assert {"S3", "S9"} <= expected and "S4" not in expected  # S4 is the works' shift
    # Every crew member of those shifts, in scope or not, and nothing else.
    assert scoped.crew.to_pylist() == [
        c for c in whole.crew.to_pylist() if c["shift_id"] in expected
    ]
    one = read_frames(engine, PERIOD.start, PERIOD.end, worker_id="H1")
    assert set(one.shifts.column("shift_id").to_pylist()) == {"S1", "S2", "S3", "S9"}
    nobody = read_frames(engine, PERIOD.start, PERIOD.end, ["Nowhere"])
    assert nobody.shifts.num_rows == nobody.crew.num_rows == nobody.outputs.num_rows == 0
