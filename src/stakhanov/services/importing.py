"""Import a batch of tables into the ledger: all or nothing, idempotent, corrections as reversals.

The batch is judged as a whole. Parsing, conflicts with what is stored and the ledger's
invariants over the combined state are all collected first; only a batch with no problem at
all is written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from stakhanov.domain.consistency import check
from stakhanov.domain.errors import Problem
from stakhanov.domain.incidents import Incident, check_incidents
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.shifts import Shift
from stakhanov.domain.workers import Worker
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.tables import RawBatch
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import (
    CREW,
    INCIDENTS,
    KINDS,
    NORMS,
    OUTPUT,
    SHIFTS,
    WORKERS,
    Record,
    RecordKind,
)

R = TypeVar("R")
Progress = Callable[[str, int], None]
"""Called with a stage name and the number of rows just done."""


class ImportRejected(Exception):
    """The batch has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was written")
        self.problems = problems


@dataclass
class FileCounts:
    added: int = 0
    unchanged: int = 0
    corrected: int = 0


@dataclass
class ImportReport:
    batch_id: int | None
    files: dict[str, FileCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.added or c.corrected for c in self.files.values())


@dataclass
class _Plan:
    """What the batch would write, per kind."""

    added: dict[str, list[Record]] = field(default_factory=dict)
    reversed: dict[str, list[tuple[int, Record, Record]]] = field(default_factory=dict)


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def import_batch(
    engine: Engine,
    batch: RawBatch,
    *,
    correct: bool = False,
    reason: str | None = None,
    author: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate and write a batch; raise ImportRejected with every problem if any."""
    problems = list(batch.problems)
    incoming: dict[str, list[Record]] = {}
    for kind in KINDS:
        table = batch.tables.get(kind.file)
        if table is None:
            continue
        records, found = parse_table(table, FORMATS[kind.file])
        problems += found
        incoming[kind.file] = records
        if progress:
            progress("checking", len(table.rows))
    for kind in KINDS:
        problems += _duplicates(kind, incoming.get(kind.file, []))

    with engine.begin() as connection:
        _lock_for_import(connection)
        store = LedgerStore(connection)
        plan, conflicts, ledger, scope = _merge(store, incoming, correct)
        problems += conflicts
        problems += check(ledger, scope)
        problems += check_incidents(_typed(plan.added.get(INCIDENTS.file, []), Incident), ledger)
        if problems:
            raise ImportRejected(_ordered(problems))
        report = ImportReport(batch_id=None)
        for kind in KINDS:
            if kind.file in incoming:
                report.files[kind.file] = FileCounts(
                    added=len(plan.added.get(kind.file, []))
                    - len(plan.reversed.get(kind.file, [])),
                    unchanged=len(incoming[kind.file]) - len(plan.added.get(kind.file, [])),
                    corrected=len(plan.reversed.get(kind.file, [])),
                )
        if not report.changed:
            return report
        report.batch_id = _write(
            store, plan, batch.label, author or default_author(), correct, reason, progress
        )
        return report


def _lock_for_import(connection: Connection) -> None:
    """Imports are serialised: each judges the ledger as the previous one left it."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE batches IN EXCLUSIVE MODE")


def _duplicates(kind: RecordKind, records: list[Record]) -> Iterable[Problem]:
    first: dict[tuple[Any, ...], Record] = {}
    for record in records:
        key = kind.key(record)
        if key in first:
            where = first[key].origin
            yield Problem(
                record.origin,
                kind.key_columns[-1],
                f"duplicate of row {where.row if where else '?'} ({', '.join(map(str, key))})",
            )
        else:
            first[key] = record


