from __future__ import annotations

from collections.abc import Iterator

import pytest

from stakhanov.sim.montecarlo import Engine, run_many
from stakhanov.sim.site import Scenario
from stakhanov.sim.site_report import organisation_report
from tests.unit.test_site_simulation import IRMINO


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from dask.distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
    )
    yield cluster.scheduler_address
    cluster.close()


def test_runs_on_an_existing_scheduler_equal_the_local_runs(scheduler: str) -> None:
    brigade = IRMINO.organisations["brigade"]
    scenario = Scenario((brigade, brigade), favoured=1)
    seeds = [11, 12, 13, 14, 15]
    local = run_many(IRMINO, scenario, seeds)
    done: list[int] = []
    remote = run_many(
        IRMINO, scenario, seeds, engine=Engine.DASK, scheduler=scheduler, advance=done.append
    )
    assert [r.seed for r in remote] == seeds
    assert [r.batches for r in remote] == [r.batches for r in local]
    assert [[w.busy for w in r.workers] for r in remote] == [
        [w.busy for w in r.workers] for r in local
    ]
    assert sum(done) == len(seeds)
    assert organisation_report(IRMINO, scenario, remote) == organisation_report(
        IRMINO, scenario, local
    )


def test_the_command_on_a_scheduler_prints_the_local_report(scheduler: str) -> None:
    import json

    from typer.testing import CliRunner

    from stakhanov.cli.main import app

    args = ["simulate", "site", "warehouse-pick-pack", "--runs", "3", "--json"]
    runner = CliRunner()
    local = runner.invoke(app, args)
    remote = runner.invoke(app, [*args, "--engine", "dask", "--scheduler", scheduler])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert json.loads(remote.output)["engine"] == "dask"
    assert json.loads(remote.output)["scenarios"] == json.loads(local.output)["scenarios"]
