"""Many seeded shifts, run here or on a Dask cluster, with the same results for the same seeds.

Each run is a pure function of the workplace, the scenario and its seed, so where it runs does
not matter: the Dask engine maps the same function over the same seeds and gathers the results
in seed order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from stakhanov.sim.site import Scenario, ShiftResult, run_shift
from stakhanov.sim.workplace import Workplace

Advance = Callable[[int], None]


class Engine(StrEnum):
    LOCAL = "local"
    DASK = "dask"


def seeds_from(seed: int, runs: int) -> list[int]:
    return [seed + i for i in range(runs)]


def run_many(
    workplace: Workplace,
    scenario: Scenario,
    seeds: Sequence[int],
    *,
    engine: Engine = Engine.LOCAL,
    scheduler: str | None = None,
    advance: Advance | None = None,
) -> list[ShiftResult]:
    """One shift per seed, in seed order. `advance(n)` reports n more runs done."""
    if engine is Engine.DASK:
        return _on_dask(workplace, scenario, seeds, scheduler, advance)
    results = []
    for seed in seeds:
        results.append(run_shift(workplace, scenario, seed))
        if advance:
            advance(1)
    return results


def _on_dask(
    workplace: Workplace,
    scenario: Scenario,
    seeds: Sequence[int],
    scheduler: str | None,
    advance: Advance | None,
) -> list[ShiftResult]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        )
    try:
        with Client(scheduler if scheduler is not None else cluster) as client:
            return _gather(client, workplace, scenario, seeds, advance, as_completed)
    finally:
        if cluster is not None:
            cluster.close()


def _gather(client, workplace, scenario, seeds, advance, as_completed):  # type: ignore[no-untyped-def]
    futures = client.map(
        run_shift, [workplace] * len(seeds), [scenario] * len(seeds), seeds, pure=True
    )
    for _ in as_completed(futures):
        if advance:
            advance(1)
    return client.gather(futures)  # in the order of the seeds, whatever order they finished in


def run_on(
    client: object, workplace: Workplace, scenario: Scenario, seeds: Sequence[int]
) -> list[ShiftResult]:
    """The runs on a client the caller holds (tests share one local cluster)."""
    from dask.distributed import as_completed

    return _gather(client, workplace, scenario, seeds, None, as_completed)  # type: ignore[no-any-return]
