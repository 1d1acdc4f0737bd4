"""Importing a large month: the same contract as `import_batch`, in bounded memory.

Shifts, output and crew stream through a column-wise screen into DuckDB (bulk_read); the
ledger's checks run there as joins over the batch and the stored rows in scope
(bulk_checks), naming the shifts where a problem could be. Workers, paid time and rejects
stream there too, a chunk at a time through the row parser, and joins name their rows the
row path must judge (decision 0897). Those shifts and rows, with the other small files, go
through the row path's own merge and checks, so every problem reads, sits and sorts as in a
small import. The reject faults, stored and new, are checked in the staging against the
output and crew (decision 0894). Only a batch without problems is written (bulk_write).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.consistency import check
from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.hours import decimal_above
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm
from stakhanov.domain.quantities import compatible
from stakhanov.domain.wording import say
from stakhanov.services import importing
from stakhanov.services.bulk_checks import NAMES, Staging
from stakhanov.services.bulk_read import (
    LARGE,
    SMALL,
    TableStream,
    Unreadable,
    as_text,
    open_stream,
    parse_chunk,
    parse_marked,
    screen,
)
from stakhanov.services.importing import (
    ImportRejected,
    ImportReport,
    Progress,
    _check_references,
    _duplicates,
    _merge,
    _ordered,
    _Plan,
    _refused_ids,
    _typed,
)
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.tables import RawTable, data_files, file_name, read_files
from stakhanov.store.bulk import StoredScope, payload_columns
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import (
    EXACT,
    INCIDENTS,
    KINDS,
    NORMS,
    REJECTS,
    SHIFTS,
    TIME,
    WORKERS,
    Record,
    RecordKind,
)

BULK_BYTES = 4_000_000
"""Large files of a directory above this size in all take the bulk path."""


def wants_bulk(path: Path) -> bool:
    if not path.is_dir():
        return False
    large = {k.file for k in LARGE}
    files = [p for p in data_files(path) if file_name(p) in large]
    parquet = any(p.suffix.lower() == ".parquet" for p in files)
    return parquet or sum(p.stat().st_size for p in files) > BULK_BYTES


def count_rows(path: Path) -> int:
    """About how many rows the directory holds (its lines), for a progress bar."""
    total = 0
    for file in data_files(path):
        if file.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(file).metadata.num_rows
            continue
        with file.open("rb") as handle:
            total += sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return total


@dataclass
class Checked:
    """What the checks leave for the writer."""

    problems: list[Problem] = field(default_factory=list)
    plan: _Plan = field(default_factory=_Plan)
    incoming: dict[str, list[Record]] = field(default_factory=dict)
    suspects: set[str] = field(default_factory=set)
    present: list[str] = field(default_factory=list)
    staged: list[str] = field(default_factory=list)
    """The files whose rows sit in the staging (the large ones, and SMALL when streamed)."""

    def forget(self) -> None:
        """Drop the records once written, before the refresh needs the memory."""
        self.plan, self.incoming, self.suspects = _Plan(), {}, set()


def check_directory(
    engine: Engine,
    folder: Path,
    staging: Staging,
    correct: bool,
    progress: Progress | None = None,
) -> Checked:
    """Every problem of the directory's batch, and the plan for the shifts judged row by row."""
    known = set(FORMATS)
    large = {k.file for k in LARGE}
    by_name: dict[str, list[Path]] = defaultdict(list)
    for path in data_files(folder):
        by_name[file_name(path)].append(path)
    streamable = large | {k.file for k in _small_kinds(by_name)}
    streams: dict[str, TableStream] = {}
    for name, paths in by_name.items():
        if name in streamable and len(paths) == 1 and (stream := open_stream(paths[0])):
            streams[name] = stream
    rest = [p for name, paths in by_name.items() if name not in streams for p in paths]
    small = read_files(str(folder), rest, known)
    if not by_name:
        small.problems.append(
            Problem(
                Source(folder.name or str(folder), 0),
                "-",
                say(
                    "no CSV files in this directory; expected some of %(known)s",
                    known=sorted(known),
                ),
            )
        )
    done = Checked(problems=list(small.problems))
    refused: dict[tuple[str, str], Source] = {}
    staged = LARGE + _small_kinds(by_name)
    for kind in KINDS:
        # The raw cells go once parsed: the records are all the check needs of them.
        table = small.tables.pop(kind.file, None)
        if table is not None:
            records, found = parse_table(table, FORMATS[kind.file])
            done.problems += found + importing.too_long(table, kind)
            if kind in (SHIFTS, WORKERS):
                refused |= _refused_ids(table, kind, records)
            if kind in staged:
                staging.add(kind, as_text(kind, records))
                staging.displays[kind.file] = table.display or table.name
                done.staged.append(kind.file)
            else:
                done.incoming[kind.file] = records
            done.present.append(kind.file)
        elif kind.file in streams:
            staging.displays[kind.file] = streams[kind.file].display
            if kind in LARGE:
                found_ids = _stream(kind, streams[kind.file], staging, done, progress)
            else:
                found_ids = _stream_small(kind, streams[kind.file], staging, done, progress)
            if kind in (SHIFTS, WORKERS):
                refused |= _valid_elsewhere(staging, kind, found_ids)
            done.staged.append(kind.file)
            done.present.append(kind.file)
    _judge(engine, staging, done, refused, correct)
    return done


