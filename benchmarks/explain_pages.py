"""EXPLAIN ANALYZE of the pages' main queries on a PostgreSQL database holding generated months.

Run: .venv/bin/python benchmarks/explain_pages.py postgresql+psycopg://postgres@127.0.0.1/DB
after `stakhanov generate --out M` and `stakhanov --db URL import M`. Prints, for each query,
its plan with actual times; docs/performance.md records the output. The queries are the
store's own (frames.py, the dashboard's newest shift), bound to the second month's second
week, to a period across the first two months and to the busiest worker. With the ledger
partitioned by month (migration 0038) a period's plan reads only its months' partitions.
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
    second = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    week = (second + dt.timedelta(days=7), second + dt.timedelta(days=13))
    across = (second - dt.timedelta(days=3), second + dt.timedelta(days=3))
    ordered = " AND entry_id > -1 ORDER BY entry_id"  # as frames.fetch reads on PostgreSQL

    def period(start: dt.date, end: dt.date) -> str:
        return frames._RAW_SHIFTS.format(start=start.isoformat(), end=end.isoformat())

    shifts = period(*week)
    return {
        f"a week's shifts, {week[0]} to {week[1]} (frames: reports, close)": shifts + ordered,
        "the week's outputs (frames)": frames._raw_of(shifts, frames._OUTPUT_TABLE, *week)
        + ordered,
        "the week's crew rows (frames)": frames._raw_of(shifts, frames._CREW_TABLE, *week)
        + ordered,
        f"crew rows of a period across two months, {across[0]} to {across[1]}": frames._raw_of(
            period(*across), frames._CREW_TABLE, *across
        )
        + ordered,
        "the busiest worker's shifts of the week (a brigade's or worker's page)": period(*week)
        + f" AND shift_id IN ({frames.worked_by([worker], week)})"
        + ordered,
        "the worker's newest shift (dashboard, my page)": (
            f"SELECT max(shift_date) FROM crew_entries WHERE worker_id = '{worker}'"
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
