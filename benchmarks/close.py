"""The period close: the engine, the domain reference and a hand-written DuckDB query, side by side.

Run: .venv/bin/python benchmarks/close.py [--workers 900 4500] [--sample 200] [--db URL]

Generates a month (`stakhanov generate`: about 22 crew rows per worker), imports it into a fresh
SQLite file (or the empty database --db names), loads a two-tier scale, then times in one run:
the engine's computation of every slip (reading frames included), the close that writes them,
the domain reference on a sample of workers (their whole crews, domain.partitions) extrapolated
by crew rows, and one hand-written DuckDB query of per-shift fulfilment and two-tier pay over
the same frames. Prints CPU seconds of this process (DuckDB's threads included; wall time
too), ratios and peak memory at each size, then the growth per crew row; no thresholds.
4,500 workers are about 100,000 crew rows; 45,000 about a million.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from stakhanov.domain.partitions import part_ledger, parts_of
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.services import payroll
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.generator import Settings, generate, month_scale
from stakhanov.services.scales import import_scales
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.frames import read_frames
from stakhanov.store.payroll import PayStore

START = dt.date(2025, 9, 1)
SCALE = month_scale("bench")

# Per shift: fulfilment of the worker's credit and two-tier pay (rate x output, + 0.25 x the
# output above 100% of the norm, + 0.25 more above 130%), summed per worker. DECIMAL and DOUBLE
# arithmetic, an even split, no helpers, no explanations: a lower bound, not a payroll.
HAND = """
WITH w AS (SELECT shift_id, operation, sum(hours) AS crew_hours, count(*) AS n
           FROM crew GROUP BY ALL),
r AS (
  SELECT c.worker_id, c.hours / 1e6 AS hours,
         coalesce(c.credited, o.quantity * c.hours / w.crew_hours) / 1e6 AS output,
         n.norm_hours / n.norm AS per_unit, g.tariff
  FROM crew c JOIN outputs o USING (shift_id, operation) JOIN w USING (shift_id, operation)
  JOIN shifts s USING (shift_id) JOIN norms n ON n.operation = c.operation
  JOIN grades g USING (worker_id)
  WHERE s.date >= n.effective_from)
SELECT worker_id, sum(output * per_unit) / sum(hours) * 100 AS percent,
       sum(round(tariff * per_unit * (output
           + 0.25 * greatest(output - 1.00 * hours / per_unit, 0)
           + 0.25 * greatest(output - 1.30 * hours / per_unit, 0)), 2)) AS pay
FROM r GROUP BY worker_id
"""


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    found = work()
    return found, time.perf_counter() - wall, time.process_time() - cpu


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(url: str, workers: int, folder: Path) -> Period:
    generate(Settings(workers, 30, 1, START), folder)
    engine = make_engine(url)
    upgrade(engine)
    import_directory(engine, folder)
    import_scales(engine, [_write(folder / "bench.toml", SCALE)])
    engine.dispose()
    return Period(START, START + dt.timedelta(days=29))


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def hand_query(url: str, period: Period) -> float:
    engine = make_engine(url)
    frames = read_frames(engine, period.start, period.end)
    db = duckdb.connect()
    norms = [
        (n.operation, n.effective_from, float(n.norm), float(n.norm_hours or 0))
        for n in frames.norms
    ]
    grades = {"1": 16.5, "2": 18.0, "3": 20.0, "4": 22.0, "5": 24.0, "6": 26.0}
    for name, table in (("crew", frames.crew), ("outputs", frames.outputs)):
        db.register(name, table)
    db.register("shifts", frames.shifts)
    db.execute(
        "CREATE TABLE norms (operation TEXT, effective_from DATE, norm DOUBLE, norm_hours DOUBLE)"
    )
    db.executemany("INSERT INTO norms VALUES (?, ?, ?, ?)", norms)
    db.execute("CREATE TABLE grades (worker_id TEXT, tariff DOUBLE)")
    db.executemany(
        "INSERT INTO grades VALUES (?, ?)",
        [(w, grades.get(g or "", 0.0)) for w, g in frames.grades.items()],
    )
    _, _, cpu = timed(lambda: db.execute(HAND).fetchall())
    engine.dispose()
    return cpu


def reference_sample(url: str, period: Period, sample: int) -> tuple[float, float, float]:
    """CPU seconds of the whole period's snapshot, of compute_payroll for a sample of workers'
    crews, and the sample's share of the crew rows."""
    engine = make_engine(url)
    with engine.connect() as connection:
        ledger, _, read = timed(lambda: payroll.snapshot(connection, period))
        book = payroll.scale_book(PayStore(connection))
    engine.dispose()
    workers = sorted({e.worker_id for e in ledger.crew})
    chosen = random.Random(1).sample(workers, min(sample, len(workers)))
    part = parts_of(ledger, chosen, 1)[0]
    small = part_ledger(ledger, part)
    _, _, cpu = timed(lambda: compute_payroll(small, period, book))
    return read, cpu, part.rows / max(1, len(ledger.crew))


def run(workers: int, sample: int, url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        target = url or f"sqlite:///{Path(folder) / 'close.db'}"
        period = prepare(target, workers, Path(folder) / "month")
        engine = make_engine(target)
        with engine.connect() as connection:
            crew_rows = len(read_frames(engine, period.start, period.end).crew)
            found, engine_wall, engine_cpu = timed(lambda: payroll.compute(connection, period))
        engine_peak = peak_mb()
        _, close_wall, close_cpu = timed(lambda: payroll.close(engine, period))
        engine.dispose()
        hand = hand_query(target, period)
        read, sampled, share = reference_sample(target, period, sample)
        reference = read + sampled / share
        lines = sum(len(s.lines) + len(s.deductions) for s in found.slips)
        print(f"{crew_rows:,} crew rows, {len(found.slips):,} slips, {lines:,} lines")
        print(f"engine compute   {engine_cpu:8.2f} s CPU ({engine_wall:.2f} s wall)")
        print(f"engine close     {close_cpu:8.2f} s CPU ({close_wall:.2f} s wall), with the write")
        print(
            f"reference        {reference:8.2f} s CPU: the snapshot {read:.2f} s, then slips "
            f"extrapolated from {share:.1%} of the rows"
        )
        print(f"hand-written SQL {hand:8.2f} s CPU")
        print(
            f"reference / engine close {reference / close_cpu:6.1f}x (target >= 100); "
            f"engine compute / hand-written {engine_cpu / hand:6.1f}x (target <= 1.5); "
            f"peak memory {engine_peak:,.0f} MB (after the engine), {peak_mb():,.0f} MB (all)"
        )
        return {"rows": crew_rows, "close": close_cpu, "compute": engine_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[900, 4500], help="one run per size"
    )
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--db", default=None, help="an empty database (default: SQLite file)")
    args = parser.parse_args()
    found = []
    for workers in args.workers:
        print(f"== {workers:,} workers")
        found.append(run(workers, args.sample, args.db))
    if len(found) > 1:  # CPU per crew row, largest size over smallest: 1.0 is linear
        small, large = found[0], found[-1]
        for key in ("compute", "close"):
            growth = (large[key] / large["rows"]) / (small[key] / small["rows"])
            print(
                f"growth of the engine {key} per crew row, {large['rows']:,.0f} rows over "
                f"{small['rows']:,.0f}: {growth:.2f} (1.00 is linear)"
            )


if __name__ == "__main__":
    main()