def _merge(
    store: LedgerStore, incoming: dict[str, list[Record]], correct: bool
) -> tuple[_Plan, list[Problem], Ledger, set[str]]:
    """Compare the batch with what is stored; return the plan, conflicts and combined ledger."""
    plan = _Plan()
    conflicts: list[Problem] = []
    batch_shifts = _typed(incoming.get(SHIFTS.file, []), Shift)
    shifts_in_batch = {s.shift_id for s in batch_shifts}
    shifts_in_batch |= {o.shift_id for o in _typed(incoming.get(OUTPUT.file, []), MeasuredOutput)}
    shifts_in_batch |= {c.shift_id for c in _typed(incoming.get(CREW.file, []), CrewEntry)}
    incidents = _typed(incoming.get(INCIDENTS.file, []), Incident)
    shifts_in_batch |= {i.shift_id for i in incidents if i.shift_id is not None}
    stored_shifts = store.records(SHIFTS, Shift, "shift_id", shifts_in_batch)
    dates = {s.date for s in stored_shifts} | {s.date for s in batch_shifts}
    scope_ids = shifts_in_batch | store.shift_ids_on(dates)
    new_norms = _typed(incoming.get(NORMS.file, []), Norm)
    if new_norms:
        # A changed norm can change which crew operations are allowed from its date on.
        earliest = min(n.effective_from for n in new_norms)
        scope_ids |= store.shift_ids_between(earliest, dt.date.max)

    stored: dict[str, dict[tuple[Any, ...], tuple[int, Record]]] = {}
    for kind in KINDS:
        if not kind.by_shift:
            pairs = store.current(kind)
        else:
            pairs = store.current(kind, "shift_id", scope_ids)
        stored[kind.file] = {kind.key(record): (entry_id, record) for entry_id, record in pairs}

    for kind in KINDS:
        for record in incoming.get(kind.file, []):
            existing = stored[kind.file].get(kind.key(record))
            if existing is None:
                plan.added.setdefault(kind.file, []).append(record)
                continue
            entry_id, old = existing
            changed = kind.differences(old, record)
            if not changed:
                continue
            if not correct:
                was = kind.to_row(old)
                detail = "; ".join(f"{c} was {_show(was[c])}" for c in changed)
                conflicts.append(
                    Problem(
                        record.origin,
                        changed[0],
                        f"conflicts with the stored row ({detail}); "
                        "use --correct to record a correction",
                    )
                )
                continue
            plan.reversed.setdefault(kind.file, []).append((entry_id, old, record))
            plan.added.setdefault(kind.file, []).append(record)

    combined = {
        file: {key: record for key, (_, record) in rows.items()} for file, rows in stored.items()
    }
    for kind in KINDS:
        for record in plan.added.get(kind.file, []):
            combined[kind.file][kind.key(record)] = record
    ledger = Ledger.of(
        workers=_typed(combined["workers.csv"].values(), Worker),
        norms=NormBook.of(_typed(combined["norms.csv"].values(), Norm)),
        shifts=_typed(combined["shifts.csv"].values(), Shift),
        outputs=_typed(combined["output.csv"].values(), MeasuredOutput),
        crew=_typed(combined["crew.csv"].values(), CrewEntry),
    )
    return plan, conflicts, ledger, scope_ids


def _typed(records: Iterable[Record], cls: type[R]) -> list[R]:
    return [r for r in records if isinstance(r, cls)]


def _show(value: object) -> str:
    return "empty" if value is None else repr(str(value))


def _write(
    store: LedgerStore,
    plan: _Plan,
    label: str,
    author: str,
    correct: bool,
    reason: str | None,
    progress: Progress | None,
) -> int:
    batch_id = store.new_batch("correction" if plan.reversed else "import", label, author, reason)
    units = [w.unit for w in _typed(plan.added.get(WORKERS.file, []), Worker)]
    units += [s.workplace for s in _typed(plan.added.get(SHIFTS.file, []), Shift)]
    store.ensure_units(units)
    why = reason or f"corrected by {label}"
    for kind in KINDS:
        reversals = plan.reversed.get(kind.file, [])
        if reversals:
            store.reverse(kind, batch_id, reversals, why)
        added = plan.added.get(kind.file, [])
        if added:
            store.append(kind, batch_id, added)
            if progress:
                progress("writing", len(added))
    return batch_id


def _ordered(problems: list[Problem]) -> list[Problem]:
    order = {kind.file: i for i, kind in enumerate(KINDS)}

    def key(p: Problem) -> tuple[int, str, int, str]:
        if p.source is None:
            return (len(order), "", 0, p.column)
        base = p.source.file.rsplit("[", 1)[-1].rstrip("]")
        rank = order.get(base if base.endswith(".csv") else f"{base}.csv", len(order))
        return (rank, p.source.file, p.source.row, p.column)

    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=key)
