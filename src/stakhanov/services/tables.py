"""Reading import tables from a directory of CSV files or the sheets of one .xlsx workbook."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from stakhanov.domain.errors import Problem, Source


@dataclass
class RawTable:
    """One file's header and rows as text; row numbers count the header as row 1."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    display: str = ""

    def source(self, row: int) -> Source:
        """Where a row is, as a person finds it: the file, or the workbook and sheet."""
        return Source(self.display or self.name, row)


@dataclass
class RawBatch:
    tables: dict[str, RawTable]
    problems: list[Problem]
    label: str

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())


def read_source(path: Path, known: set[str]) -> RawBatch:
    """Read a directory of CSV files, one CSV file, or an .xlsx workbook."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        return _collect(str(path), [(p.name, lambda p=p: _read_csv(p)) for p in files], known)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, known)
    if path.suffix.lower() == ".csv":
        return _collect(str(path), [(path.name, lambda: _read_csv(path))], known)
    problem = Problem(Source(path.name, 0), "-", "expected a directory of CSV files or an .xlsx")
    return RawBatch({}, [problem], str(path))


def read_csv_as(path: Path, name: str) -> RawBatch:
    """Read one CSV file as the import file `name`, whatever the file itself is called.

    Problems still name the file as the user wrote it (`norms-2025.csv:3:norm: ...`).
    """
    batch = _collect(str(path), [(name, lambda: _read_csv(path))], {name})
    batch.problems = [
        replace(p, source=Source(path.name, p.source.row))
        if p.source and p.source.file == name
        else p
        for p in batch.problems
    ]
    return batch


def _collect(label: str, readers: list[tuple[str, Any]], known: set[str]) -> RawBatch:
    batch = RawBatch({}, [], label)
    for name, read in readers:
        if name not in known:
            batch.problems.append(
                Problem(Source(name, 1), "-", f"unknown file; expected one of {sorted(known)}")
            )
            continue
        try:
            table = read()
        except UnicodeDecodeError as err:
            batch.problems.append(Problem(Source(name, 1), "-", f"not UTF-8 text: {err.reason}"))
            continue
        except csv.Error as err:
            batch.problems.append(Problem(Source(name, 1), "-", f"malformed CSV: {err}"))
            continue
        if table is None:
            batch.problems.append(Problem(Source(name, 1), "-", "empty file: no header row"))
            continue
        batch.tables[name] = table
    return batch


def _read_csv(path: Path) -> RawTable | None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _from_rows(path.name, csv.reader(handle))


def _from_rows(name: str, reader: Iterator[list[str]]) -> RawTable | None:
    header = next(reader, None)
    if header is None:
        return None
    table = RawTable(name, [h.strip() for h in header])
    for number, row in enumerate(reader, start=2):
        if any(cell.strip() for cell in row):
            table.rows.append((number, [cell.strip() for cell in row]))
    return table


_DECIMALS = re.compile(r"^0\.(0+)")


def _cell_text(cell: Any) -> str:
    """A cell as the text a person sees, keeping the decimals its number format shows."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        match = _DECIMALS.match(str(getattr(cell, "number_format", "") or ""))
        # A spreadsheet keeps 15 significant digits: =0.1+0.2 is 0.3, not 0.30000000000000004.
        number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        if match:
            return str(number.quantize(Decimal(1).scaleb(-len(match[1])), ROUND_HALF_UP))
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(number)
    return str(value).strip()


def _read_workbook(path: Path, known: set[str]) -> RawBatch:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        readers = []
        for sheet in workbook.worksheets:
            name = f"{sheet.title.strip()}.csv"

            def read(sheet: Any = sheet, name: str = name) -> RawTable | None:
                rows = sheet.iter_rows()
                header = next(rows, None)
                if header is None:
                    return None
                display = f"{path.name}[{sheet.title.strip()}]"
                table = RawTable(name, [_cell_text(c) for c in header], display=display)
                while table.header and not table.header[-1]:
                    table.header.pop()
                for number, row in enumerate(rows, start=2):
                    cells = [_cell_text(c) for c in row]
                    while len(cells) > len(table.header) and not cells[-1]:
                        cells.pop()
                    if any(cells):
                        table.rows.append((number, cells))
                return table

            readers.append((name, read))
        return _collect(str(path), readers, known)
    finally:
        workbook.close()


def table_from_text(name: str, text: str) -> RawTable:
    """One CSV file sent as text (an upload), read like the file; no header gives no columns."""
    return _from_rows(name, csv.reader(text.splitlines())) or RawTable(name, [])
