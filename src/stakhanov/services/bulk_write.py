"""Writing a checked large batch: one short transaction, and no wait for small writes.

The batch is checked without holding the writers' lock. It is then written in one transaction
(COPY on PostgreSQL, large executemany on SQLite) and takes the lock only at the end, to see
whether another writer committed something since the check that touches the same shifts,
dates or master data; if so the import starts again, otherwise it commits at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.periods import parse_date
from stakhanov.domain.shifts import Shift
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.services import read_model
from stakhanov.services.bulk import Checked, check_directory, reject
from stakhanov.services.bulk_checks import NAMES, Staging
from stakhanov.services.importing import (
    FileCounts,
    ImportReport,
    Progress,
    _typed,
    batch_dates,
    default_author,
    write_moved,
)
from stakhanov.store import chain, partitions
from stakhanov.store.bulk import (
    CHUNK,
    analyze,
    append_rows,
    batch_ids,
    lock_ledger_writes,
    payload_columns,
    written_by,
)
from stakhanov.store.ledger import LedgerStore, now
from stakhanov.store.records import KINDS, SHIFTS, WORKERS, RecordKind

ATTEMPTS = 3
ANALYZE_ROWS = 10_000


class LedgerChanged(Refused):
    """Another writer kept changing what this batch was checked against."""

    kind = Refusal.CONFLICT


class _Moved(Exception):
    pass


def import_directory(
    engine: Engine,
    folder: Path,
    *,
    correct: bool = False,
    reason: str | None = None,
    author: str | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """`import_batch` for a directory with large files; raises ImportRejected likewise."""
    for _ in range(ATTEMPTS):
        with engine.begin() as connection:
            lock_ledger_writes(connection)  # no writer is half-way while we note the batches
            before = batch_ids(connection)
        staging = Staging()
        try:
            done = check_directory(engine, folder, staging, correct, progress)
            reject(done.problems)
            report = _report(staging, done)
            if not report.changed or dry_run:
                return report
            try:
                report.batch_id, written = _write(
                    engine,
                    staging,
                    done,
                    before,
                    str(folder),
                    author or default_author(),
                    reason,
                    progress,
                )
            except _Moved:
                continue
            if written >= ANALYZE_ROWS:
                analyze(engine, [k.table for k in KINDS if report.files.get(k.file)])
            return report
        finally:
            staging.close()
    raise LedgerChanged(say("other writers kept changing the same shifts; import again"))


def _report(staging: Staging, done: Checked) -> ImportReport:
    report = ImportReport(batch_id=None)
    staging.put("suspect", {"shift_id": sorted(done.suspects)})
    for kind in KINDS:
        if kind.file not in done.present:
            continue
        counts = done.plan.counts(kind, len(done.incoming.get(kind.file, [])))
        if kind.file in done.staged:
            name, outside = NAMES[kind.file], staging.outside(kind)
            new = staging.values(
                f"SELECT count(*) FROM s_{name} s WHERE {outside} AND {staging.new(kind)}"
            )[0]
            total = staging.values(f"SELECT count(*) FROM s_{name} s WHERE {outside}")[0]
            counts = FileCounts(
                counts.added + new,
                counts.unchanged + total - new,
                counts.corrected,
                counts.withdrawn,
            )
        report.files[kind.file] = counts
    return report


def _write(
    engine: Engine,
    staging: Staging,
    done: Checked,
    before: set[int],
    label: str,
    author: str,
    reason: str | None,
    progress: Progress | None,
) -> tuple[int, int]:
    # The batch's months first, in a transaction of their own (decision 0593).
    partitions.make_ahead(engine, _batch_dates(staging, done))
    with engine.begin() as connection:
        store = LedgerStore(connection)
        kind_of = "correction" if done.plan.reversed else "import"
        batch_id = store.new_batch(kind_of, label, author, reason)
        if done.plan.reversed:
            # A reversal is unique per entry, so a concurrent small write could wait on it
            # while holding the lock this import wants: corrections lock first.
            lock_ledger_writes(connection)
        why = reason or f"corrected by {label}"
        written = _append(store, staging, done, batch_id, why, progress)
        lock_ledger_writes(connection)
        others = batch_ids(connection) - before - {batch_id}
        if others and _touched(connection, others, staging):
            raise _Moved
        # Units last, under the lock: a small write adding the same unit never waits on ours.
        store.ensure_units(_units(staging, done))
        # The check's DuckDB and records are done with: the refresh's slices and its own
        # DuckDB never sit beside them (decision 0891).
        staging.close()
        done.forget()
        read_model.refresh(connection, batch_id)
    return batch_id, written


def _append(
    store: LedgerStore,
    staging: Staging,
    done: Checked,
    batch_id: int,
    why: str,
    progress: Progress | None,
) -> int:
    """Append the batch's rows file by file; how many were written."""
    connection, plan = store.connection, done.plan
    written = 0
    stamp = now()
    for kind in KINDS:
        reversals = plan.reversed.get(kind.file, [])
        if reversals:
            store.reverse(kind, batch_id, reversals, why)
        added = plan.added.get(kind.file, [])
        if kind.file in done.staged:
            display = staging.displays.get(kind.file, kind.file)
            rows = _added_rows(staging, kind, [r.origin.row for r in added if r.origin])
            dates = None
            if kind is SHIFTS:
                partitions.ensure(connection, _batch_dates(staging, done))
            elif "shift_date" in kind.table.c:  # the shifts are written: their dates are current
                dates = _dates_of(staging, store)
            chain.note(connection, kind.table)  # the driver's COPY is not seen by the hook
            count = append_rows(
                connection,
                kind.table,
                payload_columns(kind),
                rows,
                (batch_id, display, stamp),
                dates,
            )
        elif added:
            store.append(kind, batch_id, added)
            count = len(added)
        else:
            count = 0
        write_moved(store, kind, batch_id, plan.moved.get(kind.file, []), why)
        if not count:
            continue
        written += count
        if progress:
            progress("writing", count)
    return written


