"""EXPLAIN ANALYZE of a month's paid time before and after migration 0043 (decision 0598).

Run: .venv/bin/python benchmarks/explain_time.py [postgresql+psycopg://postgres@127.0.0.1/test]
[--per-month 42000]

Creates a scratch database next to the one named, takes it to revision 0039 (plain tables),
writes twelve months of paid time straight in SQL (about one time entry per worker and month
for 45,000 workers, as `stakhanov generate` writes, and a reversal for one entry in 997), then
prints the plan of the store's own query for October's current paid time (the close's pay
lookups, `store/pay_inputs.py`), median of five runs; migrates to 0043 (timed) and prints it
again. The rows are not chained: this measures the query, not verify-ledger.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import time

from alembic import command
from sqlalchemy import Engine, and_, create_engine
from sqlalchemy.engine import make_url

from stakhanov.store.db import _alembic_config, make_engine
from stakhanov.store.ledger import current_query
from stakhanov.store.records import TIME

SCRATCH = "stakhanov_explain_time"


def fill(engine: Engine, per_month: int) -> None:
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO batches (kind, source, author, written_at) "
            "VALUES ('import', 'generated', 'bench', now())"
        )
        c.exec_driver_sql(
            "INSERT INTO time_entries (batch_id, written_at, worker_id, date, kind, operation, "
            "hours) SELECT 1, now(), 'W' || mod(g, 45000), "
            f"make_date(2025, 1 + g / {per_month}, 1 + mod(g, 28)), 'idle', 'packing', 1.5 "
            f"FROM generate_series(0, {per_month * 12 - 1}) g"
        )
        c.exec_driver_sql(
            "INSERT INTO time_entries (batch_id, reverses, reason, written_at, worker_id, date, "
            "kind, operation, hours) SELECT batch_id, entry_id, 'corrected', now(), worker_id, "
            "date, kind, operation, hours FROM time_entries WHERE mod(entry_id, 997) = 0"
        )
        c.exec_driver_sql("ANALYZE time_entries")


def explain(engine: Engine, label: str) -> None:
    table = TIME.table
    october = and_(table.c.date >= dt.date(2025, 10, 1), table.c.date <= dt.date(2025, 10, 31))
    query = current_query(TIME).where(october)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    times, plan = [], []
    with engine.connect() as c:
        count = c.exec_driver_sql(f"SELECT count(*) FROM ({sql}) x").scalar()
        for _ in range(5):
            plan = [row[0] for row in c.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql)]
            found = re.search(r"Execution Time: ([\d.]+)", plan[-1])
            times.append(float(found.group(1)) if found else float("nan"))
    median = statistics.median(times)
    print(f"== {label}: {count} rows; execution {median:.1f} ms median of {sorted(times)}")
    print("\n".join(plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", default="postgresql+psycopg://postgres@127.0.0.1/test")
    parser.add_argument("--per-month", type=int, default=42000)
    args = parser.parse_args()
    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {SCRATCH}")
        c.exec_driver_sql(f"CREATE DATABASE {SCRATCH}")
    engine = make_engine(make_url(args.url).set(database=SCRATCH).render_as_string(False))
    try:
        with engine.connect() as c, c.begin():
            command.upgrade(_alembic_config(c), "0039")
        fill(engine, args.per_month)
        explain(engine, "plain table (revision 0039)")
        started = time.perf_counter()
        with engine.connect() as c, c.begin():
            command.upgrade(_alembic_config(c), "0043")
        print(f"== migration 0043: {time.perf_counter() - started:.1f} s")
        explain(engine, "monthly partitions (revision 0043)")
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {SCRATCH}")


if __name__ == "__main__":
    main()
