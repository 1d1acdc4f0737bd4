"""The equity report at scale, beside `fulfilment --by worker` on the same ledger.

Run: .venv/bin/python benchmarks/equity_engine.py [--workers 4500,50000]

Generates a 30-day month (`stakhanov generate`: 4,500 workers give about 100,000 crew rows,
50,000 about 1.1 million), imports it into a SQLite file, and prints in CPU seconds of this
process (DuckDB's threads included) the equity report by worker and by brigade, and the
fulfilment report, each reading its own frames. No thresholds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.services import equity, reports
from stakhanov.store.db import make_engine

ALL = Period(dt.date(1, 1, 1), dt.date(9999, 12, 31))


def cpu(work: Callable[[], object]) -> float:
    begin = time.process_time()
    work()
    return time.process_time() - begin


def stakhanov(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "stakhanov", *args], check=True, capture_output=True)


def run(workers: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="stakhanov-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    month = folder / "month"
    stakhanov(
        "generate", "--workers", str(workers), "--days", "30", "--seed", "1", "--out", str(month)
    )
    crew_rows = sum(1 for _ in (month / "crew.csv").open(encoding="utf-8")) - 1
    stakhanov("--db", url, "import", str(month))
    engine = make_engine(url)
    by_worker = cpu(lambda: equity.equity(engine, ALL, equity.By.WORKER))
    by_brigade = cpu(lambda: equity.equity(engine, ALL, equity.By.BRIGADE))
    fulfilment = cpu(lambda: reports.fulfilment(engine, ALL, Grouping.WORKER))
    report = equity.equity(engine, ALL)
    engine.dispose()
    print(f"\n{crew_rows:,} crew rows, {workers:,} workers (CPU seconds, this process)")
    print(f"  equity --by worker                     {by_worker:8.2f}")
    print(f"  equity --by brigade                    {by_brigade:8.2f}")
    print(f"  fulfilment --by worker                 {fulfilment:8.2f}")
    print(f"  rows {len(report.rows)}, best workplaces {len(report.best_workplaces)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", default="4500,50000")
    args = parser.parse_args()
    for workers in (int(w) for w in args.workers.split(",")):
        run(workers)


if __name__ == "__main__":
    main()
