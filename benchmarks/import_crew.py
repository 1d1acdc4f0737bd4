"""Import 100,000 crew rows; compare with a raw bulk insert of the same rows, side by side.

Run: .venv/bin/python benchmarks/import_crew.py [--rows N] [--db URL]
Prints the import's wall time, its rows per second, and its ratio to a bare SQLAlchemy
executemany of the same crew rows into the same kind of database (the floor any import pays),
so that noisy machines can still be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.ledger import now
from stakhanov.store.schema import batches, crew_entries

CREW_PER_SHIFT = 4


def write_dataset(folder: Path, rows: int) -> None:
    shifts = rows // CREW_PER_SHIFT
    workers = 400
    start = dt.date(2024, 1, 1)
    with (folder / "workers.csv").open("w") as f:
        f.write("worker_id,name,unit,trade,grade\n")
        for w in range(workers):
            f.write(f"W{w:04d},Worker {w},Plant/Shop {w % 8}/Brigade {w % 40},packer,4\n")
    (folder / "norms.csv").write_text(
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "packing,piece,time,2,,,90,2024-01-01,time study,bench\n"
    )
    with (
        (folder / "shifts.csv").open("w") as s,
        (folder / "output.csv").open("w") as o,
        (folder / "crew.csv").open("w") as c,
    ):
        s.write("shift_id,date,hours,workplace,conditions,note\n")
        o.write("shift_id,operation,quantity,unit,rejected\n")
        c.write("shift_id,worker_id,operation,hours,credited,coefficient\n")
        for i in range(shifts):
            day = start + dt.timedelta(days=i // 100)
            s.write(f"X{i},{day},8,Plant/Shop {i % 8},standard,\n")
            o.write(f"X{i},packing,{900 + i % 200},piece,\n")
            for k in range(CREW_PER_SHIFT):
                worker = (i % 100) * CREW_PER_SHIFT + k
                c.write(f"X{i},W{worker:04d},packing,8,,\n")


def timed_import(url: str, folder: Path) -> float:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    import_batch(engine, read_source(folder, set(FORMATS)))
    return time.perf_counter() - started


def timed_raw_insert(url: str, rows: int) -> float:
    engine = make_engine(url)
    upgrade(engine)
    payload = [
        {
            "batch_id": 1,
            "written_at": now(),
            "shift_id": f"X{i // CREW_PER_SHIFT}",
            "worker_id": f"W{i % 400:04d}",
            "operation": "packing",
            "hours": 8,
        }
        for i in range(rows)
    ]
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(
            insert(batches).values(batch_id=1, kind="raw", author="bench", written_at=now())
        )
        connection.execute(insert(crew_entries), payload)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite files)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        write_dataset(folder, args.rows)
        url_a = args.db or f"sqlite:///{tmp}/a.db"
        url_b = args.db or f"sqlite:///{tmp}/b.db"
        seconds = timed_import(url_a, folder)
        raw = timed_raw_insert(url_b, args.rows) if args.db is None else float("nan")
    print(f"crew rows: {args.rows}")
    print(
        f"import (parse, validate, conserve, write): {seconds:.2f} s, "
        f"{args.rows / seconds:,.0f} rows/s"
    )
    print(f"ratio to the one-minute budget: {seconds / 60:.2f}")
    if raw == raw:
        print(f"ratio to a bare executemany of the crew rows: {seconds / raw:.1f}x")


if __name__ == "__main__":
    main()
