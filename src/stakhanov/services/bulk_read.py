"""Reading a large import file in chunks, and screening each chunk a whole column at a time.

The screen asks of each column what the row parser would ask of each cell, but once per
distinct value (a month has thirty dates and a few units, not a million), and marks every row
that any check could refuse. Only marked rows go through the row parser, which gives their
problems the very words, places and order of a small import; unmarked rows are valid as
written and stay text until they are stored.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stakhanov.domain.clock import clock_text, parse_clock, span
from stakhanov.domain.errors import InvalidValue, Problem, Refused
from stakhanov.domain.hours import stored_hours
from stakhanov.domain.periods import parse_date
from stakhanov.domain.quantities import check_unit
from stakhanov.domain.shifts import Conditions
from stakhanov.domain.units import SEPARATOR, parse_path
from stakhanov.domain.values import require_hours, require_non_negative
from stakhanov.services.parsing import FORMATS, check_header, parse_decimal, parse_table
from stakhanov.services.tables import (
    RawTable,
    UnreadableFile,
    data_rows,
    file_name,
    header_of,
    parquet_rows,
)
from stakhanov.store.bulk import payload_columns
from stakhanov.store.records import (
    CREW,
    EXACT,
    OUTPUT,
    REJECTS,
    SHIFTS,
    TIME,
    UNIT_NAME_LENGTH,
    WORKERS,
    Record,
    RecordKind,
)

CHUNK_ROWS = 50_000
LARGE = (SHIFTS, OUTPUT, CREW)
SMALL = (WORKERS, TIME, REJECTS)
"""Files read a chunk at a time and parsed by the row parser, then staged (decision 0897)."""
Rows = list[tuple[int, list[str]]]


class Unreadable(Refused):
    """The file cannot be read as a whole (encoding, CSV quoting): the row reader says why."""


@dataclass
class TableStream:
    """One large file, read again from its start by each call of `chunks`."""

    name: str
    path: Path
    header: list[str]
    header_row: int

    @property
    def display(self) -> str:
        return self.path.name

    def chunks(self, size: int | None = None) -> Iterator[tuple[int, list[list[str]]]]:
        """(number of the first row, rows of raw cells): numbered as the row reader does."""
        size = size or CHUNK_ROWS
        start = self.header_row + 1
        try:
            with _Lines(self.path) as lines:
                rows = itertools.islice(lines, self.header_row, None)
                while chunk := list(itertools.islice(rows, size)):
                    yield start, chunk
                    start += len(chunk)
        except (UnicodeDecodeError, csv.Error) as err:
            raise Unreadable(str(err)) from err


class _Lines:
    """Rows of a CSV (decoded as it streams) or Parquet file, as lists of cells."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file: Any = None

    def __enter__(self) -> Iterator[list[str]]:
        if self.path.suffix.lower() == ".parquet":
            return parquet_rows(self.path)
        self.file = self.path.open(encoding="utf-8-sig", newline="")
        return csv.reader(self.file)

    def __exit__(self, *_: object) -> None:
        if self.file is not None:
            self.file.close()


def open_stream(path: Path) -> TableStream | None:
    """The file's header and where it is; None when the row reader must judge the whole file."""
    try:
        with _Lines(path) as lines:
            for number, header in enumerate(lines, start=1):
                if any(cell.strip() for cell in header):
                    stream = TableStream(file_name(path), path, header_of(header), number)
                    break
            else:
                return None
    except (UnicodeDecodeError, csv.Error, UnreadableFile):
        return None
    table = RawTable(stream.name, stream.header, display=stream.display, header_row=number)
    if check_header(table, FORMATS[stream.name]):
        return None  # a header with problems: the rows are not parsed, the row path says so
    return stream


_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def _valid_number(check: Callable[[str, Decimal], Decimal]) -> Callable[[str, str], bool]:
    def valid(text: str, column: str) -> bool:
        try:
            value = check(column, parse_decimal(text, column))
        except InvalidValue:
            return False
        return value.as_tuple() == Decimal(text).as_tuple()  # stored as written, no rescaling

    return valid


def _valid_path(text: str, column: str) -> bool:
    try:
        path = parse_path(text, column)
    except InvalidValue:
        return False
    return path == text and all(len(p) <= UNIT_NAME_LENGTH for p in text.split(SEPARATOR))


