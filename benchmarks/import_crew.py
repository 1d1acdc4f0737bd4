"""Import a generated month of crew rows; compare with a bare bulk load of the same rows.

Run: .venv/bin/python benchmarks/import_crew.py [--rows 100000 1000000] [--postgres URL]
For each size and database, prints the import's wall and CPU time (this process's; on
PostgreSQL the server's share is not in it) and peak memory next to a bare
load of the same shifts, output and crew rows into the same tables (a batched executemany on
SQLite, COPY on PostgreSQL: the floor any import pays), and the ratio of the two.
With --postgres (a server URL, e.g. postgresql+psycopg://postgres@127.0.0.1/test), scratch
databases are created next to that one and dropped afterwards.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import resource
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, insert
from sqlalchemy.engine import make_url

from stakhanov.services.bulk_write import import_directory
from stakhanov.store.bulk import BOOKKEEPING, payload_columns, places_in, scale_columns
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.ledger import now
from stakhanov.store.records import CREW, OUTPUT, SHIFTS, RecordKind
from stakhanov.store.schema import batches

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
            # every worker once a day: 100 crews of four per day
            day = start + dt.timedelta(days=i // 100)
            s.write(f"X{i},{day},8,Plant/Shop {i % 8},standard,\n")
            o.write(f"X{i},packing,{900 + i % 200},piece,\n")
            for k in range(CREW_PER_SHIFT):
                worker = (i % 100) * CREW_PER_SHIFT + k
                c.write(f"X{i},W{worker:04d},packing,8,,\n")


def databases(postgres: str | None, folder: Path) -> Iterator[tuple[str, str, str]]:
    """(name, url for the import, url for the bare load), each fresh."""
    yield "sqlite", f"sqlite:///{folder}/a.db", f"sqlite:///{folder}/b.db"
    if postgres:
        server = make_url(postgres).set(drivername="postgresql").render_as_string(False)
        admin = psycopg.connect(server, autocommit=True)
        names = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            a, b = (make_url(postgres).set(database=n).render_as_string(False) for n in names)
            yield "postgresql", a, b
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def fresh(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def timed_import(url: str, folder: Path) -> tuple[float, float]:
    engine = fresh(url)
    started, cpu = time.perf_counter(), time.process_time()
    import_directory(engine, folder)
    return time.perf_counter() - started, time.process_time() - cpu


def bare_columns(kind: RecordKind) -> list[str]:
    """The columns a bare load fills: bookkeeping, the file's, their written scales and a
    row's shift date, as the import's writer fills them (store.bulk.append_rows)."""
    columns = payload_columns(kind)
    scales = [name for _, name in scale_columns(kind.table, columns)]
    dated = ["shift_date"] if "shift_date" in kind.table.c else []
    return [*BOOKKEEPING, *columns, *scales, *dated]


def bare_row(
    kind: RecordKind,
    header: list[str],
    cells: list[str],
    at: tuple[int, Any],
    dates: dict[str, str],
) -> tuple[Any, ...]:
    """A file's row as the bare load writes it; a column the file leaves out stays empty."""
    columns = payload_columns(kind)
    values = [cells[header.index(c)] or None if c in header else None for c in columns]
    shift_id = str(values[columns.index("shift_id")])
    if kind is SHIFTS:
        dates[shift_id] = str(values[columns.index("date")])
    places = [places_in(values[i]) for i, _ in scale_columns(kind.table, columns)]
    dated = [dates[shift_id]] if "shift_date" in kind.table.c else []
    return (1, kind.file, at[0], at[1], *values, *places, *dated)


def timed_bare_load(url: str, folder: Path) -> tuple[float, float]:
    """The same rows as text straight into the same tables: no checks, one transaction."""
    engine = fresh(url)
    postgres = engine.dialect.name == "postgresql"
    stamp = now() if postgres else now().isoformat(" ")
    started, cpu = time.perf_counter(), time.process_time()
    with engine.begin() as connection:
        connection.execute(
            insert(batches).values(batch_id=1, kind="raw", author="bench", written_at=now())
        )
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        dates: dict[str, str] = {}  # shift id -> date: a crew or output row's shift_date
        for kind in (SHIFTS, OUTPUT, CREW):
            names = bare_columns(kind)
            with (folder / kind.file).open(newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                rows = (
                    bare_row(kind, header, cells, (n, stamp), dates)
                    for n, cells in enumerate(reader, start=2)
                )
                table = f"{kind.table.name} ({', '.join(names)})"
                if postgres:
                    with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    continue
                sql = f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})"
                while chunk := list(itertools.islice(rows, 20_000)):
                    cursor.executemany(sql, chunk)
    return time.perf_counter() - started, time.process_time() - cpu


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL to make scratch dbs")
    args = parser.parse_args()
    print(
        f"{'db':<11} {'crew rows':>10} {'import s':>9} {'bare s':>7} {'ratio':>6} "
        f"{'import cpu':>10} {'bare cpu':>8} {'cpu ratio':>9} {'peak MiB':>8}"
    )
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "data"
            folder.mkdir()
            write_dataset(folder, rows)
            for name, url_a, url_b in databases(args.postgres, Path(tmp)):
                seconds, cpu = timed_import(url_a, folder)
                peak = peak_mib()
                bare, bare_cpu = timed_bare_load(url_b, folder)
                print(
                    f"{name:<11} {rows:>10,} {seconds:>9.2f} {bare:>7.2f} {seconds / bare:>6.2f} "
                    f"{cpu:>10.2f} {bare_cpu:>8.2f} {cpu / bare_cpu:>9.2f} {peak:>8.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
