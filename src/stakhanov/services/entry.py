"""Entering shifts through forms and files, by people whose scope is checked row by row.

A form is turned into the same tables an import reads, so it passes the same validation and
reports the same errors; only the names differ (`crew` row 3 is the form's second crew line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.errors import Problem, Refusal, Refused
from stakhanov.domain.norms import ASSIST
from stakhanov.domain.shifts import Shift
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.services import dashboard, reports
from stakhanov.services.importing import ImportReport, Progress, import_batch
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.tables import RawBatch, RawTable
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, NORMS, OUTPUT, SHIFTS, WORKERS

May = Callable[[Permission, str | None], bool]
"""Whether the person may do something at a unit (None: organisation-wide)."""

FORM_NAMES = {SHIFTS.file: "shift", OUTPUT.file: "output", CREW.file: "crew"}


class OutOfScope(Refused):
    """The batch touches units the author may not write to; nothing was written."""

    kind = Refusal.FORBIDDEN

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems)


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


RULES: dict[str, Permission] = {
    WORKERS.file: Permission.MANAGE_WORKERS,
    NORMS.file: Permission.MANAGE_NORMS,
    "provenance.csv": Permission.MANAGE_NORMS,
    "plans.csv": Permission.MANAGE_PLANS,
    SHIFTS.file: Permission.ENTER_SHIFTS,
    OUTPUT.file: Permission.ENTER_SHIFTS,
    CREW.file: Permission.ENTER_SHIFTS,
    "rejects.csv": Permission.ENTER_SHIFTS,
    "time.csv": Permission.ENTER_SHIFTS,
    "incidents.csv": Permission.ENTER_SHIFTS,
}
"""The permission each import file needs, checked at the units its rows touch."""


def authorise(engine: Engine, batch: RawBatch, may: May) -> list[Problem]:
    """Every row of the batch that writes outside the author's scope, as a located problem.

    A worker row is checked at its unit (stored and new), a shift at its workplace (stored and
    new, so a correction cannot move another unit's shift), the rows of a shift at its
    workplace, time at the worker's home unit, a plan at its unit, norms and their provenance
    for the whole organisation.
    """
    parsed = {}
    for name, table in batch.tables.items():
        records, _ = parse_table(table, FORMATS[name])
        parsed[name] = records
    with engine.connect() as connection:
        store = LedgerStore(connection)
        homes = {w.worker_id: w.unit for w in store.records(WORKERS, Worker)}
        referenced = {
            r.shift_id for records in parsed.values() for r in records if hasattr(r, "shift_id")
        }
        stored_shifts = {
            s.shift_id: s.workplace
            for s in store.records(SHIFTS, Shift, "shift_id", {r for r in referenced if r})
        }
    workplaces = {**stored_shifts}
    workplaces.update({s.shift_id: s.workplace for s in parsed.get(SHIFTS.file, [])})
    problems: list[Problem] = []
    for name, records in parsed.items():
        permission = RULES.get(name)
        for record in records:
            if permission is None:
                problems.append(
                    Problem(record.origin, "-", say("%(name)s cannot be imported here", name=name))
                )
                continue
            for column, unit in _units(name, record, homes, workplaces, stored_shifts):
                if not may(permission, unit):
                    message = (
                        f"needs a grant to {permission.value} over the whole organisation"
                        if unit is None
                        else f"{unit!r} is outside your scope (to {permission.value})"
                    )
                    problems.append(Problem(record.origin, column, message))
                    break
    return problems


def _units(
    name: str,
    record: Any,
    homes: dict[str, str],
    workplaces: dict[str, str],
    stored_shifts: dict[str, str],
) -> list[tuple[str, str | None]]:
    """(column, unit) for each unit a row writes to (None: the whole organisation)."""
    if name == WORKERS.file:
        return [("unit", record.unit), ("unit", homes.get(record.worker_id, record.unit))]
    if name in (NORMS.file, "provenance.csv"):
        return [("operation", None)]
    if name == "plans.csv":
        return [("unit", record.unit)]
    if name == SHIFTS.file:
        stored = stored_shifts.get(record.shift_id, record.workplace)
        return [("workplace", record.workplace), ("shift_id", stored)]
    if name == "time.csv":
        return [("worker_id", homes[record.worker_id])] if record.worker_id in homes else []
    shift_id = getattr(record, "shift_id", None)
    if shift_id and shift_id in workplaces:
        return [("shift_id", workplaces[shift_id])]
    if name == "incidents.csv" and not shift_id:
        return [("worker_ids", homes[w]) for w in record.worker_ids if w in homes]
    # An unknown shift or worker is the import's error to report, not a scope problem.
    return []


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

    With `check`, the batch is validated and counted but nothing is written. A correction
    rewrites the record of people's work, so it must say why.
    """
    refused = authorise(engine, batch, may)
    if refused:
        raise OutOfScope(refused)
    if correct and not (reason or "").strip():
        raise Refused(
            say("a correction needs a reason: say why the rows are corrected"), field="reason"
        )
    return import_batch(
        engine,
        batch,
        correct=correct,
        reason=reason,
        author=author,
        progress=progress,
        dry_run=check,
    )


@dataclass(frozen=True)
class Choices:
    """What the shift form offers a foreman: his workers, the operations with norms in force
    on the day (each with its unit of measure), and the workplaces he may write to."""

    workers: list[Worker]
    operations: list[str]
    units: dict[str, str]
    workplaces: list[str]


def choices(engine: Engine, subtrees: list[str] | None, on: dt.date) -> Choices:
    norms = reports.norms(engine, on)
    operations = sorted({n.operation for n in norms} | {i for n in norms for i in n.includes})
    return Choices(
        workers=[w for w in reports.workers(engine) if within_any(w.unit, subtrees)],
        operations=[*operations, ASSIST],
        units={n.operation: n.unit for n in norms},
        workplaces=dashboard.unit_paths(engine, subtrees),
    )


def short_name(workplace: str) -> str:
    """`Mine/Section 1/Brigade 1` → `B1`: the workplace's own name, initials and numbers."""
    words = re.findall(r"[^\W_]+", workplace.rsplit("/", 1)[-1])
    return "".join(w if w.isdigit() else w[0].upper() for w in words) or "W"


def propose_shift_id(engine: Engine, on: dt.date, workplace: str) -> str:
    """DATE-WORKPLACE-N with the smallest N no shift ever had (a voided one included):
    the same day and workplace always propose the same id until it is taken."""
    stem = f"{on.isoformat()}-{short_name(workplace)}-"
    start = 1
    with engine.connect() as connection:
        store = LedgerStore(connection)
        while True:
            candidates = [f"{stem}{n}" for n in range(start, start + 50)]
            taken = store.ever_written(SHIFTS, "shift_id", candidates)
            free = next((c for c in candidates if c not in taken), None)
            if free is not None:
                return free
            start += 50


def crew_workplace(engine: Engine, worker_ids: list[str], subtrees: list[str] | None) -> str | None:
    """The home unit the crew's workers share, where it is one unit within the scope."""
    homes = reports.homes(engine, worker_ids)
    found = {homes[w] for w in worker_ids if w in homes}
    if len(found) != 1:
        return None
    (unit,) = found
    return unit if within_any(unit, subtrees) else None
