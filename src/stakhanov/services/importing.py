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

from sqlalchemy import Connection, Engine, String

from stakhanov.domain.consistency import check
from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.shifts import Shift
from stakhanov.domain.timesheets import TimeEntry
from stakhanov.domain.units import ancestors
from stakhanov.domain.wording import say
from stakhanov.domain.work_orders import Participation, WorkOrder
from stakhanov.domain.workers import Worker
from stakhanov.services import read_model
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.tables import RawBatch, RawTable
from stakhanov.services.work_order_files import check_members
from stakhanov.store import partitions
from stakhanov.store.bulk import lock_ledger_writes
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import PayStore
from stakhanov.store.records import (
    CREW,
    INCIDENTS,
    KINDS,
    KTU,
    NORMS,
    OUTPUT,
    REJECTS,
    SHIFTS,
    TIME,
    UNIT_NAME_LENGTH,
    WORK_ORDERS,
    WORKERS,
    Record,
    RecordKind,
)

R = TypeVar("R")
Progress = Callable[[str, int], None]
"""Called with a stage name and the number of rows just done."""


class ImportRejected(Refused):
    """The batch has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems)


@dataclass
class FileCounts:
    added: int = 0
    unchanged: int = 0
    corrected: int = 0
    withdrawn: int = 0


@dataclass
class ImportReport:
    batch_id: int | None
    files: dict[str, FileCounts] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    """Each file as its reader wrote it, where that differs: `book.xlsx[workers]`."""

    @property
    def changed(self) -> bool:
        return any(c.added or c.corrected or c.withdrawn for c in self.files.values())


@dataclass
class _Plan:
    """What the batch would write, per kind: new entries, and reversals of stored ones.

    A reversal is either replaced by a new entry (a correction) or not (a withdrawal).
    """

    added: dict[str, list[Record]] = field(default_factory=dict)
    reversed: dict[str, list[tuple[int, Record, Source | None]]] = field(default_factory=dict)
    withdrawn: dict[str, int] = field(default_factory=dict)
    rerecorded: dict[str, int] = field(default_factory=dict)
    # Rows of a shift moved to another date: reversed in the old month, written again unchanged
    # in the new one (decision 0593). Not counted: the file did not change them.
    moved: dict[str, list[tuple[int, Record, Source | None]]] = field(default_factory=dict)

    def reverse(
        self,
        kind: RecordKind,
        entry_id: int,
        old: Record,
        by: Record | None,
        unchanged: bool = False,
    ) -> None:
        """Reverse a stored entry: withdrawn (no `by`), corrected, or re-recorded unchanged."""
        origin = by.origin if by else None
        self.reversed.setdefault(kind.file, []).append((entry_id, old, origin))
        if by is None:
            self.withdrawn[kind.file] = self.withdrawn.get(kind.file, 0) + 1
        else:
            self.added.setdefault(kind.file, []).append(by)
        if unchanged:
            self.rerecorded[kind.file] = self.rerecorded.get(kind.file, 0) + 1

    def counts(self, kind: RecordKind, incoming: int) -> FileCounts:
        added = len(self.added.get(kind.file, []))
        withdrawn = self.withdrawn.get(kind.file, 0)
        rerecorded = self.rerecorded.get(kind.file, 0)
        corrected = len(self.reversed.get(kind.file, [])) - withdrawn
        return FileCounts(
            added - corrected, incoming - added + rerecorded, corrected - rerecorded, withdrawn
        )


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
    dry_run: bool = False,
) -> ImportReport:
    """Validate and write a batch; raise ImportRejected with every problem if any.

    With `correct`, changed rows are corrected, and the output and crew rows of a shift named in
    the batch are taken as that shift's complete list: stored rows the batch no longer has are
    withdrawn by reversing entries. With `dry_run`, nothing is written.
    """
    problems = list(batch.problems)
    incoming: dict[str, list[Record]] = {}
    refused: dict[tuple[str, str], Source] = {}
    for kind in KINDS:
        table = batch.tables.get(kind.file)
        if table is None:
            continue
        records, found = parse_table(table, FORMATS[kind.file])
        problems += found
        incoming[kind.file] = records
        problems += too_long(table, kind)
        if kind in (SHIFTS, WORKERS):
            refused |= _refused_ids(table, kind, records)
        if progress:
            progress("checking", len(table.rows))
    for kind in KINDS:
        problems += _duplicates(kind, incoming.get(kind.file, []))

    # The batch's months first, in a transaction of their own (decision 0593).
    partitions.make_ahead(engine, batch_dates(incoming))
    with engine.begin() as connection:
        _lock_for_import(connection)
        store = LedgerStore(connection)
        plan, conflicts, ledger, scope = _merge(store, incoming, correct)
        problems += conflicts
        problems += check(ledger, scope, refused)
        problems += _check_references(store, plan, ledger)
        if not correct:
            problems += in_closed_periods(connection, plan)
        if problems:
            raise ImportRejected(_ordered(problems))
        report = ImportReport(batch_id=None)
        report.sources = {
            name: table.display
            for name, table in batch.tables.items()
            if table.display and table.display != name
        }
        for kind in KINDS:
            if kind.file in incoming:
                report.files[kind.file] = plan.counts(kind, len(incoming[kind.file]))
        if not report.changed or dry_run:
            return report
        report.batch_id = _write(
            store, plan, batch.label, author or default_author(), correct, reason, progress
        )
        read_model.refresh(connection, report.batch_id)
        return report


PATH_COLUMNS = {"unit", "workplace"}


def too_long(table: RawTable, kind: RecordKind) -> list[Problem]:
    """Texts longer than their column holds (PostgreSQL enforces it; SQLite would not)."""
    limits = {
        c.name: c.type.length
        for c in kind.table.columns
        if c.name in table.header and isinstance(c.type, String) and c.type.length
    }
    found = []
    for number, cells in table.rows:
        for column, value in zip(table.header, cells, strict=False):
            limit = limits.get(column)
            if limit is None:
                continue
            if len(value) > limit:
                message = say(
                    "is %(length)d characters long; at most %(limit)d",
                    length=len(value),
                    limit=limit,
                )
                found.append(Problem(table.source(number), column, message))
            elif column in PATH_COLUMNS and any(
                len(part.strip()) > UNIT_NAME_LENGTH for part in value.split("/")
            ):
                message = say("a unit's name is at most %(most)d characters", most=UNIT_NAME_LENGTH)
                found.append(Problem(table.source(number), column, message))
    return found


def _refused_ids(
    table: RawTable, kind: RecordKind, records: list[Record]
) -> dict[tuple[str, str], Source]:
    """The ids of rows that had problems of their own, so references to them can say so."""
    column = kind.key_columns[0]
    if column not in table.header:
        return {}
    parsed = {getattr(r, column) for r in records}
    index = table.header.index(column)
    found: dict[tuple[str, str], Source] = {}
    for number, cells in table.rows:
        value = cells[index].strip() if index < len(cells) else ""
        if value and value not in parsed:
            found.setdefault((column, value), table.source(number))
    return found


def in_closed_periods(connection: Connection, plan: _Plan) -> list[Problem]:
    """New shifts dated in a closed period: its pay is locked, so only a correction adds one.

    Checked under the writers' lock, which a close also takes to write: a shift entered while
    a period closes is either in the slips or refused here, never silently left out.
    """
    closed = [c.period for c in PayStore(connection).periods()]
    problems = []
    for shift in _typed(plan.added.get(SHIFTS.file, []), Shift):
        period = next((p for p in closed if shift.date in p), None)
        if period is not None and shift.origin is not None:
            message = say(
                "%(date)s lies in the closed period %(period)s, whose pay is locked; enter "
                "the shift as a correction, with a reason, to pay it in the next close",
                date=str(shift.date),
                period=str(period),
            )
            problems.append(Problem(shift.origin, "date", message))
    return problems


def _lock_for_import(connection: Connection) -> None:
    """Imports are serialised: each judges the ledger as the previous one left it."""
    lock_ledger_writes(connection)


def _duplicates(kind: RecordKind, records: list[Record]) -> Iterable[Problem]:
    first: dict[tuple[Any, ...], Record] = {}
    for record in records:
        key = kind.key(record)
        if key in first:
            where = first[key].origin
            yield Problem(
                record.origin,
                kind.key_columns[-1],
                say(
                    "duplicate of row %(row)s (%(key)s)",
                    row=where.row if where else "?",
                    key=", ".join(map(str, key)),
                ),
            )
        else:
            first[key] = record


def _merge(
    store: LedgerStore,
    incoming: dict[str, list[Record]],
    correct: bool,
    extra_scope: set[str] | None = None,
) -> tuple[_Plan, list[Problem], Ledger, set[str]]:
    """Compare the batch with what is stored; return the plan, conflicts and combined ledger.

    A bulk import passes `extra_scope`, the stored shifts its set-based checks want judged
    here; it has looked at the rest of what new norms could change itself.
    """
    plan = _Plan()
    conflicts: list[Problem] = []
    batch_shifts = _typed(incoming.get(SHIFTS.file, []), Shift)
    shifts_in_batch = {s.shift_id for s in batch_shifts}
    shifts_in_batch |= {o.shift_id for o in _typed(incoming.get(OUTPUT.file, []), MeasuredOutput)}
    shifts_in_batch |= {c.shift_id for c in _typed(incoming.get(CREW.file, []), CrewEntry)}
    faults = _typed(incoming.get(REJECTS.file, []), RejectFault)
    shifts_in_batch |= {f.shift_id for f in faults}
    incidents = _typed(incoming.get(INCIDENTS.file, []), Incident)
    shifts_in_batch |= {i.shift_id for i in incidents if i.shift_id is not None}
    stored_shifts = store.records(SHIFTS, Shift, "shift_id", shifts_in_batch)
    dates = {s.date for s in stored_shifts} | {s.date for s in batch_shifts}
    dates |= {t.date for t in _typed(incoming.get(TIME.file, []), TimeEntry)}
    scope_ids = shifts_in_batch | store.shift_ids_on(dates)
    new_norms = _typed(incoming.get(NORMS.file, []), Norm)
    if extra_scope is not None:
        scope_ids |= extra_scope
    elif new_norms:
        # A changed norm can change which crew operations are allowed from its date on.
        earliest = min(n.effective_from for n in new_norms)
        scope_ids |= store.shift_ids_between(earliest, dt.date.max)

    stored: dict[str, dict[tuple[Any, ...], tuple[int, Record]]] = {}
    for kind in KINDS:
        # Kinds keyed by shift are read for the batch's shifts; the others are read whole.
        if kind.key_columns[0] != "shift_id":
            pairs = store.current(kind)
        else:
            pairs = store.current(kind, "shift_id", scope_ids)
        stored[kind.file] = {kind.key(record): (entry_id, record) for entry_id, record in pairs}

    stored_groups = {(key[0], key[2]) for key in stored[CREW.file]}
    new_shift_ids = {s.shift_id for s in batch_shifts} - {key[0] for key in stored[SHIFTS.file]}
    voided = store.ever_written(SHIFTS, "shift_id", new_shift_ids) if not correct else set()
    for kind in KINDS:
        for record in incoming.get(kind.file, []):
            existing = stored[kind.file].get(kind.key(record))
            if existing is None:
                if isinstance(record, CrewEntry) and not correct:
                    conflicts += _joins_stored_crew(record, stored_groups)
                if isinstance(record, Shift) and record.shift_id in voided:
                    conflicts.append(
                        Problem(
                            record.origin,
                            "shift_id",
                            say(
                                "shift %(shift)s was voided; importing it again would undo "
                                "the void: use --correct to enter it again",
                                shift=record.shift_id,
                            ),
                        )
                    )
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
                        say(
                            "conflicts with the stored row (%(detail)s); "
                            "use --correct to record a correction",
                            detail=detail,
                        ),
                    )
                )
                continue
            plan.reverse(kind, entry_id, old, record)
    if correct:
        _withdraw_missing(plan, stored, incoming)
        _rerecord_changed_crews(plan, stored, incoming)
        _move_to_new_dates(plan, stored)

    combined = {
        file: {key: record for key, (_, record) in rows.items()} for file, rows in stored.items()
    }
    for kind in KINDS:
        for _, old, _origin in plan.reversed.get(kind.file, []):
            combined[kind.file].pop(kind.key(old), None)
    for kind in KINDS:
        for record in plan.added.get(kind.file, []):
            combined[kind.file][kind.key(record)] = record
    ledger = Ledger.of(
        workers=_typed(combined["workers.csv"].values(), Worker),
        norms=NormBook.of(_typed(combined["norms.csv"].values(), Norm)),
        shifts=_typed(combined["shifts.csv"].values(), Shift),
        outputs=_typed(combined["output.csv"].values(), MeasuredOutput),
        crew=_typed(combined["crew.csv"].values(), CrewEntry),
        time=_typed(combined[TIME.file].values(), TimeEntry),
        faults=_typed(combined[REJECTS.file].values(), RejectFault),
    )
    return plan, conflicts, ledger, scope_ids


def _check_references(
    store: LedgerStore, plan: _Plan, ledger: Ledger, workplaces: Iterable[str] = ()
) -> list[Problem]:
    """Files that refer to norms or units are checked against what the ledger would become.

    `workplaces` are those of shifts the ledger would hold that `ledger` leaves out (bulk).
    """
    problems = _check_members(store, plan)
    checked = [k for k in KINDS if FORMATS[k.file].check and plan.added.get(k.file)]
    if not checked:
        return problems
    units = store.unit_paths()
    for workplace in workplaces:
        units.update(ancestors(workplace))
    for worker in ledger.workers.values():
        units.update(ancestors(worker.unit))
    for shift in ledger.shifts.values():
        units.update(ancestors(shift.workplace))
    for kind in checked:
        check_kind = FORMATS[kind.file].check
        assert check_kind is not None
        problems += check_kind(plan.added[kind.file], ledger, units)
    return problems


def _check_members(store: LedgerStore, plan: _Plan) -> list[Problem]:
    """KTU rows against their work orders, stored or in the batch (work_order_files.py)."""
    new_orders = _typed(plan.added.get(WORK_ORDERS.file, []), WorkOrder)
    new_members = _typed(plan.added.get(KTU.file, []), Participation)
    if not new_orders and not new_members:
        return []
    state = {}
    for kind in (WORK_ORDERS, KTU):
        gone = {entry_id for entry_id, _, _ in plan.reversed.get(kind.file, [])}
        kept = [r for entry_id, r in store.current(kind) if entry_id not in gone]
        state[kind.file] = kept + plan.added.get(kind.file, [])
    orders = _typed(state[WORK_ORDERS.file], WorkOrder)
    members = _typed(state[KTU.file], Participation)
    return check_members(orders, members, new_orders, new_members)


def _joins_stored_crew(entry: CrewEntry, stored_groups: set[tuple[str, str]]) -> list[Problem]:
    """A new worker on a stored shift's operation changes the others' split: a correction."""
    if (entry.shift_id, entry.operation) not in stored_groups:
        return []
    return [
        Problem(
            entry.origin,
            "worker_id",
            say(
                "%(shift)s %(operation)s already has a stored crew, and adding %(worker)s would "
                "change its credits; use --correct with the shift's complete crew",
                shift=entry.shift_id,
                operation=entry.operation,
                worker=entry.worker_id,
            ),
        )
    ]


def _withdraw_missing(
    plan: _Plan,
    stored: dict[str, dict[tuple[Any, ...], tuple[int, Record]]],
    incoming: dict[str, list[Record]],
) -> None:
    """Reverse stored output and crew rows of the batch's shifts that the batch leaves out."""
    for kind in (OUTPUT, CREW):
        records = incoming.get(kind.file)
        if not records:
            continue
        keys = {kind.key(r) for r in records}
        shifts = {key[0] for key in keys}
        for key, (entry_id, old) in stored[kind.file].items():
            if key[0] in shifts and key not in keys:
                plan.reverse(kind, entry_id, old, None)


