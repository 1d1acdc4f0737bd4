"""What the ledger store reads for a snapshot of some days, or for a check of names: paid time
of the days asked, chosen in SQL; workers and norms without shifts or paid time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov.services.bulk_write import import_directory
from stakhanov.store.ledger import LedgerStore
from tests.integration.helpers import mini_copy, write

pytestmark = pytest.mark.storage

TIME = """worker_id,date,kind,operation,hours,note
H1,1935-08-30,idle,hewing,1,no tubs
H2,1935-08-31,idle,hewing,2,no tubs
T1,1935-09-01,idle,timbering,1.5,no props
H1,1935-09-02,idle,hewing,0.5,no air
"""


def test_a_snapshot_reads_the_paid_time_of_its_days_and_master_data_no_more(
    engine: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    write(folder, "time.csv", TIME)
    import_directory(engine, folder, author="test")
    days = (dt.date(1935, 8, 31), dt.date(1935, 9, 1))
    with engine.connect() as connection:
        store = LedgerStore(connection)
        whole = store.snapshot([])
        some = store.snapshot([], days)
        named = store.master(["H1", "T1"])
        bare = store.master([])
    assert len(whole.time) == 4
    assert list(some.time) == [t for t in whole.time if days[0] <= t.date <= days[1]]
    assert [(t.worker_id, t.date) for t in some.time] == [
        ("H2", dt.date(1935, 8, 31)),
        ("T1", dt.date(1935, 9, 1)),
    ]
    assert set(named.workers) == {"H1", "T1"} and named.workers["H1"] == whole.workers["H1"]
    assert not bare.workers and not named.shifts and not named.time
    assert bare.norms.versions("hewing") == whole.norms.versions("hewing")