def _units(staging: Staging, done: Checked) -> list[str]:
    """The units the batch names: its new workers' homes and its shifts' workplaces."""
    units = [w.unit for w in _typed(done.plan.added.get(WORKERS.file, []), Worker)]
    units += [s.workplace for s in _typed(done.plan.added.get(SHIFTS.file, []), Shift)]
    units += staging.values(
        "SELECT DISTINCT workplace FROM n_shifts "
        "WHERE shift_id NOT IN (SELECT shift_id FROM suspect)"
    )
    return units + staging.values(
        f"SELECT DISTINCT unit FROM s_workers s WHERE {staging.outside(WORKERS)} "
        f"AND {staging.new(WORKERS)}"
    )


def _batch_dates(staging: Staging, done: Checked) -> set[dt.date]:
    """The dates of the batch's shifts and paid time (their months are what it may add to
    the ledger)."""
    dates = batch_dates(done.plan.added)
    found = staging.values("SELECT DISTINCT date FROM s_shifts UNION SELECT date FROM s_time")
    return dates | {d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in found if d}


def _dates_of(
    staging: Staging, store: LedgerStore
) -> Callable[[Sequence[str]], dict[str, dt.date]]:
    """The current dates of a chunk's shifts: those of the batch's shifts file that it wrote or
    found unchanged from the staged file, the rest (and any suspect's) from the store.

    The batch's shifts are written before the rows that name them, so their staged dates are
    current. Asking the store for every shift of a million crew rows was a fifth of the import.
    """

    def dates(shift_ids: Sequence[str]) -> dict[str, dt.date]:
        with staging.db.cursor() as db:  # the staging's own connection streams the rows
            db.register("chunk_shifts", pa.table({"shift_id": pa.array(shift_ids, pa.string())}))
            staged = db.execute(
                "SELECT shift_id, date FROM s_shifts WHERE shift_id IN (SELECT shift_id FROM"
                " chunk_shifts) AND shift_id NOT IN (SELECT shift_id FROM suspect)"
            ).fetchall()
        found = {k: day if isinstance(day, dt.date) else parse_date(day) for k, day in staged}
        rest = [shift_id for shift_id in shift_ids if shift_id not in found]
        return found | store.shift_dates(rest) if rest else found

    return dates


def _added_rows(staging: Staging, kind: RecordKind, judged: list[int]) -> Iterator[Any]:
    """Rows to append in file order: new rows of unsuspected shifts, and the plan's own."""
    name = NAMES[kind.file]
    staging.put("judged_rows", {"row": [str(r) for r in judged]})
    names = payload_columns(kind)
    reader = staging.db.sql(
        f"SELECT row, {', '.join(names)} FROM s_{name} s "
        "WHERE CAST(row AS VARCHAR) IN (SELECT row FROM judged_rows) OR ("
        f"{staging.outside(kind)} AND {staging.new(kind)}) ORDER BY row"
    ).to_arrow_reader(CHUNK)
    for batch in reader:
        yield [column.to_pylist() for column in batch.columns]


def _touched(connection: Connection, others: set[int], staging: Staging) -> bool:
    """Whether batches committed since the check touch this batch's shifts or master data."""
    master, shift_ids, days = written_by(connection, others)
    if master:
        return True
    if not shift_ids:
        return False
    staging.put("moved", {"shift_id": sorted(shift_ids)})
    staging.put("moved_dates", {"date": sorted({d.isoformat() for d in days})})
    return bool(
        staging.values(
            "SELECT count(*) FROM (SELECT shift_id FROM c_shifts UNION SELECT shift_id FROM "
            "c_crew UNION SELECT shift_id FROM c_output) WHERE shift_id IN "
            "(SELECT shift_id FROM moved)"
        )[0]
        or staging.values(
            "SELECT count(*) FROM c_shifts WHERE date IN (SELECT date FROM moved_dates)"
        )[0]
    )
