"""Reading import tables from a directory of CSV files or the sheets of one .xlsx workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.wording import say


@dataclass
class RawTable:
    """One file's header and rows as text; row numbers count the header as row 1."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    display: str = ""
    header_row: int = 1

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
    """Read a directory of CSV files, one CSV file, or an .xlsx workbook.

    File and sheet names match whatever their case (`Crew.CSV` is crew.csv); problems name the
    file as it is written.
    """
    if path.is_dir():
        files = data_files(path)
        if not files:
            problem = Problem(
                Source(path.name or str(path), 0),
                "-",
                say(
                    "no CSV files in this directory; expected some of %(known)s",
                    known=sorted(known),
                ),
            )
            return RawBatch({}, [problem], str(path))
        return read_files(str(path), files, known)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, known)
    if path.suffix.lower() == ".csv":
        return _collect(str(path), [(path.name.lower(), path.name, lambda: _read_csv(path))], known)
    problem = Problem(
        Source(path.name, 0), "-", say("expected a directory of CSV files or an .xlsx")
    )
    return RawBatch({}, [problem], str(path))


def read_csv_as(path: Path, name: str) -> RawBatch:
    """Read one CSV file as the import file `name`, whatever the file itself is called.

    Problems still name the file as the user wrote it (`norms-2025.csv:3:norm: ...`).
    """
    batch = _collect(str(path), [(name, name, lambda: _read_csv(path, name))], {name})
    batch.problems = [
        replace(p, source=Source(path.name, p.source.row))
        if p.source and p.source.file == name
        else p
        for p in batch.problems
    ]
    return batch


def read_files(label: str, paths: list[Path], known: set[str]) -> RawBatch:
    """Read the given files of a directory whole, as one batch."""
    return _collect(label, [(file_name(p), p.name, _reader(p)) for p in paths], known)


def data_files(folder: Path) -> list[Path]:
    """The import files of a directory: CSV, and Parquet with the same columns as text."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".parquet"))


def file_name(path: Path) -> str:
    """The import file a path stands for: `Crew.CSV` and `crew.parquet` are crew.csv."""
    return f"{path.stem.lower()}.csv" if path.suffix.lower() == ".parquet" else path.name.lower()


def _reader(path: Path) -> Callable[[], RawTable | None]:
    if path.suffix.lower() == ".parquet":
        return lambda: _from_rows(file_name(path), parquet_rows(path), path.name)
    return lambda: _read_csv(path)


def parquet_rows(path: Path, batch_size: int = 65_536) -> Iterator[list[str]]:
    """A Parquet file's rows as CSV cells: its column names first, then each row (null is '').

    Every column holds text, as `generate --parquet` writes it; the numbering of rows is the
    CSV's, so the first data row is row 2.
    """
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError... for a damaged file
        raise UnreadableFile(1, say("cannot be read as Parquet: %(err)s", err=str(err))) from err
    yield list(parquet.schema_arrow.names)
    for batch in parquet.iter_batches(batch_size=batch_size):
        columns = [column.to_pylist() for column in batch.columns]
        for values in zip(*columns, strict=True):
            yield ["" if v is None else str(v) for v in values]


class UnreadableFile(Refused):
    """A file that is not UTF-8 text, with the line where decoding failed."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _collect(label: str, readers: list[tuple[str, str, Any]], known: set[str]) -> RawBatch:
    """Read each (name, display, reader); an empty sheet is no table, an unknown name a problem."""
    batch = RawBatch({}, [], label)
    for name, display, read in readers:
        if name not in known:
            batch.problems.append(
                Problem(
                    Source(display, 1),
                    "-",
                    say("unknown file; expected one of %(known)s", known=sorted(known)),
                )
            )
            continue
        try:
            table = read()
        except UnreadableFile as err:
            batch.problems.append(Problem(Source(display, err.line), "-", err.reasons[0]))
            continue
        except csv.Error as err:
            batch.problems.append(
                Problem(Source(display, 1), "-", say("malformed CSV: %(err)s", err=str(err)))
            )
            continue
        if table is None:
            batch.problems.append(
                Problem(Source(display, 1), "-", say("empty file: no header row"))
            )
            continue
        if name in batch.tables:
            first = batch.tables[name].display or name
            message = say("%(first)s is the same file; keep one of them", first=first)
            batch.problems.append(Problem(Source(display, 1), "-", message))
            continue
        batch.tables[name] = table
    return batch


