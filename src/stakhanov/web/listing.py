"""A long list on a page: searched, sorted and paged on the server (the store reads one page),
each choice kept in the address so that a link or a reload shows the same rows, and the rows
the search finds exported as CSV or as a workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from openpyxl import Workbook

from stakhanov.domain.spreadsheets import safe_cell
from stakhanov.domain.values import PLAIN_DECIMAL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OWN = ("q", "sort", "order", "page")
"""The listing's own parameters; every other one of the address (a period, a unit) is kept."""
MOST_SEARCHED = 100


@dataclass(frozen=True)
class Listing:
    path: str
    kept: tuple[tuple[str, str], ...]
    q: str
    sort: str
    descending: bool
    page: int
    size: int
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def counted(self, total: int) -> Listing:
        """With the number of rows the search finds; a page beyond them is the last one."""
        counted = replace(self, total=total)
        return replace(counted, page=min(self.page, counted.pages))

    def link(self, **changes: str | int | None) -> str:
        own = {"q": self.q, "sort": self.sort, "order": "desc" if self.descending else "asc"}
        own["page"] = str(self.page)
        for key, value in changes.items():
            own[key] = "" if value is None else str(value)
        kept = [(k, v) for k, v in self.kept if k not in changes]
        pairs = kept + [(k, v) for k, v in own.items() if v and (k, v) != ("page", "1")]
        return f"{self.path}?{urlencode(pairs)}" if pairs else self.path

    def sort_link(self, key: str) -> str:
        """Sorted by that column, from the top; the column sorted by now turns around."""
        if key == self.sort:
            return self.link(order="asc" if self.descending else "desc", page=1)
        return self.link(sort=key, order="asc", page=1)

    def export(self, suffix: str) -> str:
        """The address of the export of what the search finds (every page of it)."""
        pairs = [*list(self.kept), ("q", self.q), ("sort", self.sort)]
        pairs.append(("order", "desc" if self.descending else "asc"))
        return f"{self.path}.{suffix}?{urlencode([(k, v) for k, v in pairs if v])}"


def listing(
    request: Request, sorts: Sequence[str], descending: bool = False, size: int = 50
) -> Listing:
    """The listing a page's address asks for; an unknown sort is the first one."""
    params = request.query_params
    sort = params.get("sort", "")
    order = params.get("order")
    try:
        page = max(1, min(int(params.get("page", "1")), 1_000_000))
    except ValueError:
        page = 1
    return Listing(
        path=request.url.path.removesuffix(".csv").removesuffix(".xlsx"),
        kept=tuple((k, v) for k, v in params.multi_items() if k not in OWN and v),
        q=params.get("q", "").strip()[:MOST_SEARCHED],
        sort=sort if sort in sorts else sorts[0],
        descending=(order == "desc") if order in ("asc", "desc") else descending,
        page=page,
        size=size,
    )


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