def _valid(parse: Callable[[str], Any]) -> Callable[[str, str], bool]:
    def valid(text: str, _column: str) -> bool:
        try:
            return str(parse(text)) == text
        except (InvalidValue, ValueError):
            return False

    return valid


CHECKS: dict[str, Callable[[str, str], bool]] = {
    "date": _valid(parse_date),
    "hours": _valid_number(require_hours),
    "quantity": _valid_number(require_non_negative),
    "rejected": _valid_number(require_non_negative),
    "credited": _valid_number(require_non_negative),
    "coefficient": _valid_number(require_non_negative),
    "unit": _valid(check_unit),
    "workplace": _valid_path,
    "conditions": lambda text, _c: text in {c.value for c in Conditions},
    # Only a list as the row reader would store it; any other goes to the row reader.
    "resources": lambda text, _c: _canonical_names(text),
    "start_time": lambda text, _c: _canonical_clock(text),
    "end_time": lambda text, _c: _canonical_clock(text),
}


def _canonical_clock(text: str) -> bool:
    try:
        return clock_text(parse_clock(text)) == text
    except InvalidValue:
        return False


def _clock_refused(columns: dict[str, pa.Array], count: int) -> pa.Array | None:
    """Rows whose clock times the row reader could refuse as a whole (one without the other,
    hours longer than the span): judged once per distinct (hours, start, end)."""
    if "start_time" not in columns and "end_time" not in columns:
        return None
    empty = [""] * count
    cells = zip(
        columns["hours"].to_pylist() if "hours" in columns else empty,
        columns["start_time"].to_pylist() if "start_time" in columns else empty,
        columns["end_time"].to_pylist() if "end_time" in columns else empty,
        strict=True,
    )
    judged: dict[tuple[str, str, str], bool] = {}
    found = [judged.setdefault(c, _clock_fits(*c)) is False for c in cells]
    return pa.array(found, pa.bool_())


def _clock_fits(hours: str, start: str, end: str) -> bool:
    if not start and not end:
        return True
    if not (start and end and _canonical_clock(start) and _canonical_clock(end)):
        return False
    try:
        worked = Fraction(Decimal(hours))
    except (ArithmeticError, ValueError):
        return True  # the hours check refuses the row by itself
    return worked <= Fraction(span(parse_clock(start), parse_clock(end)), 60)


def _canonical_names(text: str) -> bool:
    parts = text.split(";")
    return all(p and p == p.strip() for p in parts) and len(set(parts)) == len(parts)


