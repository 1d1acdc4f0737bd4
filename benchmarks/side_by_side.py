"""What the before-and-after benchmarks share: a copy of an imported database and a median."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from stakhanov.store.db import make_engine


def p50(call: Callable[[], Any], repeat: int) -> float:
    """The median wall time of `repeat` calls, in seconds."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def alternated(
    before: Callable[[], Any], after: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    """The median wall times of `repeat` calls of each, one of each in turn: on a shared,
    loaded machine the load then weighs on both alike."""
    seconds: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for call, found in zip((before, after), seconds, strict=True):
            start = time.perf_counter()
            call()
            found.append(time.perf_counter() - start)
    return statistics.median(seconds[0]), statistics.median(seconds[1])


def database() -> tuple[argparse.Namespace, Engine]:
    """`--db FILE` (a copy of an imported SQLite database) and `--repeat N`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    return args, make_engine(f"sqlite:///{args.db}")
