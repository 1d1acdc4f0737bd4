"""The slip list's exports: the period's slips in the viewer's scope as CSV or a workbook."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from openpyxl import Workbook

from stakhanov.domain.access import Permission
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.slip_lists import SORTS, matching, sorted_by
from stakhanov.domain.spreadsheets import safe_cell
from stakhanov.domain.values import PLAIN_DECIMAL
from stakhanov.services.accounts import Session
from stakhanov.web.auth import page
from stakhanov.web.exports import order
from stakhanov.web.listing import listing
from stakhanov.web.pages import PeriodText, _period
from stakhanov.web.payroll_pages import _pay_slips

router = APIRouter(include_in_schema=False)
COLUMNS = ("worker_id", "name", "currency", "gross", "deducted", "net", "lines")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Search = Annotated[str | None, Query(max_length=100)]


def _rows(slips: list[PaySlip]) -> list[list[str]]:
    money = ("gross", "deducted", "net")
    return [
        [s.worker_id, s.name, s.currency, *(f"{getattr(s, m):f}" for m in money), str(len(s.lines))]
        for s in slips
    ]


def _chosen(request: Request, session: Session, period: str | None, q: str | None) -> list[PaySlip]:
    chosen, _ = _period(request, period)
    _, shown = _pay_slips(request, session, chosen)
    return sorted_by(matching(shown, q), *order(listing(request, SORTS), "worker"))


@router.get("/payroll/slips.csv")
def slips_csv(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_PAY)],
    period: PeriodText = None,
    q: Search = None,
) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in _rows(_chosen(request, session, period, q)):
        writer.writerow([safe_cell(c) for c in row])
    headers = {"Content-Disposition": 'attachment; filename="slips.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/payroll/slips.xlsx")
def slips_xlsx(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_PAY)],
    period: PeriodText = None,
    q: Search = None,
) -> Response:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("slips")
    sheet.append(list(COLUMNS))
    for row in _rows(_chosen(request, session, period, q)):
        # Money and counts as numbers (their exact decimal text), names neutralised.
        sheet.append([Decimal(c) if PLAIN_DECIMAL.fullmatch(c) else safe_cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    headers = {"Content-Disposition": 'attachment; filename="slips.xlsx"'}
    return Response(out.getvalue(), media_type=XLSX, headers=headers)
