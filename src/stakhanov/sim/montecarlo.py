"""Many seeded shifts, run here or on a Dask cluster, with the same results for the same seeds.

Each run is a pure function of the workplace, the scenario and its seed, so where it runs does
not matter: the Dask engine maps the same function over the same seeds and gathers the results
in seed order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

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
    with dask_client(scheduler) as client:
        return run_on(client, workplace, scenario, seeds, advance)


@contextmanager
def dask_client(scheduler: str | None = None) -> Iterator[Any]:
    """A client of the given scheduler, or of a local cluster of two single-threaded workers
    started for the occasion and closed after it."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
    try:
        with Client(scheduler if scheduler is not None else cluster) as client:  # type: ignore[no-untyped-call]
            yield client
    finally:
        if cluster is not None:
            cluster.close()


def run_on(
    client: Any,
    workplace: Workplace,
    scenario: Scenario,
    seeds: Sequence[int],
    advance: Advance | None = None,
) -> list[ShiftResult]:
    """The runs on a Dask client, gathered in the order of the seeds."""
    from dask.distributed import as_completed

    n = len(seeds)
    futures = client.map(run_shift, [workplace] * n, [scenario] * n, list(seeds), pure=True)
    for _ in as_completed(futures):  # type: ignore[no-untyped-call]
        if advance:
            advance(1)
    results: list[ShiftResult] = client.gather(futures)
    return results
