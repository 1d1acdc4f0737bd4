"""The read model's queries: which shifts a batch touched, replacing and reading derived rows.

Rows are replaced per shift: every row of a touched shift is deleted and the shift's current
results inserted, so a reversed entry's results are gone and a correction's are in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, exists, insert, or_, select, text

from stakhanov.store.read_model_tables import read_results
from stakhanov.store.schema import crew_entries

INSERT_CHUNK = 10_000


def touched_shifts(batch_id: int) -> str:
    """SQL: the shifts whose results a batch can change.

    Its own shift, output and crew entries (reversals repeat the payload they reverse), every
    shift of a worker it (re)wrote (the home unit is kept per row), and every shift from the
    earliest date of a norm version it wrote (a new version decides later results).
    """
    n = int(batch_id)
    return (
        f"SELECT shift_id FROM shift_entries WHERE batch_id = {n}"
        f" UNION SELECT shift_id FROM output_entries WHERE batch_id = {n}"
        f" UNION SELECT shift_id FROM crew_entries WHERE batch_id = {n}"
        " UNION SELECT shift_id FROM crew_entries WHERE worker_id IN"
        f" (SELECT worker_id FROM worker_entries WHERE batch_id = {n})"
        " UNION SELECT shift_id FROM shift_entries WHERE date >="
        f" (SELECT min(effective_from) FROM norm_entries WHERE batch_id = {n})"
    )


def replace(connection: Connection, shifts_sql: str | None, rows: Iterable[dict[str, Any]]) -> int:
    """Delete the rows of the shifts `shifts_sql` selects (None: every row), insert `rows`."""
    query = delete(read_results)
    if shifts_sql is not None:
        query = query.where(read_results.c.shift_id.in_(text(shifts_sql)))
    connection.execute(query)
    written, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == INSERT_CHUNK:
            connection.execute(insert(read_results), chunk)
            written, chunk = written + len(chunk), []
    if chunk:
        connection.execute(insert(read_results), chunk)
    return written + len(chunk)


def rows_of(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> list[dict[str, Any]]:
    """Derived rows of [start, end] of workers at home within any subtree, or of one worker."""
    c = read_results.c
    query = select(read_results).where(c.date >= start, c.date <= end)
    if within is not None:
        query = query.where(
            or_(*(or_(c.home == s, c.home.startswith(s + "/", autoescape=True)) for s in within))
            if within
            else c.row_id.is_(None)
        )
    if worker_id is not None:
        query = query.where(c.worker_id == worker_id)
    query = query.order_by(c.date, c.shift_id, c.row_id)
    return [dict(r._mapping) for r in connection.execute(query)]


def is_stale(connection: Connection) -> bool:
    """True when the ledger holds crew but the read model nothing (a database from before it)."""
    empty = connection.scalar(select(~exists(select(read_results.c.row_id))))
    crew = connection.scalar(select(exists(select(crew_entries.c.entry_id))))
    return bool(empty) and bool(crew)
