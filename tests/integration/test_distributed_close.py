"""The close on a Dask cluster gives the local close's slips, also when a worker dies mid-task."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dask.distributed import Client, LocalCluster, WorkerPlugin
from sqlalchemy import Engine, func, select

from stakhanov.data import preset_scales
from stakhanov.data.irmino import write_demo_dataset
from stakhanov.data.irmino_pay import write_pay_inputs
from stakhanov.domain.payslips import canonical, digest
from stakhanov.services import distributed, payroll, payroll_engine
from stakhanov.services.demo import PAY_PERIODS, PAY_SCALE
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.scales import import_scales
from stakhanov.services.tables import read_source
from stakhanov.store.pay_tables import pay_periods, pay_slips

pytestmark = pytest.mark.storage
AUGUST = PAY_PERIODS[0]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as running:
        yield running


def _mine(engine: Engine) -> None:
    """The demo mine's shift logs, paid time and the 1935 scale (no close yet)."""
    with tempfile.TemporaryDirectory() as folder:
        write_demo_dataset(Path(folder), seed=1935)
        write_pay_inputs(Path(folder))
        import_batch(engine, read_source(Path(folder), set(FORMATS)), author="test")
    import_scales(engine, [preset_scales()[PAY_SCALE]], author="test")


class KillOnce(WorkerPlugin):
    """Kills the worker process as it starts the first part of a close (once per cluster)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or "stakhanov-close" not in str(key):
            return
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os._exit(1)


def _written(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        periods = connection.execute(select(func.count()).select_from(pay_periods)).scalar()
        slips = connection.execute(select(func.count()).select_from(pay_slips)).scalar()
        workers = connection.execute(
            select(func.count(func.distinct(pay_slips.c.worker_id)))
        ).scalar()
    return int(periods or 0), int(slips or 0), int(workers or 0)


def test_the_cluster_gives_the_local_slips(
    engine: Engine, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mine(engine)
    local = payroll.slips(engine, AUGUST).slips  # as a local close would lock them now

    def reference(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the engine computes the mine's runs, not the reference")

    monkeypatch.setattr(distributed, "compute_parts", reference)
    report = distributed.close(engine, AUGUST, scheduler=cluster.scheduler_address, parts=5)
    assert report.slips == len(local) > 20
    assert report.digest == digest(local)
    assert canonical(payroll.slips(engine, AUGUST).slips) == canonical(local)
    assert _written(engine) == (1, len(local), len(local))
    again = distributed.close(engine, AUGUST, scheduler=cluster.scheduler_address)
    assert again.already and _written(engine) == (1, len(local), len(local))


def test_a_killed_worker_is_retried_and_nothing_is_written_twice(
    engine: Engine, tmp_path: Path
) -> None:
    _mine(engine)
    local = payroll.slips(engine, AUGUST).slips
    marker = tmp_path / "killed"
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as fresh,
        Client(fresh) as client,
    ):
        client.register_plugin(KillOnce(str(marker)))
        report = distributed.close(engine, AUGUST, scheduler=fresh.scheduler_address, parts=4)
    assert marker.exists(), "a worker process was killed in the middle of a part"
    assert report.digest == digest(local)
    assert _written(engine) == (1, len(local), len(local))


def test_a_ledger_that_moves_during_the_close_writes_nothing(
    engine: Engine, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mine(engine)
    computed = distributed.spool_on

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        found = computed(*args, **kwargs)
        import_scales(engine, [preset_scales()["coal-1935-stated"]], author="someone else")
        return found

    monkeypatch.setattr(distributed, "spool_on", meanwhile)
    with pytest.raises(distributed.LedgerMoved, match="nothing was written"):
        distributed.close(engine, AUGUST, scheduler=cluster.scheduler_address)
    assert _written(engine) == (0, 0, 0)


def test_a_period_the_engine_cannot_keep_exact_is_computed_by_the_reference_parts(
    engine: Engine, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mine(engine)
    local = payroll.slips(engine, AUGUST).slips
    used = []
    reference = distributed.compute_parts

    def inexact(*args: Any, **kwargs: Any) -> Any:  # as a run holding 20 min (1/3 h) would be
        raise payroll_engine.Unsupported("thirds of an hour")

    def counted(*args: Any, **kwargs: Any) -> Any:
        used.append(True)
        return reference(*args, **kwargs)

    monkeypatch.setattr(payroll_engine, "inputs_of", inexact)
    monkeypatch.setattr(distributed, "compute_parts", counted)
    report = distributed.close(engine, AUGUST, scheduler=cluster.scheduler_address, parts=3)
    assert used and report.digest == digest(local)
    assert _written(engine) == (1, len(local), len(local))