# Python's str.isspace() characters, written out: finding them among every code point took
# a third of a second wherever this module loads (a test checks the list).
_ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_WIDE_SPACES = (
    "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_OTHER_SPACES = "".join(f"\\x{{{ord(c):x}}}" for c in _WIDE_SPACES)
# After trimming ASCII whitespace a cell equals Python's strip() unless it still starts or ends
# with other whitespace; such rows go to the row reader.
_ODD_ENDS = f"^[{_OTHER_SPACES}]|[{_OTHER_SPACES}]$"


def screen(
    kind: RecordKind, stream: TableStream, start: int, raw: list[list[str]]
) -> tuple[pa.Table, Rows]:
    """Split a chunk of raw rows into rows valid as written (a table of text, blank rows left
    out) and rows, trimmed and numbered as the row reader gives them, to parse one by one."""
    fmt = FORMATS[kind.file]
    width = len(stream.header)
    count = len(raw)
    longer = [i for i, r in enumerate(raw) if len(r) > width]
    filled = {i for i in longer if any(c.strip() for c in raw[i][width:])}
    # A short row is refused as written (parse_table): the row parser says how many cells.
    odd = filled | {i for i, r in enumerate(raw) if len(r) < width}
    flagged = pa.array([i in odd for i in range(count)], pa.bool_()) if odd else None
    blank = None
    columns: dict[str, pa.Array] = {"row": pa.array(range(start, start + count), pa.int64())}
    for index, name in enumerate(stream.header):
        cells = pa.array([r[index] if index < len(r) else "" for r in raw], pa.string())
        values = pc.utf8_trim(cells, _ASCII_SPACES)
        columns[name] = values
        bad = pc.or_(
            pc.match_substring_regex(values, _CONTROL), pc.match_substring_regex(values, _ODD_ENDS)
        )
        if name in fmt.required:
            bad = pc.or_(bad, pc.equal(values, ""))
        limit = getattr(kind.table.c[name].type, "length", None)
        if limit:
            bad = pc.or_(bad, pc.greater(pc.utf8_length(values), limit))
        check = CHECKS.get(name)
        if check is not None:
            refused = [v for v in pc.unique(values).to_pylist() if v and not check(v, name)]
            bad = pc.or_(bad, pc.is_in(values, pa.array(refused, pa.string())))
        flagged = bad if flagged is None else pc.or_(flagged, bad)
        empty = pc.equal(values, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    assert flagged is not None and blank is not None, "a header has columns"
    clock = _clock_refused(columns, count)
    if clock is not None:
        flagged = pc.or_(flagged, clock)
    if filled:
        blank = pc.and_(blank, pc.invert(pa.array([i in filled for i in range(count)])))
    empty_column = pa.array([""] * count, pa.string())
    table = pa.table(
        {name: columns.get(name, empty_column) for name in ["row", *payload_columns(kind)]}
    )
    if "conditions" in table.column_names:
        conditions = table["conditions"]
        standard = pc.if_else(pc.equal(conditions, ""), Conditions.STANDARD.value, conditions)
        index = table.schema.get_field_index("conditions")
        table = table.set_column(index, "conditions", standard)
    marked = [
        (start + i, cells)
        for i in pc.indices_nonzero(flagged).to_pylist()
        if (cells := _trimmed(raw[i], width))
    ]
    keep = pc.and_(pc.invert(flagged), pc.invert(blank))
    return table.filter(keep), marked


def _trimmed(row: list[str], width: int) -> list[str] | None:
    """The row reader's cells of a row, or None for a row it skips as blank."""
    return next((cells for _, cells in data_rows(iter([row]), width, 0)), None)


def parse_marked(
    kind: RecordKind, stream: TableStream, rows: Rows
) -> tuple[pa.Table, list[Problem], list[int]]:
    """The row parser's verdict on marked rows: valid ones as text, problems, refused rows."""
    from stakhanov.services.importing import too_long

    table = RawTable(stream.name, stream.header, rows, stream.display, stream.header_row)
    records, problems = parse_table(table, FORMATS[kind.file])
    problems += too_long(table, kind)
    valid = {r.origin.row for r in records if r.origin}
    refused = [n for n, _ in rows if n not in valid]
    return as_text(kind, records), problems, refused


def parse_chunk(
    kind: RecordKind, stream: TableStream, start: int, raw: list[list[str]]
) -> tuple[pa.Table, list[Problem], dict[tuple[str, str], Any]]:
    """A chunk of a small kind's file through the row parser, as the row reader numbers it:
    its valid rows as text, its problems, and the ids of refused rows (workers)."""
    from stakhanov.services.importing import _refused_ids, too_long

    rows = list(data_rows(iter(raw), len(stream.header), start))
    table = RawTable(stream.name, stream.header, rows, stream.display, stream.header_row)
    records, problems = parse_table(table, FORMATS[kind.file])
    problems += too_long(table, kind)
    refused = _refused_ids(table, kind, records) if kind is WORKERS else {}
    return as_text(kind, records), problems, refused


def as_text(kind: RecordKind, records: list[Record]) -> pa.Table:
    names = payload_columns(kind)
    data: dict[str, list[Any]] = {"row": [r.origin.row if r.origin else 0 for r in records]}
    for name in names:
        data[name] = [_text(_stored(kind, r, name)) for r in records]
    schema = pa.schema([("row", pa.int64())] + [(n, pa.string()) for n in names])
    return pa.table(data, schema=schema)


def _stored(kind: RecordKind, record: Record, name: str) -> object:
    """A record's value for a column as the ledger stores it: hours of thirds (20min) as their
    rounded decimal in `hours` and the fraction in `hours_exact` (store/records.py)."""
    if name.endswith(EXACT):
        value = getattr(record, name.removesuffix(EXACT))
        return None if value is None else stored_hours(value)[1]
    value = getattr(record, name)
    if value is not None and f"{name}{EXACT}" in kind.table.c:
        return stored_hours(value)[0]
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):  # a list of names, as the ledger stores it
        return ";".join(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
