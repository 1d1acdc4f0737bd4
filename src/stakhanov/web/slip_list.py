"""The slip list's exports: what the search finds in the viewer's scope, every page of it, as
CSV or a workbook, written as the slips are read (decision 0875)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from starlette.background import BackgroundTask

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.slip_lists import SORTS, SlipHead
from stakhanov.domain.spreadsheets import safe_cell
from stakhanov.domain.values import PLAIN_DECIMAL
from stakhanov.services import slip_pages
from stakhanov.services.accounts import Session
from stakhanov.web.listing import listing
from stakhanov.web.pages import PeriodText, _period
from stakhanov.web.payroll_pages import Pay, asked_of, standing

router = APIRouter(include_in_schema=False)
COLUMNS = ("worker_id", "name", "currency", "gross", "deducted", "net", "lines")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1 << 16


def _rows(slips: Iterable[SlipHead]) -> Iterator[list[str]]:
    for s in slips:
        money = (f"{m:f}" for m in (s.gross, s.deducted, s.net))
        yield [s.worker_id, s.name, s.currency, *money, str(s.lines)]


def _chosen(request: Request, session: Session, period: str | None) -> Iterator[list[str]]:
    chosen, _ = _period(request, period)
    closed, _every = standing(request, chosen)
    scope = session.account.scopes(Permission.VIEW_PAY)
    asked = asked_of(listing(request, SORTS))
    return _rows(slip_pages.exported(engine_of(request), chosen, closed, scope, asked))


def _csv(rows: Iterator[list[str]]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        if out.tell() >= CHUNK:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


@router.get("/payroll/slips.csv")
def slips_csv(request: Request, session: Pay, period: PeriodText = None) -> StreamingResponse:
    headers = {"Content-Disposition": 'attachment; filename="slips.csv"'}
    rows = _chosen(request, session, period)
    return StreamingResponse(_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)


def _file(path: str) -> Iterator[bytes]:
    with open(path, "rb") as book:
        while chunk := book.read(CHUNK):
            yield chunk


@router.get("/payroll/slips.xlsx")
def slips_xlsx(request: Request, session: Pay, period: PeriodText = None) -> StreamingResponse:
    # A write-only workbook keeps its rows on disk; the file is sent as it is read, then removed.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("slips")
    sheet.append(list(COLUMNS))
    for row in _chosen(request, session, period):
        # Money and counts as numbers (their exact decimal text), names neutralised.
        sheet.append([Decimal(c) if PLAIN_DECIMAL.fullmatch(c) else safe_cell(c) for c in row])
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    book.save(path)
    headers = {"Content-Disposition": 'attachment; filename="slips.xlsx"'}
    return StreamingResponse(
        _file(path), media_type=XLSX, headers=headers, background=BackgroundTask(os.remove, path)
    )