def _small_kinds(by_name: dict[str, list[Path]]) -> tuple[RecordKind, ...]:
    """The small kinds staged: workers only where no file's own check reads every worker
    (`_check_references` over incidents, plans, work orders: their ledger is the row path's)."""
    checked = any(FORMATS[name].check for name in by_name if name in FORMATS)
    return tuple(k for k in SMALL if not (checked and k is WORKERS))


def _valid_elsewhere(
    staging: Staging, kind: RecordKind, found: dict[str, Source]
) -> dict[tuple[str, str], Source]:
    """Refused ids, less those another row of the file gave validly (as `_refused_ids`)."""
    column = kind.key_columns[0]
    name = NAMES[kind.file]
    staging.put("refused_ids", {"value": list(found)})
    valid = set(
        staging.values(
            f"SELECT value FROM refused_ids WHERE value IN (SELECT {column} FROM s_{name})"
        )
    )
    return {(column, value): s for value, s in found.items() if value not in valid}


def _stream_small(
    kind: RecordKind,
    stream: TableStream,
    staging: Staging,
    done: Checked,
    progress: Progress | None,
) -> dict[str, Source]:
    """Parse a small kind's file a chunk at a time into the staging; refused ids (workers)."""
    problems: list[Problem] = []
    refused: dict[str, Source] = {}
    try:
        for start, rows in stream.chunks():
            table, found, ids = parse_chunk(kind, stream, start, rows)
            staging.add(kind, table)
            problems += found
            for (_, value), source in ids.items():
                refused.setdefault(value, source)
            if progress:
                progress("checking", len(rows))
    except Unreadable:
        return _unreadable(kind, stream, staging, done)
    done.problems += problems
    return refused


def _unreadable(
    kind: Any, stream: TableStream, staging: Staging, done: Checked
) -> dict[str, Source]:
    """A file the stream cannot read: its staged rows go, and the row path says why."""
    staging.db.execute(f"DELETE FROM s_{NAMES[kind.file]}")
    done.problems += read_files("", [stream.path], set(FORMATS)).problems
    return {}