def _read_csv(path: Path, name: str | None = None) -> RawTable | None:
    data = path.read_bytes()
    # UTF-16 without a byte order mark decodes as UTF-8 with a NUL after each letter.
    wide = data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in data.split(b"\n", 1)[0]
    hint = "; save it as CSV UTF-8" if wide else ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UnreadableFile(
            line, say("not UTF-8 text: %(reason)s%(hint)s", reason=err.reason, hint=hint)
        ) from err
    if wide:
        raise UnreadableFile(
            1, say("not UTF-8 text: its header holds NUL bytes (UTF-16?)%(hint)s", hint=hint)
        )
    table = _from_rows(name or path.name.lower(), csv.reader(io.StringIO(text, newline="")))
    if table is not None and path.name != table.name:
        table.display = path.name
    return table


def _from_rows(name: str, reader: Iterator[list[str]], display: str = "") -> RawTable | None:
    """The first non-blank row is the header. Rows count as the file's lines do, from 1.

    Trailing columns with no name and no value (a spreadsheet's export of formatted but empty
    cells) are no columns at all.
    """
    header_row = 0
    for header_row, header in enumerate(reader, start=1):  # noqa: B007 (its row is kept)
        if any(cell.strip() for cell in header):
            break
    else:
        return None
    table = RawTable(name, header_of(header), header_row=header_row)
    if display and display != name:
        table.display = display
    table.rows.extend(data_rows(reader, len(table.header), header_row + 1))
    return table


def header_of(header: list[str]) -> list[str]:
    names = [h.strip() for h in header]
    while names and not names[-1]:
        names.pop()
    return names


def data_rows(
    reader: Iterator[list[str]], width: int, start: int
) -> Iterator[tuple[int, list[str]]]:
    """Numbered rows with their cells trimmed; blank rows are skipped but still counted."""
    for number, row in enumerate(reader, start=start):
        cells = [cell.strip() for cell in row]
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if any(cells):
            yield number, cells


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
        return format(number, "f")  # plain decimals: 1E-7 is written 0.0000001
    return str(value).strip()


def _read_workbook(path: Path, known: set[str]) -> RawBatch:
    """Each sheet is the file of its name; an empty sheet of another name (Excel's "Sheet1") is
    no file at all."""
    from openpyxl import load_workbook

    from stakhanov.services.archives import workbook_problems

    if refused := workbook_problems(path):
        return RawBatch({}, refused, str(path))
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zip, XML and key errors for a damaged file
        problem = Problem(
            Source(path.name, 0),
            "-",
            say("cannot be read as an .xlsx workbook: %(err)s", err=str(err)),
        )
        return RawBatch({}, [problem], str(path))
    try:
        readers: list[tuple[str, str, Callable[[], RawTable | None]]] = []
        for sheet in workbook.worksheets:
            title = sheet.title.strip()
            name = f"{title.lower()}.csv"
            display = f"{path.name}[{title}]"
            texts = ([_cell_text(c) for c in row] for row in sheet.iter_rows())
            if name not in known:
                if not any(any(cells) for cells in texts):
                    continue
                readers.append((name, display, lambda: None))
                continue

            def read(
                texts: Iterator[list[str]] = texts, name: str = name, display: str = display
            ) -> RawTable | None:
                table = _from_rows(name, texts)
                if table is not None:
                    table.display = display
                    # A sheet's empty trailing cells are empty cells, not a short row.
                    width = len(table.header)
                    table.rows = [(n, c + [""] * (width - len(c))) for n, c in table.rows]
                return table

            readers.append((name, display, read))
        return _collect(str(path), readers, known)
    finally:
        workbook.close()


def table_from_text(name: str, text: str) -> RawTable:
    """One CSV file sent as text (an upload), read like the file; no header gives no columns."""
    return _from_rows(name, csv.reader(text.splitlines())) or RawTable(name, [])
