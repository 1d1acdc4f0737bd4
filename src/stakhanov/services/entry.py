"""Entering shifts through forms and files, by people whose scope is checked row by row.

A form is turned into the same tables an import reads, so it passes the same validation and
reports the same errors; only the names differ (`crew` row 3 is the form's second crew line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from stakhanov.domain.access import Permission
from stakhanov.domain.errors import Problem
from stakhanov.domain.shifts import Shift
from stakhanov.domain.workers import Worker
from stakhanov.services.importing import ImportReport, Progress, import_batch
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.tables import RawBatch, RawTable
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, NORMS, OUTPUT, SHIFTS, WORKERS

May = Callable[[Permission, str | None], bool]
"""Whether the person may do something at a unit (None: organisation-wide)."""

FORM_NAMES = {SHIFTS.file: "shift", OUTPUT.file: "output", CREW.file: "crew"}


class OutOfScope(Exception):
    """The batch touches units the author may not write to; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} row(s) outside your scope; nothing was written")
        self.problems = problems


@dataclass
class ShiftForm:
    """A shift with its measured output and its crew, as a foreman enters it: text cells."""

    shift: dict[str, str] | None
    outputs: list[dict[str, str]] = field(default_factory=list)
    crew: list[dict[str, str]] = field(default_factory=list)

    def batch(self, label: str) -> RawBatch:
        """The form as import tables; output and crew lines belong to the form's shift."""
        defaults = {"shift_id": self.shift.get("shift_id", "")} if self.shift else {}
        tables = {}
        for file, rows in (
            (SHIFTS.file, [self.shift] if self.shift is not None else []),
            (OUTPUT.file, self.outputs),
            (CREW.file, self.crew),
        ):
            if not rows:
                continue
            columns = list(FORMATS[file].columns)
            table = RawTable(file, columns, display=FORM_NAMES[file])
            for number, row in enumerate(rows, start=2):
                cells = {**defaults, **{k: v for k, v in row.items() if v}}
                table.rows.append((number, [str(cells.get(c) or "").strip() for c in columns]))
            tables[file] = table
        return RawBatch(tables, [], label)


def authorise(engine: Engine, batch: RawBatch, may: May) -> list[Problem]:
    """Every row of the batch that writes outside the author's scope, as a located problem."""
    parsed = {}
    for name, table in batch.tables.items():
        records, _ = parse_table(table, FORMATS[name])
        parsed[name] = (table, records)
    problems: list[Problem] = []
    workers = [r for r in parsed.get(WORKERS.file, (None, []))[1] if isinstance(r, Worker)]
    shifts = [r for r in parsed.get(SHIFTS.file, (None, []))[1] if isinstance(r, Shift)]
    with engine.connect() as connection:
        store = LedgerStore(connection)
        stored_workers = {
            w.worker_id: w.unit
            for w in store.records(WORKERS, Worker, "worker_id", [w.worker_id for w in workers])
        }
        referenced = {
            r.shift_id for name in (OUTPUT.file, CREW.file) for r in parsed.get(name, (None, []))[1]
        } | {s.shift_id for s in shifts}
        stored_shifts = {
            s.shift_id: s.workplace for s in store.records(SHIFTS, Shift, "shift_id", referenced)
        }
    for worker in workers:
        for unit in {worker.unit, stored_workers.get(worker.worker_id, worker.unit)}:
            if not may(Permission.MANAGE_WORKERS, unit):
                problems.append(Problem(worker.origin, "unit", f"{unit!r} is outside your scope"))
    for norm in parsed.get(NORMS.file, (None, []))[1]:
        if not may(Permission.MANAGE_NORMS, None):
            problems.append(
                Problem(
                    norm.origin,
                    "operation",
                    "norms can be changed only by a rate-setter for the whole organisation",
                )
            )
    workplaces = {s.shift_id: s.workplace for s in shifts}
    for shift in shifts:
        for unit in {shift.workplace, stored_shifts.get(shift.shift_id, shift.workplace)}:
            if not may(Permission.ENTER_SHIFTS, unit):
                problems.append(
                    Problem(shift.origin, "workplace", f"{unit!r} is outside your scope")
                )
    for name in (OUTPUT.file, CREW.file):
        for record in parsed.get(name, (None, []))[1]:
            where = workplaces.get(record.shift_id) or stored_shifts.get(record.shift_id)
            # An unknown shift is the import's error to report, not a scope problem.
            if where is not None and not may(Permission.ENTER_SHIFTS, where):
                problems.append(
                    Problem(record.origin, "shift_id", f"shift at {where!r}, outside your scope")
                )
    return problems


def enter(
    engine: Engine,
    batch: RawBatch,
    may: May,
    *,
    author: str,
    correct: bool = False,
    reason: str | None = None,
    progress: Progress | None = None,
    check: bool = False,
) -> ImportReport:
    """Check the author's scope on every row, then import: all or nothing, as from files.

    With `check`, the batch is validated and counted but nothing is written.
    """
    refused = authorise(engine, batch, may)
    if refused:
        raise OutOfScope(refused)
    return import_batch(
        engine,
        batch,
        correct=correct,
        reason=reason,
        author=author,
        progress=progress,
        dry_run=check,
    )