def _stream(
    kind: Any, stream: TableStream, staging: Staging, done: Checked, progress: Progress | None
) -> dict[str, Source]:
    """Screen a large file chunk by chunk; the ids of rows refused (first row of each)."""
    problems: list[Problem] = []
    refused: dict[str, Source] = {}
    key = stream.header.index(kind.key_columns[0]) if kind.key_columns[0] in stream.header else -1
    try:
        for start, rows in stream.chunks():
            clean, marked = screen(kind, stream, start, rows)
            staging.add(kind, clean)
            parsed, found, refused_rows = parse_marked(kind, stream, marked)
            staging.add(kind, parsed)
            problems += found
            cells = dict(marked)
            for number in refused_rows:
                value = cells[number][key] if 0 <= key < len(cells[number]) else ""
                if value:
                    refused.setdefault(value, Source(stream.display, number))
            if progress:
                progress("checking", len(rows))
    except Unreadable:
        return _unreadable(kind, stream, staging, done)
    done.problems += problems
    return refused


def _judge(
    engine: Engine,
    staging: Staging,
    done: Checked,
    refused: dict[tuple[str, str], Source],
    correct: bool,
) -> None:
    """The set-based checks, then the row path's checks over the suspect shifts and rows."""
    small = {f: r for f, r in done.incoming.items() if f not in done.staged}
    also = {getattr(r, "shift_id", None) for r in small.get(INCIDENTS.file, [])}
    staging.put("also_ids", {"shift_id": sorted({i for i in also if i})})
    ids = staging.stream(  # every shift id of the batch, never all in Python at once
        "SELECT shift_id FROM s_shifts UNION SELECT shift_id FROM s_output "
        "UNION SELECT shift_id FROM s_crew UNION SELECT shift_id FROM s_rejects "
        "UNION SELECT shift_id FROM also_ids ORDER BY 1"
    )
    dates = set(staging.values("SELECT DISTINCT date FROM s_shifts"))
    time_dates = set(staging.values("SELECT DISTINCT date FROM s_time"))
    norms = _typed(small.get(NORMS.file, []), Norm)
    since = min(n.effective_from for n in norms).isoformat() if norms else None
    scope = StoredScope(engine)
    try:
        scope.select(ids, sorted(dates | time_dates), since)
        for kind in (*LARGE, REJECTS):
            for rows in scope.current(kind):
                staging.add_stored(kind, rows)
        also |= set() if correct else scope.voided()
    finally:
        scope.close()
    staging.combine()
    with engine.connect().execution_options(read_only=True) as connection:
        store = LedgerStore(connection)
        # Master data only: the rejects are judged in the staging (bulk_checks.FAULTS).
        master = {f: r for f, r in small.items() if f != REJECTS.file}
        _, _, whole, _ = _merge(store, master, correct, extra_scope=set())
        _facts(staging, whole, {i for i in also if i}, done.staged)
        suspects = staging.suspects(correct)
        suspects |= staging.neighbours(suspects, time_dates)
        staging.put("suspect", {"shift_id": sorted(suspects)})
        staging.put_rows("p_time", [])
        staging.put_rows("p_workers", [])
        picked = {TIME.file: staging.judge_time()} if TIME.file in done.staged else {}
        if WORKERS.file in done.staged:
            picked[WORKERS.file] = staging.judge_workers()
        incoming = dict(small)
        for kind in LARGE + SMALL:
            if kind.file in done.staged:
                incoming[kind.file] = _records(staging, kind, suspects, picked.get(kind.file))
        for kind in KINDS:
            done.problems += _duplicates(kind, incoming.get(kind.file, []))
        plan, conflicts, ledger, shifts = _merge(store, incoming, correct, extra_scope=suspects)
        done.problems += conflicts + check(ledger, shifts, refused)
        workplaces = staging.values("SELECT DISTINCT workplace FROM c_shifts")
        done.problems += _check_references(store, plan, ledger, workplaces)
    done.plan, done.incoming, done.suspects = plan, incoming, suspects


