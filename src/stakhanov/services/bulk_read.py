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
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stakhanov.domain.errors import InvalidValue, Problem
from stakhanov.domain.periods import parse_date
from stakhanov.domain.quantities import check_unit
from stakhanov.domain.shifts import Conditions
from stakhanov.domain.units import SEPARATOR, parse_path
from stakhanov.domain.values import require_hours, require_non_negative
from stakhanov.services.parsing import FORMATS, check_header, parse_decimal, parse_table
from stakhanov.services.tables import RawTable, data_rows, file_name, header_of, parquet_rows
from stakhanov.store.bulk import payload_columns
from stakhanov.store.records import CREW, OUTPUT, SHIFTS, Record, RecordKind
from stakhanov.store.schema import units

CHUNK_ROWS = 50_000
LARGE = (SHIFTS, OUTPUT, CREW)
Rows = list[tuple[int, list[str]]]


class Unreadable(Exception):
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

    def chunks(self, size: int | None = None) -> Iterator[Rows]:
        size = size or CHUNK_ROWS
        try:
            with _Lines(self.path) as lines:
                rows = data_rows(
                    itertools.islice(lines, self.header_row, None),
                    len(self.header),
                    self.header_row + 1,
                )
                while chunk := list(itertools.islice(rows, size)):
                    yield chunk
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
    except (UnicodeDecodeError, csv.Error):
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


UNIT_NAME_LENGTH: int = units.c.name.type.length  # type: ignore[attr-defined]
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
}


def screen(kind: RecordKind, stream: TableStream, rows: Rows) -> tuple[pa.Table, Rows]:
    """Split a chunk into rows valid as written (a table of text) and rows to parse one by one."""
    fmt = FORMATS[kind.file]
    width = len(stream.header)
    flagged = pa.array([len(cells) > width for _, cells in rows], pa.bool_())
    columns: dict[str, pa.Array] = {"row": pa.array([n for n, _ in rows], pa.int64())}
    for index, name in enumerate(stream.header):
        values = pa.array([c[index] if index < len(c) else "" for _, c in rows], pa.string())
        columns[name] = values
        bad = pc.match_substring_regex(values, _CONTROL)
        if name in fmt.required:
            bad = pc.or_(bad, pc.equal(values, ""))
        limit = getattr(kind.table.c[name].type, "length", None)
        if limit:
            bad = pc.or_(bad, pc.greater(pc.utf8_length(values), limit))
        check = CHECKS.get(name)
        if check is not None:
            refused = [v for v in pc.unique(values).to_pylist() if v and not check(v, name)]
            bad = pc.or_(bad, pc.is_in(values, pa.array(refused, pa.string())))
        flagged = pc.or_(flagged, bad)
    empty = pa.array([""] * len(rows), pa.string())
    table = pa.table({name: columns.get(name, empty) for name in ["row", *payload_columns(kind)]})
    if "conditions" in table.column_names:
        conditions = table["conditions"]
        standard = pc.if_else(pc.equal(conditions, ""), Conditions.STANDARD.value, conditions)
        table = table.set_column(table.schema.get_field_index("conditions"), "conditions", standard)
    marked = [rows[i] for i in pc.indices_nonzero(flagged).to_pylist()]
    return table.filter(pc.invert(flagged)), marked


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


def as_text(kind: RecordKind, records: list[Record]) -> pa.Table:
    names = payload_columns(kind)
    data: dict[str, list[Any]] = {"row": [r.origin.row if r.origin else 0 for r in records]}
    for name in names:
        data[name] = [_text(getattr(r, name)) for r in records]
    schema = pa.schema([("row", pa.int64())] + [(n, pa.string()) for n in names])
    return pa.table(data, schema=schema)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
