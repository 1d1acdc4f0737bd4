"""A long list's rows read a page at a time from the store (web/listing.py says what the reader
asked), and what the search finds exported as CSV or as a workbook, every page of it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from urllib.parse import urlencode

from fastapi.responses import Response
from openpyxl import Workbook

from stakhanov.domain.spreadsheets import safe_cell
from stakhanov.domain.values import PLAIN_DECIMAL
from stakhanov.web.listing import Listing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_of(asked: Listing, total: int) -> Listing:
    """The listing at a page that exists (a page beyond the rows found is the last one), for a
    store that reads the page at `offset(...)`."""
    pages = max(1, -(-total // asked.per_page))
    return replace(asked, page=min(asked.page, pages))


def offset(asked: Listing) -> int:
    return (asked.page - 1) * asked.per_page


def export_link(asked: Listing, suffix: str) -> str:
    """The address of the export of what the search finds (every page), in the same order."""
    names = {asked.name(k) for k in ("page",)}
    params = [(k, v) for k, v in asked.params if k not in names and v]
    return f"{asked.path}.{suffix}" + (f"?{urlencode(params)}" if params else "")


def like(text: str) -> str:
    """A LIKE pattern that finds the text anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def csv_file(name: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(_text(c)) for c in row])
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def xlsx_file(name: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(name)
    sheet.append(list(columns))
    for row in rows:
        # Numbers as numbers (their exact decimal text), every text neutralised.
        texts = [_text(c) for c in row]
        sheet.append([Decimal(t) if PLAIN_DECIMAL.fullmatch(t) else safe_cell(t) for t in texts])
    out = io.BytesIO()
    book.save(out)
    headers = {"Content-Disposition": f'attachment; filename="{name}.xlsx"'}
    return Response(out.getvalue(), media_type=XLSX, headers=headers)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def order(asked: Listing, default: str, descending: bool = False) -> tuple[str, bool]:
    """The column and direction a store sorts by: the one asked, else the list's own order."""
    return (asked.sort, asked.descending) if asked.sort else (default, descending)
