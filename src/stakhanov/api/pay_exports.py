"""Exports of a closed period for the accountant: slip lines, journal and bank list as CSV.

They are organisation-wide accounting documents, so they need the right to close periods over
the whole organisation, as `payroll export` does on the command line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse

from stakhanov.api.errors import FieldError
from stakhanov.api.params import Bounded
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import engine_of, requires
from stakhanov.domain.access import Permission
from stakhanov.domain.journal import Accounts
from stakhanov.domain.numbers import jsonable
from stakhanov.domain.periods import Period
from stakhanov.domain.spreadsheets import safe_cell
from stakhanov.services import fair_rate, pay_exports
from stakhanov.services.accounts import Session

router = APIRouter(route_class=PolicyRoute, tags=["pay"])
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The export as CSV (docs/exports.md)."},
    404: {"description": "The period is not closed."},
}
MAX_REFERENCES = 4 * 1024 * 1024
Money = Annotated[str | None, Query(max_length=40, pattern=r"^\d{1,12}(\.\d{1,6})?$")]
Accountant = Annotated[Session, requires(Permission.CLOSE_PERIODS, organisation_wide=True)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return safe_cell(value.isoformat() if hasattr(value, "isoformat") else str(value))


def _csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _download(body: str | Iterator[str], name: str, chosen: Period) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{name}-{chosen.start}-{chosen.end}.csv"'
    }
    if isinstance(body, str):
        return Response(body, media_type="text/csv", headers=headers)
    return StreamingResponse(body, media_type="text/csv", headers=headers)


@router.get("/payroll/exports/lines.csv", response_class=Response, responses=CSV)
def lines_csv(session: Accountant, chosen: Bounded, request: Request) -> Response:
    """Every line of the closed period's slips with its code, streamed."""
    engine = engine_of(request)
    with pay_exports.reading(engine, chosen):  # refused here, before the response starts
        pass

    def body() -> Iterator[str]:
        with pay_exports.reading(engine, chosen) as reading:
            yield from _csv(reading.lines(), pay_exports.LINE_COLUMNS)

    return _download(body(), "lines", chosen)


@router.get("/payroll/exports/journal.csv", response_class=Response, responses=CSV)
def journal_csv(session: Accountant, chosen: Bounded, request: Request) -> Response:
    """The accounting journal of the closed period, with the default accounts."""
    with pay_exports.reading(engine_of(request), chosen) as reading:
        rows = reading.journal_rows(reading.journal(Accounts()))
    return _download("".join(_csv(rows, pay_exports.JOURNAL_COLUMNS)), "journal", chosen)


@router.post("/payroll/exports/bank.csv", response_class=Response, responses=CSV)
async def bank_csv(
    session: Accountant,
    chosen: Bounded,
    request: Request,
    references: Annotated[UploadFile, File(description="A CSV file worker_id,bank_reference.")],
) -> Response:
    """The bank-transfer list of the closed period; refused when a paid worker has no
    reference in the uploaded file."""
    raw = await references.read(MAX_REFERENCES + 1)
    if len(raw) > MAX_REFERENCES:
        raise FieldError(["body", "references"], "the file is larger than 4 MiB", 413)
    name = references.filename or "references.csv"
    found = pay_exports.references_from_text(raw.decode("utf-8-sig", errors="replace"), name)
    with pay_exports.reading(engine_of(request), chosen) as reading:
        rows = reading.bank_rows(reading.bank(found, name))
    return _download("".join(_csv(rows, pay_exports.BANK_COLUMNS)), "bank", chosen)


@router.get("/payroll/fair-rate", responses={403: {}, 404: {}, 422: {}})
def fair_rate_check(
    session: Accountant,
    chosen: Bounded,
    request: Request,
    operation: Annotated[str, Query(min_length=1, max_length=200)],
    minimum_wage: Money = None,
    rate: Money = None,
    within: Annotated[str | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """The UK fair piece rate of an operation and the rates paid against it, as `fair-rate`."""
    found = fair_rate.check(
        engine_of(request),
        operation,
        chosen,
        Decimal(minimum_wage) if minimum_wage else None,
        within,
        Decimal(rate) if rate else None,
    )
    result = jsonable(found.as_dict())
    assert isinstance(result, dict)
    return result
