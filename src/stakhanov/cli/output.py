"""Showing results: a Rich table for people, JSON for scripts, CSV for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import typer
from rich.console import Console, JustifyMethod
from rich.table import Table

from stakhanov.cli.jsonout import plain, write_list
from stakhanov.domain.errors import Problem
from stakhanov.domain.spreadsheets import safe_cell
from stakhanov.domain.values import PLAIN_DECIMAL
from stakhanov.i18n import _, localized, ngettext, problem_line

console = Console()


def fit_width() -> None:
    """Size the tables for this command: COLUMNS when set, the terminal's width, else 160.

    Piped output (scripts, logs) gets a wide table rather than 80 folded columns. Called per
    command, not at import: a process that runs several commands sees each one's environment.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        console.width = int(columns)
    else:
        console.width = None if sys.stdout.isatty() else 160  # type: ignore[assignment]


fit_width()
errors = Console(stderr=True, soft_wrap=True)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | Fraction | float):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(cell(v) for v in value)
    return str(value)


LONG_DECIMALS = 9


def table_cell(value: Any) -> str:
    """A cell for people: a quotient such as 4.666...667 t (7 t x 4 h / 6 h) shows 4.667.

    JSON and CSV keep every digit; a table rounds only values longer than any written input.
    """
    if isinstance(value, bool):  # JSON and CSV keep true/false
        return _("yes") if value else _("no")
    if isinstance(value, Decimal) and value.is_finite():
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -LONG_DECIMALS and value.adjusted() < 20:
            return plain(value.quantize(Decimal("0.001"), ROUND_HALF_UP))
    return cell(value)


def write_csv(path: Path, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Write rows for a spreadsheet, one at a time (a stream will do); a path that cannot be
    written is a usage error (exit 2)."""
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([safe_cell(c) for c in columns])
            for row in rows:
                writer.writerow([safe_cell(cell(row.get(c))) for c in columns])
    except OSError as err:
        errors.print(f"--csv: cannot write {path}: {err.strerror or err}", markup=False)
        raise typer.Exit(2) from err


def write_xlsx(path: Path, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Write rows as a workbook of one sheet: numbers as numbers (their exact decimal text in the
    file), everything else as text, neutralised as `write_csv` neutralises it."""
    try:
        handle = path.open("wb")  # first: a path that cannot be written starts no workbook
    except OSError as err:
        errors.print(f"--xlsx: cannot write {path}: {err.strerror or err}", markup=False)
        raise typer.Exit(2) from err
    with handle:
        from openpyxl import Workbook  # only a command asked for a workbook pays its import

        book = Workbook(write_only=True)
        sheet = book.create_sheet("rows")
        sheet.append([safe_cell(c) for c in columns])
        for row in rows:
            sheet.append([_xlsx_cell(cell(row.get(c))) for c in columns])
        book.save(handle)


def _xlsx_cell(text: str) -> Decimal | str:
    return Decimal(text) if PLAIN_DECIMAL.fullmatch(text) else safe_cell(text)


def write_exports(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    csv_path: Path | None,
    xlsx_path: Path | None,
) -> None:
    """The rows as CSV and/or a workbook, where asked."""
    if csv_path is not None:
        write_csv(csv_path, rows, columns)
    if xlsx_path is not None:
        write_xlsx(xlsx_path, rows, columns)


def emit(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    as_json: bool,
    csv_path: Path | None,
    xlsx_path: Path | None = None,
    columns: Sequence[str] | None = None,
    right: Sequence[str] = (),
) -> None:
    """Print rows as JSON or a table, and also write CSV and a workbook when asked."""
    shown = list(columns or (rows[0].keys() if rows else []))
    write_exports(rows, list(rows[0].keys()) if rows else shown, csv_path, xlsx_path)
    if as_json:
        write_list(rows, sys.stdout)
        return
    if not rows:
        console.print("[dim]" + _("%(title)s: nothing found") % {"title": title} + "[/dim]")
        return
    table = Table(title=title, header_style="bold", title_justify="left")
    for column in shown:
        justify: JustifyMethod = "right" if column in right else "left"
        table.add_column(_(column.replace("_", " ")), justify=justify, overflow="fold")
    for row in rows:
        table.add_row(*(table_cell(row.get(c)) for c in shown))
    console.print(table)
    for path in (csv_path, xlsx_path):
        if path is not None:
            console.print(
                "[dim]" + _("written to %(path)s") % {"path": path} + "[/dim]", soft_wrap=True
            )


def rejected(problems: Sequence[Problem | str]) -> typer.Exit:
    """Print every problem as `file:row:column: message` on stderr; the exit for invalid data."""
    for problem in problems:
        line = problem_line(problem) if isinstance(problem, Problem) else localized(problem)
        errors.print(line, markup=False, highlight=False, soft_wrap=True)
    count = len(problems)
    summary = ngettext(
        "%(count)d problem; nothing was written", "%(count)d problems; nothing was written", count
    )
    errors.print(summary % {"count": count}, style="red")
    return typer.Exit(1)