def _facts(staging: Staging, ledger: Ledger, also: set[str], staged: list[str]) -> None:
    """What the joins need from master data, worked out once per distinct value; the stored
    workers and paid time beside the staged ones (`d_`), and known with them."""
    norms = ledger.norms
    staging.put("workers", {"worker_id": sorted(ledger.workers)})
    if WORKERS.file in staged:  # the ledger holds the stored workers alone
        staging.add(WORKERS, as_text(WORKERS, list(ledger.workers.values())), stored=True)
        staging.db.execute("INSERT INTO workers SELECT worker_id FROM s_workers")
    staging.add(TIME, as_text(TIME, list(ledger.time)), stored=True)
    staging.put("norm_operations", {"operation": sorted(norms.operations())})
    time: dict[str, list[str]] = {"worker_id": [], "date": [], "hours": []}
    for entry in ledger.time:
        time["worker_id"].append(entry.worker_id)
        time["date"].append(entry.date.isoformat())
        time["hours"].append(str(decimal_above(entry.hours)))  # 1/3 h: a bound, for suspects
    staging.put("paid_time", time)
    # The batch's paid time (staged), its thirds of an hour bounded above as decimal_above does.
    staging.db.execute(
        "INSERT INTO paid_time SELECT worker_id, date, CASE WHEN hours_exact = '' THEN hours "
        "ELSE CAST(CAST(hours AS DECIMAL(38,12)) + 0.000001 AS VARCHAR) END FROM s_time"
    )
    staging.put("also_checked", {"shift_id": sorted(also)})
    combos = staging.rows(
        "SELECT DISTINCT o.operation, o.unit, s.date "
        "FROM c_output o JOIN c_shifts s USING (shift_id)"
    )
    refused: dict[str, list[str]] = {"operation": [], "unit": [], "date": []}
    included: dict[str, list[str]] = {"operation": [], "date": [], "included": []}
    for operation, unit, day in combos:
        norm = norms.in_force(operation, dt.date.fromisoformat(day))
        norm_unit = norm.unit if norm else norms.unit_of(operation)
        if norm_unit and not compatible(unit, norm_unit):
            for name, value in zip(refused, (operation, unit, day), strict=True):
                refused[name].append(value)
        for name in norm.includes if norm else ():
            for column, value in zip(included, (operation, day, name), strict=True):
                included[column].append(value)
    staging.put("unit_refused", refused)
    staging.put("norm_includes", included)


def _records(
    staging: Staging, kind: Any, suspects: set[str], picked: list[int] | None
) -> list[Record]:
    """The batch's valid rows the row path judges (of the suspect shifts, or `picked` rows),
    parsed again by the row parser."""
    names = payload_columns(kind)
    which = (
        "row IN (SELECT row FROM p_{name})"
        if picked is not None
        else ("shift_id IN (SELECT shift_id FROM suspect)")
    )
    rows = staging.rows(
        f"SELECT row, {', '.join(names)} FROM s_{NAMES[kind.file]} "
        f"WHERE {which.format(name=NAMES[kind.file])} ORDER BY row"
    )
    display = staging.displays.get(kind.file, kind.file)
    header, cells = _written(names, [list(r[1:]) for r in rows])
    numbered = [(r[0], c) for r, c in zip(rows, cells, strict=True)]
    table = RawTable(kind.file, header, numbered, display)
    records, problems = parse_table(table, FORMATS[kind.file])
    assert not problems, "staged rows are valid"
    return records


def _written(names: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Staged cells as a file would hold them: hours of thirds as their fraction (`1/3`, which
    the row parser reads back exactly), without the `hours_exact` column beside them."""
    exact = [(i, names.index(n[: -len(EXACT)])) for i, n in enumerate(names) if n.endswith(EXACT)]
    if not exact:
        return names, rows
    kept = [i for i, n in enumerate(names) if not n.endswith(EXACT)]
    for row in rows:
        for i, base in exact:
            if row[i]:
                row[base] = row[i]
    return [names[i] for i in kept], [[row[i] for i in kept] for row in rows]


def reject(problems: list[Problem]) -> None:
    if problems:
        raise ImportRejected(_ordered(problems))


__all__ = ["ImportReport", "check_directory", "count_rows", "reject", "wants_bulk"]
