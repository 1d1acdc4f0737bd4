"""EXPLAIN ANALYZE of the pages' main queries on a PostgreSQL database holding a generated month.

Run: .venv/bin/python benchmarks/explain_pages.py postgresql+psycopg://postgres@127.0.0.1/DB
after `stakhanov generate --out M` and `stakhanov --db URL import M`. Prints, for each query,
its plan with actual times; docs/performance.md records the output before and after the
indexes of migration 0019. The queries are the store's own (frames.py, ledger.py, the
dashboard's newest shift), bound to the month's second week and its busiest worker.
"""

from __future__ import annotations

import datetime as dt
import sys

from sqlalchemy import Engine, text

from stakhanov.store import frames
from stakhanov.store.db import make_engine


def queries(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        first = connection.scalar(text("SELECT min(date) FROM shift_entries"))
        worker = connection.scalar(
            text("SELECT worker_id FROM crew_entries GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        )
    start = first + dt.timedelta(days=7)
    shifts = frames._RAW_SHIFTS.format(
        start=start.isoformat(), end=(start + dt.timedelta(days=6)).isoformat()
    )
    ordered = " AND entry_id > -1 ORDER BY entry_id"  # as frames.fetch reads on PostgreSQL
    return {
        "period's shifts (frames, reports, close)": shifts + ordered,
        "period's crew rows (frames)": frames._raw_of(shifts, frames._CREW_TABLE) + ordered,
        "worker's newest shift (dashboard, my page)": (
            "SELECT max(date) FROM shift_entries WHERE shift_id IN "
            f"(SELECT shift_id FROM crew_entries WHERE worker_id = '{worker}')"
        ),
        "worker's current crew rows (notices, my page)": (
            f"SELECT * FROM crew_entries WHERE worker_id = '{worker}' AND reverses IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM crew_entries r WHERE r.reverses = crew_entries.entry_id)"
        ),
    }


def main(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        for title, sql in queries(engine).items():
            plan = connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).scalars()
            print(f"## {title}\n")
            print("\n".join(plan) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
