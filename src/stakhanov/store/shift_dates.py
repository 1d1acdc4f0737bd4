"""The date of its shift that each output and crew row carries (`shift_date`, decision 0594).

Written by the store when a row is written: a new row takes its shift's current date, a
reversal the date of the row it reverses, and a shift moved to another date has its rows
written again there. Checked by verify-ledger against the shift entries, which the chain
covers: a reversal holds what it reverses, every other row a date its shift has had, and a
current row its shift's current date. The migration that adds the column fills it by the
same rules (a reversed row with the date its shift had when the row was written).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection

DATED = ("output_entries", "crew_entries")  # tables with a derived shift_date


def _text(connection: Connection, column: str) -> str:
    """A date column as ISO text (SQLite holds it so already)."""
    if connection.dialect.name == "postgresql":
        return f"to_char({column}, 'YYYY-MM-DD')"
    return column


@dataclass
class ShiftDates:
    """Every shift entry's date, by shift id, with when each was written and reversed."""

    entries: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    reversed_in: dict[int, int] = field(default_factory=dict)  # entry -> its reversal's batch

    @classmethod
    def read(cls, connection: Connection) -> ShiftDates:
        found = cls()
        rows = connection.exec_driver_sql(
            f"SELECT entry_id, shift_id, batch_id, reverses, {_text(connection, 'date')} "
            "FROM shift_entries ORDER BY entry_id"
        )
        for entry_id, shift_id, batch_id, reverses, date in rows:
            if reverses is None:
                found.entries.setdefault(shift_id, []).append((entry_id, batch_id, date))
            else:
                found.reversed_in[reverses] = batch_id
        return found

    def ever(self, shift_id: str) -> set[str]:
        """Every date the shift has had."""
        return {date for _, _, date in self.entries.get(shift_id, ())}

    def current(self, shift_id: str) -> str | None:
        dates = [d for i, _, d in self.entries.get(shift_id, ()) if i not in self.reversed_in]
        return dates[-1] if dates else None

    def at(self, shift_id: str, batch: int) -> str | None:
        """The shift's date once `batch` was written (its newest date if none was by then)."""
        entries = self.entries.get(shift_id, [])
        dates = [
            d for i, b, d in entries if b <= batch and self.reversed_in.get(i, batch + 1) > batch
        ]
        if dates:
            return dates[-1]
        return entries[-1][2] if entries else None


@dataclass(frozen=True)
class DatedRow:
    key: int
    batch: int
    shift_id: str
    reverses: int | None
    stored: str | None
    reversed: bool


def rows(connection: Connection, table: str) -> Iterator[DatedRow]:
    """A dated table's rows with their stored shift date, in key order."""
    assert table in DATED
    reversed_ids = set(
        connection.exec_driver_sql(f"SELECT reverses FROM {table} WHERE reverses IS NOT NULL")
        .scalars()
        .all()
    )
    result = connection.exec_driver_sql(
        f"SELECT entry_id, batch_id, shift_id, reverses, {_text(connection, 'shift_date')} "
        f"FROM {table} ORDER BY entry_id"
    )
    for key, batch, shift_id, reverses, stored in result:
        yield DatedRow(key, batch, shift_id, reverses, stored, key in reversed_ids)


def expected(connection: Connection, table: str, shifts: ShiftDates) -> dict[int, str | None]:
    """The date each row of `table` should carry, by key (what the migration writes)."""
    batches: dict[int, int] = {}  # of reversed rows (written before their reversals)
    found: dict[int, str | None] = {}
    for row in rows(connection, table):
        if row.reversed:
            batches[row.key] = row.batch
        if row.reverses is not None:
            reversed_batch = batches.get(row.reverses, row.batch)
            found[row.key] = shifts.at(row.shift_id, reversed_batch)
        elif row.reversed:
            found[row.key] = shifts.at(row.shift_id, row.batch)
        else:
            found[row.key] = shifts.current(row.shift_id) or shifts.at(row.shift_id, row.batch)
    return found


def mismatches(connection: Connection, table: str, shifts: ShiftDates) -> Iterator[DatedRow]:
    """Rows whose stored shift date breaks the rules above."""
    dates: dict[int, str | None] = {}  # of reversed rows (written before their reversals)
    for row in rows(connection, table):
        if row.reversed:
            dates[row.key] = row.stored
        if row.reverses is not None:
            wrong = row.reverses in dates and dates[row.reverses] != row.stored
        elif not row.reversed and shifts.current(row.shift_id) is not None:
            wrong = row.stored != shifts.current(row.shift_id)
        else:
            wrong = row.stored not in shifts.ever(row.shift_id)
        if wrong:
            yield row