def _rerecord_changed_crews(
    plan: _Plan,
    stored: dict[str, dict[tuple[Any, ...], tuple[int, Record]]],
    incoming: dict[str, list[Record]],
) -> None:
    """Keep a corrected crew in the order of its file, which decides ties in the split.

    A corrected row is appended after the rows it sat among; the unchanged rows of a crew with
    any correction, addition or withdrawal are therefore written again with it, in file order.
    """
    changed = {(r.shift_id, r.operation) for r in _typed(plan.added.get(CREW.file, []), CrewEntry)}
    changed |= {
        (old.shift_id, old.operation)
        for _, old, origin in plan.reversed.get(CREW.file, [])
        if isinstance(old, CrewEntry) and origin is None
    }
    reversed_ids = {entry_id for entry_id, _, _ in plan.reversed.get(CREW.file, [])}
    for record in _typed(incoming.get(CREW.file, []), CrewEntry):
        existing = stored[CREW.file].get(CREW.key(record))
        if existing is None or (record.shift_id, record.operation) not in changed:
            continue
        entry_id, old = existing
        if entry_id not in reversed_ids:
            plan.reverse(CREW, entry_id, old, record, unchanged=True)
    added = plan.added.get(CREW.file)
    if added:
        added.sort(key=lambda r: r.origin.row if r.origin else 0)


