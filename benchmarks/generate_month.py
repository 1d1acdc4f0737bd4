"""Time `stakhanov generate` at real sizes: a factory, a harvest contractor, a ministry.

Run: .venv/bin/python benchmarks/generate_month.py [--workers N ...] [--days D] [--parquet]
Prints, per size, the crew rows written, the seconds and the crew rows per second. The files go
to a temporary directory that is removed afterwards (10 million crew rows take about 700 MB).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from stakhanov.services.generator import Settings, generate

SIZES = (4_500, 50_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parquet", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:  # loads the unit registry before timing
        generate(Settings(10, 1, args.seed), Path(folder))
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            result = generate(Settings(workers, args.days, args.seed), Path(folder), args.parquet)
            seconds = time.perf_counter() - began
        crew = next(rows for name, rows in result.files.items() if name.startswith("crew"))
        print(
            f"{workers:>9,} workers x {args.days} days: {crew:>11,} crew rows "
            f"in {seconds:7.1f} s, {crew / seconds:>9,.0f} crew rows/s"
        )


if __name__ == "__main__":
    main()
