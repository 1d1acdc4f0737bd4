"""Workers read by their unit in SQL: a unit's page reads its own workers, and exactly those
`is_within` keeps, whatever characters the unit's name holds (LIKE's wildcards included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov.domain.units import is_within
from stakhanov.services import reports
from stakhanov.services.bulk_write import import_directory

pytestmark = pytest.mark.storage

HOMES = (
    "Mine/B_1",
    "Mine/Bx1",
    "Mine/B%1",
    "Mine/B_1/Crew",
    "Mine/B_10",
    "Mine/B\\1",
    "Mine/B\\1/Crew",
    "Mine",
    "Mine 2/B_1",
    "Minex/B_1",
)
ASKED = (*HOMES, "Mine/B", "Mine/B_", "Min", "Mine/", "Nowhere", "Mine/B%", "Mine/B\\")


def _workers(engine: Engine, folder: Path) -> None:
    folder.mkdir()
    rows = ["worker_id,name,unit,trade,grade"]
    rows += [f'W{i},Worker {i},"{home}",hewer,3' for i, home in enumerate(HOMES)]
    (folder / "workers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_directory(engine, folder, author="test")


def test_a_unit_reads_exactly_the_workers_within_it(engine: Engine, tmp_path: Path) -> None:
    _workers(engine, tmp_path / "batch")
    everyone = reports.workers(engine)
    assert len(everyone) == len(HOMES)
    for unit in ASKED:
        expected = [w.worker_id for w in everyone if is_within(w.unit, unit)]
        assert [w.worker_id for w in reports.workers(engine, unit)] == expected, unit


def test_workers_read_by_id(engine: Engine, tmp_path: Path) -> None:
    _workers(engine, tmp_path / "batch")
    assert reports.homes(engine, ["W0", "W5", "nobody"]) == {"W0": "Mine/B_1", "W5": "Mine/B\\1"}
    chosen = reports.workers(engine, "Mine/B_1", ids=["W0", "W1", "W3"])
    assert [w.worker_id for w in chosen] == ["W0", "W3"]
