"""The set-based engine against the domain reference and one hand-written DuckDB query.

Run: .venv/bin/python benchmarks/fulfilment_engine.py [--rows 100000,1000000] [--sample 500]

For each size it writes a month of crew rows straight into a SQLite file (executemany), then
times, in CPU seconds of this process, `fulfilment --by worker` and `audit` through the
engine (reading frames included), the domain reference on a sample of shifts extrapolated to
the month, and one hand-written DuckDB query of per-worker fulfilment over the same frames.
It prints ratios side by side; no thresholds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from stakhanov import engine as set_based
from stakhanov.domain.audit import audit
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function, results
from stakhanov.domain.periods import Period
from stakhanov.services import reports
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.frames import read_frames
from stakhanov.store.ledger import LedgerStore

START = dt.date(2024, 3, 1)
DAYS = 31
CREW = 4  # three hewers and a timberer per shift
WRITTEN = "2024-04-01 00:00:00.000000"


def _insert(cursor: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in columns.split(","))
    cursor.executemany(
        f"INSERT INTO {table} (batch_id, written_at, {columns}) VALUES (1, '{WRITTEN}', {marks})",
        rows,
    )


def generate(url: str, crew_rows: int, seed: int = 1935) -> int:
    """A month of shifts: hewing splits and given credits, pooled, prepared, helpers."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    shifts = crew_rows // CREW
    workers = max(40, shifts * CREW // (DAYS * 2))
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("BEGIN")
    cursor.execute(
        "INSERT INTO batches (batch_id, kind, author, written_at) VALUES (1, 'import', 'bench', ?)",
        (WRITTEN,),
    )
    units = [f"Mine/Section {w % 10}/Brigade {w % 100}" for w in range(workers)]
    _insert(
        cursor,
        "worker_entries",
        "worker_id, name, unit",
        [(f"W{w:06d}", f"Worker {w}", units[w]) for w in range(workers)],
    )
    _insert(
        cursor,
        "norm_entries",
        "operation, unit, kind, norm, norm_hours, includes, max_rate, effective_from",
        [
            ("hewing", "t", "output", "7", "6", "timbering", "12", "2024-01-01"),
            ("hewing", "t", "output", "7.5", "6", "timbering", "12", "2024-03-16"),
        ],
    )
    shift_rows, output_rows, crew = [], [], []
    for i in range(shifts):
        day = START + dt.timedelta(days=i * DAYS // shifts)
        prepared = "prepared" if i % 97 == 0 else "standard"
        shift_rows.append((f"X{i}", day.isoformat(), "6", f"Mine/Section {i % 10}", prepared))
        tenths = rng.randint(150, 450)
        kilos = i % 5 == 0  # a fifth weighed in kg against the norm in t
        quantity = f"{tenths * 100}" if kilos else f"{tenths / 10:.1f}"
        output_rows.append((f"X{i}", "hewing", quantity, "kg" if kilos else "t"))
        team = rng.sample(range(workers), CREW)
        given = i % 50 == 0  # pooled: everything credited to the first hewer
        for k, w in enumerate(team):
            operation = "timbering" if k == CREW - 1 else "hewing"
            credited = (quantity if k == 0 else "0") if given and operation == "hewing" else None
            crew.append((f"X{i}", f"W{w:06d}", operation, "6", credited))
    _insert(cursor, "shift_entries", "shift_id, date, hours, workplace, conditions", shift_rows)
    _insert(cursor, "output_entries", "shift_id, operation, quantity, unit", output_rows)
    _insert(cursor, "crew_entries", "shift_id, worker_id, operation, hours, credited", crew)
    cursor.execute("COMMIT")
    raw.close()
    engine.dispose()
    return shifts


HAND_WRITTEN = """
WITH g AS (
  SELECT o.shift_id, o.quantity, n.norm, n.norm_hours
  FROM (outputs o JOIN shifts s USING (shift_id))
  ASOF JOIN hand_norms n ON o.operation = n.operation AND s.date >= n.effective_from),
c AS (
  SELECT c.shift_id, c.worker_id, c.hours, c.credited,
         sum(c.hours) OVER (PARTITION BY c.shift_id) AS crew_hours,
         sum(c.hours) FILTER (WHERE c.operation = 'hewing') OVER (PARTITION BY c.shift_id)
           AS doer_hours
  FROM crew c)
SELECT c.worker_id,
       sum(coalesce(c.credited, g.quantity * c.hours / c.doer_hours) * g.norm_hours / g.norm)
         / sum(c.hours) AS stated,
       sum(g.quantity * g.norm_hours / g.norm * c.hours / c.crew_hours) / sum(c.hours) AS fair
FROM c JOIN g USING (shift_id) GROUP BY c.worker_id
"""


def cpu(work: Callable[[], object]) -> float:
    begin = time.process_time()
    work()
    return time.process_time() - begin


def hand_query(url: str, period: Period) -> float:
    engine = make_engine(url)
    frames = read_frames(engine, period.start, period.end)
    db = duckdb.connect()
    for name in ("shifts", "outputs", "crew"):
        db.register(name, getattr(frames, name))
    db.execute(
        "CREATE TABLE hand_norms AS SELECT * FROM (VALUES ('hewing', DATE '2024-01-01', "
        "7.0, 6.0), ('hewing', DATE '2024-03-16', 7.5, 6.0)) t(operation, effective_from, "
        "norm, norm_hours)"
    )
    seconds = cpu(lambda: db.execute(HAND_WRITTEN).fetchall())
    db.close()
    engine.dispose()
    return seconds


def domain_sample(url: str, period: Period, sample: int, shifts: int) -> tuple[float, float]:
    """CPU seconds of the reference (snapshot, results, aggregate; audit) extrapolated."""
    engine = make_engine(url)
    ids = {f"X{i}" for i in range(0, shifts, max(1, shifts // sample))}
    with engine.connect() as connection:
        load = cpu(lambda: LedgerStore(connection).snapshot(ids, (period.start, period.end)))
        ledger = LedgerStore(connection).snapshot(ids, (period.start, period.end))
    home = reports.home_unit_of(ledger)
    by_worker = cpu(
        lambda: aggregate(
            results(ledger, period.start, period.end), key_function(Grouping.WORKER, home)
        )
    )
    audited = cpu(lambda: audit(ledger, period.start, period.end))
    engine.dispose()
    scale = shifts / len(ids)
    return (load + by_worker) * scale, (load + audited) * scale


def run(rows: int, sample: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="stakhanov-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    shifts = generate(url, rows)
    period = Period(START, START + dt.timedelta(days=DAYS - 1))
    engine = make_engine(url)
    read = cpu(lambda: read_frames(engine, period.start, period.end))
    frames = read_frames(engine, period.start, period.end)
    computed = cpu(lambda: set_based.fulfilment(frames, Grouping.WORKER))
    fulfilment = cpu(lambda: reports.fulfilment(engine, period, Grouping.WORKER))
    findings = cpu(lambda: reports.findings(engine, period))
    engine.dispose()
    hand = hand_query(url, period)
    domain_fulfilment, domain_audit = domain_sample(url, period, sample, shifts)
    print(f"\n{rows:,} crew rows, {shifts:,} shifts (CPU seconds, this process)")
    print(f"  read frames (SQLite -> Arrow)         {read:8.2f}")
    print(f"  engine fulfilment --by worker          {fulfilment:8.2f}")
    print(f"    of which computing on read frames    {computed:8.2f}")
    print(f"  engine audit                           {findings:8.2f}")
    print(f"  hand-written DuckDB query              {hand:8.2f}")
    print(f"  domain fulfilment (extrapolated)       {domain_fulfilment:8.2f}")
    print(f"  domain audit (extrapolated)            {domain_audit:8.2f}")
    print(f"  fulfilment: domain / engine            {domain_fulfilment / fulfilment:8.1f}x")
    print(f"  audit: domain / engine                 {domain_audit / findings:8.1f}x")
    print(f"  fulfilment: engine / hand-written      {fulfilment / hand:8.1f}x")
    print(f"  computing: engine / hand-written       {computed / hand:8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--sample", type=int, default=500, help="shifts timed in the domain")
    args = parser.parse_args()
    for rows in (int(r) for r in args.rows.split(",")):
        run(rows, args.sample)


if __name__ == "__main__":
    main()