def _move_to_new_dates(
    plan: _Plan, stored: dict[str, dict[tuple[Any, ...], tuple[int, Record]]]
) -> None:
    """A shift corrected to another date takes its outputs and crew rows with it: each row
    carries its shift's date, and PostgreSQL keeps it in that month's partition."""
    corrected = {s.shift_id: s for s in _typed(plan.added.get(SHIFTS.file, []), Shift)}
    moved = {
        old.shift_id: corrected[old.shift_id]
        for _, old, _ in plan.reversed.get(SHIFTS.file, [])
        if isinstance(old, Shift)
        and old.shift_id in corrected
        and corrected[old.shift_id].date != old.date
    }
    if not moved:
        return
    for kind in (OUTPUT, CREW):
        gone = {entry_id for entry_id, _, _ in plan.reversed.get(kind.file, [])}
        for key, (entry_id, old) in stored[kind.file].items():
            if key[0] in moved and entry_id not in gone:
                plan.moved.setdefault(kind.file, []).append((entry_id, old, moved[key[0]].origin))


def _typed(records: Iterable[Record], cls: type[R]) -> list[R]:
    return [r for r in records if isinstance(r, cls)]


def batch_dates(incoming: dict[str, list[Record]]) -> set[dt.date]:
    """The dates of a batch's shifts and paid time: the months it may add to the ledger."""
    dates = {s.date for s in _typed(incoming.get(SHIFTS.file, []), Shift)}
    return dates | {t.date for t in _typed(incoming.get(TIME.file, []), TimeEntry)}


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
        write_moved(store, kind, batch_id, plan.moved.get(kind.file, []), why)
    return batch_id


def write_moved(
    store: LedgerStore,
    kind: RecordKind,
    batch_id: int,
    moved: list[tuple[int, Record, Source | None]],
    why: str,
) -> None:
    """Rows of a shift moved to another date: reversed where they were, written again."""
    if moved:
        store.reverse(kind, batch_id, moved, why)
        store.append(kind, batch_id, [old for _, old, _ in moved])


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
