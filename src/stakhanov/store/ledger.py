"""The append-only ledger on a connection: read current entries, append, reverse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, Select, and_, exists, func, insert, select
from sqlalchemy.orm import aliased

from stakhanov.domain.errors import Source
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.shifts import Shift
from stakhanov.domain.timesheets import TimeEntry
from stakhanov.domain.units import ancestors, parent
from stakhanov.domain.workers import Worker
from stakhanov.store import partitions
from stakhanov.store.records import (
    CREW,
    NORMS,
    OUTPUT,
    REJECTS,
    SHIFTS,
    TIME,
    WORKERS,
    Record,
    RecordKind,
)
from stakhanov.store.schema import MONTHLY, batches, units
from stakhanov.store.types import stored_date

CHUNK = 500
BLOCK = 10_000
# A snapshot without paid time (its span is empty): results, audits and claims read none.
NO_PAID_TIME = (dt.date.min, dt.date.min)
"""Entries turned into rows at a time: a month's workers are not all dicts at once."""
R = TypeVar("R")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def current_query(kind: RecordKind) -> Select[Any]:
    """Entries that are not reversals and have not been reversed."""
    table = kind.table
    reversal = aliased(table)
    return (
        select(table)
        .where(table.c.reverses.is_(None))
        # The second condition lets PostgreSQL read the partial index of reversals (0590).
        .where(
            ~exists().where(
                reversal.c.reverses == table.c.entry_id, reversal.c.reverses.is_not(None)
            )
        )
        .order_by(table.c.entry_id)
    )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class LedgerStore:
    """Reads and writes ledger entries on one connection (one unit of work)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def current(
        self, kind: RecordKind, column: str | None = None, values: Iterable[Any] | None = None
    ) -> list[tuple[int, Record]]:
        """Current (entry_id, record) pairs, optionally where column is in values."""
        if column is None or values is None:
            rows = self.connection.execute(current_query(kind)).all()
            return [(row.entry_id, kind.from_row(row)) for row in rows]
        found: list[tuple[int, Record]] = []
        for chunk in _chunks(sorted(set(values))):
            query = current_query(kind).where(kind.table.c[column].in_(chunk))
            found += [(row.entry_id, kind.from_row(row)) for row in self.connection.execute(query)]
        found.sort(key=lambda pair: pair[0])
        return found

    def ever_written(self, kind: RecordKind, column: str, values: Iterable[Any]) -> set[Any]:
        """The values of column among every entry ever written, current or reversed."""
        found: set[Any] = set()
        table = kind.table
        for chunk in _chunks(sorted(set(values))):
            query = select(table.c[column]).where(table.c[column].in_(chunk)).distinct()
            found.update(self.connection.execute(query).scalars())
        return found

    def shift_ids_on(self, dates: Iterable[dt.date]) -> set[str]:
        table = SHIFTS.table
        ids: set[str] = set()
        for chunk in _chunks(sorted(set(dates))):
            query = current_query(SHIFTS).where(table.c.date.in_(chunk))
            ids.update(row.shift_id for row in self.connection.execute(query))
        return ids

    def shift_ids_worked(self, days: Iterable[tuple[str, dt.date]]) -> set[str]:
        """The shifts in whose current crew each worker stood on each date: read by the crew's
        worker index, for the (few) workers asked."""
        wanted = set(days)
        crew = CREW.table.c
        found: set[str] = set()
        for chunk in _chunks(sorted({w for w, _ in wanted})):
            query = current_query(CREW).where(
                crew.worker_id.in_(chunk), crew.shift_date.in_(sorted({d for _, d in wanted}))
            )
            rows = self.connection.execute(query)
            found.update(r.shift_id for r in rows if (r.worker_id, r.shift_date) in wanted)
        return found

    def outputs_between(self, operation: str, start: dt.date, end: dt.date) -> list[MeasuredOutput]:
        """The current outputs of one operation in the current shifts dated start..end: read
        in SQL, not with the period's crews, workers and paid time."""
        shifts = SHIFTS.table.c
        dated = current_query(SHIFTS).where(shifts.date >= start, shifts.date <= end)
        ids = dated.with_only_columns(shifts.shift_id).order_by(None)
        output = OUTPUT.table.c
        query = current_query(OUTPUT).where(output.operation == operation, output.shift_id.in_(ids))
        found = [OUTPUT.from_row(row) for row in self.connection.execute(query)]
        assert all(isinstance(o, MeasuredOutput) for o in found)
        return found  # type: ignore[return-value]

    def last_date_measuring(self, operation: str) -> dt.date | None:
        """The date of the last current shift with a current output of the operation: a MAX
        in SQL, not every such output and shift as objects."""
        shifts, output = SHIFTS.table.c, OUTPUT.table.c
        measured = (
            current_query(OUTPUT)
            .where(output.operation == operation)
            .with_only_columns(output.shift_id)
            .order_by(None)
        )
        query = (
            current_query(SHIFTS)
            .where(shifts.shift_id.in_(measured))
            .with_only_columns(func.max(shifts.date))
            .order_by(None)
        )
        found = self.connection.execute(query).scalar()
        return None if found is None else stored_date(found)

    def shift_ids_worked_by(
        self, worker_ids: Iterable[str], start: dt.date, end: dt.date
    ) -> set[str]:
        """The current shifts dated start..end in whose current crew any of the workers stood:
        read by the crew's worker index, for the workers asked."""
        crew, shifts = CREW.table.c, SHIFTS.table.c
        found: set[str] = set()
        for chunk in _chunks(sorted(set(worker_ids))):
            worked = (
                current_query(CREW)
                .where(crew.worker_id.in_(chunk), crew.shift_date >= start, crew.shift_date <= end)
                .with_only_columns(crew.shift_id)
                .order_by(None)
            )
            query = (
                current_query(SHIFTS)
                .where(shifts.shift_id.in_(worked), shifts.date >= start, shifts.date <= end)
                .with_only_columns(shifts.shift_id)
                .order_by(None)
            )
            found.update(self.connection.execute(query).scalars())
        return found

    def shift_ids_between(self, start: dt.date, end: dt.date) -> set[str]:
        table = SHIFTS.table
        query = current_query(SHIFTS).where(and_(table.c.date >= start, table.c.date <= end))
        return {row.shift_id for row in self.connection.execute(query)}

    def work_dates_before(self, day: dt.date) -> set[dt.date]:
        """Dates before `day` of shifts with a crew and of paid time (what pay counts)."""
        shifts = current_query(SHIFTS).subquery()
        crew = current_query(CREW).subquery()
        time = current_query(TIME).subquery()
        worked = (
            select(shifts.c.date)
            .join(crew, crew.c.shift_id == shifts.c.shift_id)
            .where(shifts.c.date < day)
            .distinct()
        )
        paid = select(time.c.date).where(time.c.date < day).distinct()
        return {row[0] for row in self.connection.execute(worked)} | {
            row[0] for row in self.connection.execute(paid)
        }

    def records(
        self, kind: RecordKind, cls: type[R], column: str | None = None, values: Any = None
    ) -> list[R]:
        """Current records of one kind, typed."""
        found = [record for _, record in self.current(kind, column, values)]
        assert all(isinstance(record, cls) for record in found)
        return found  # type: ignore[return-value]

    def master(self, worker_ids: Iterable[str] | None = None) -> Ledger:
        """A domain Ledger of the workers (all, or those named) and the norms alone: what a
        check of names or operations needs, without the shifts and paid time a snapshot
        reads, so it costs the workers asked for."""
        column = None if worker_ids is None else "worker_id"
        return Ledger.of(
            workers=self.records(WORKERS, Worker, column, worker_ids),
            norms=self.records(NORMS, Norm),
        )

    def snapshot(
        self,
        shift_ids: Iterable[str] | None = None,
        dates: tuple[dt.date, dt.date] | None = None,
        also: Iterable[str] | None = None,
        time_of: Iterable[str] | None = None,
    ) -> Ledger:
        """A domain Ledger of the norms and the given shifts (default: all), with every worker,
        or, given `also`, only the shifts' crews and those workers.

        Time entries are those dated within `dates` (default: all), of every worker or, given
        `time_of`, of those workers only.
        """
        ids = None if shift_ids is None else set(shift_ids)
        column = None if ids is None else "shift_id"
        crew = self.records(CREW, CrewEntry, column, ids)
        named = None if also is None else {*also, *(c.worker_id for c in crew)}
        return Ledger.of(
            workers=self.records(WORKERS, Worker, None if named is None else "worker_id", named),
            norms=self.records(NORMS, Norm),
            shifts=self.records(SHIFTS, Shift, column, ids),
            outputs=self.records(OUTPUT, MeasuredOutput, column, ids),
            crew=crew,
            time=self._time(dates, time_of),
            faults=self.records(REJECTS, RejectFault, column, ids),
        )

    def _time(
        self, dates: tuple[dt.date, dt.date] | None, worker_ids: Iterable[str] | None = None
    ) -> list[TimeEntry]:
        """Paid time dated within `dates` (None: all), of the workers named (None: all), chosen
        in SQL: the ledger's paid time grows with every month and worker it holds."""
        if dates is None and worker_ids is None:
            return self.records(TIME, TimeEntry)
        table = TIME.table
        query = current_query(TIME)
        if dates is not None:
            query = query.where(table.c.date >= dates[0], table.c.date <= dates[1])
        if worker_ids is None:
            chunks: Iterable[Sequence[str] | None] = [None]
        else:
            chunks = _chunks(sorted(set(worker_ids)))
        rows: list[Row[Any]] = []
        for chunk in chunks:
            chosen = query if chunk is None else query.where(table.c.worker_id.in_(chunk))
            rows += self.connection.execute(chosen).all()
        rows.sort(key=lambda row: row.entry_id)  # entry order, as one query gives it
        found = [TIME.from_row(row) for row in rows]
        assert all(isinstance(entry, TimeEntry) for entry in found)
        return found  # type: ignore[return-value]

    def last_batch(self) -> int:
        """The id of the last batch written (0 for none): every write starts a batch."""
        found = self.connection.execute(select(func.max(batches.c.batch_id))).scalar()
        return int(found or 0)

    def new_batch(self, kind: str, source: str | None, author: str, reason: str | None) -> int:
        result = self.connection.execute(
            insert(batches).values(
                kind=kind, source=source, author=author, reason=reason, written_at=now()
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def append(self, kind: RecordKind, batch_id: int, records: Sequence[Record]) -> None:
        entries = [(record, None, None, record.origin) for record in records]
        self._write(kind, batch_id, entries)

    def reverse(
        self,
        kind: RecordKind,
        batch_id: int,
        reversals: Sequence[tuple[int, Record, Source | None]],
        reason: str,
    ) -> None:
        """Write a reversing entry for each (entry_id, stored, origin) triple.

        The reversal repeats the stored payload and records the file and row that caused it.
        """
        self._write(kind, batch_id, [(old, i, reason, origin) for i, old, origin in reversals])

    def _write(
        self,
        kind: RecordKind,
        batch_id: int,
        entries: Sequence[tuple[Record, int | None, str | None, Source | None]],
    ) -> None:
        """Insert (payload, reverses, reason, origin) entries with the bookkeeping columns."""
        written_at = now()
        for start in range(0, len(entries), BLOCK):
            self._write_block(kind, batch_id, entries[start : start + BLOCK], written_at)

    def _write_block(
        self,
        kind: RecordKind,
        batch_id: int,
        entries: Sequence[tuple[Record, int | None, str | None, Source | None]],
        written_at: dt.datetime,
    ) -> None:
        """One block of entries as rows (never all of a large batch's rows at once)."""
        rows = [
            {
                **kind.to_row(record),
                "batch_id": batch_id,
                "reverses": reverses,
                "reason": reason,
                "source_file": origin.file if origin else None,
                "source_row": origin.row if origin else None,
                "written_at": written_at,
            }
            for record, reverses, reason, origin in entries
        ]
        if "shift_date" in kind.table.c:
            self._date(kind, rows)
        if kind.table in MONTHLY:
            partitions.ensure(self.connection, (row[MONTHLY[kind.table]] for row in rows))
        for chunk in _chunks(rows):
            self.connection.execute(insert(kind.table), list(chunk))

    def _date(self, kind: RecordKind, rows: list[dict[str, Any]]) -> None:
        """Each row's shift date: its shift's current one, or, for a reversal, that of the row
        it reverses (a correction lands in the month of what it reverses: decision 0593)."""
        table = kind.table
        reversed_ids = [row["reverses"] for row in rows if row["reverses"] is not None]
        held: dict[int, dt.date] = {}
        for chunk in _chunks(reversed_ids):
            query = select(table.c.entry_id, table.c.shift_date).where(table.c.entry_id.in_(chunk))
            held.update((key, date) for key, date in self.connection.execute(query))
        dates = self.shift_dates(row["shift_id"] for row in rows if row["reverses"] is None)
        for row in rows:
            found = held.get(row["reverses"]) if row["reverses"] else dates.get(row["shift_id"])
            if found is None:
                raise ValueError(f"{table.name}: no date for shift {row['shift_id']!r}")
            row["shift_date"] = found

    def shift_dates(self, shift_ids: Iterable[str]) -> dict[str, dt.date]:
        """The current date of each of the shifts that has a current entry."""
        table = SHIFTS.table
        found: dict[str, dt.date] = {}
        for chunk in _chunks(sorted(set(shift_ids))):
            query = (
                current_query(SHIFTS)
                .with_only_columns(table.c.shift_id, table.c.date)
                .where(table.c.shift_id.in_(chunk))
            )
            found.update((key, date) for key, date in self.connection.execute(query))
        return found

    def unit_paths(self) -> set[str]:
        """Every unit of the organisation tree that has been recorded."""
        return set(self.connection.scalars(select(units.c.path)))

    def ensure_units(self, paths: Iterable[str]) -> None:
        """Record every unit on the given paths, ancestors first."""
        wanted = sorted({a for path in paths for a in ancestors(path)})
        if not wanted:
            return
        known: set[str] = set()
        for chunk in _chunks(wanted):
            known.update(
                self.connection.scalars(select(units.c.path).where(units.c.path.in_(chunk)))
            )
        missing = [p for p in sorted(wanted, key=lambda p: p.count("/")) if p not in known]
        rows = [{"path": p, "parent": parent(p), "name": p.rsplit("/", 1)[-1]} for p in missing]
        for chunk in _chunks(rows):
            self.connection.execute(insert(units), list(chunk))
