"""The ledger's pages: the shifts (searched, sorted, paged, exported, voided), who wrote what
(the batches), the hash chain, the historical claims and the import form."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.periods import Period
from stakhanov.i18n import N_, _, pgettext
from stakhanov.services import corrections, dashboard, history, lists, signoffs
from stakhanov.services.accounts import Session
from stakhanov.services.chain_checks import ChainChecks
from stakhanov.web import charts
from stakhanov.web.auth import PageError, page, posted
from stakhanov.web.exports import csv_file, like, offset, order, page_of, xlsx_file
from stakhanov.web.listing import Listing, Paged, listing, paged
from stakhanov.web.pages import PeriodText, _in_scope, _period, render

router = APIRouter(include_in_schema=False)
Unit = Annotated[str | None, Query(max_length=500)]
Shifts = Annotated[Session, page(Permission.VIEW_SHIFTS)]
Batches = Annotated[Session, page(Permission.VIEW_BATCHES, organisation_wide=True)]
SHIFT_SORTS = ("date", "shift", "workplace", "hours")
SHIFTS_PER_PAGE = 50
EXPORT_CHUNK = 500
"""Shifts worked out at a time for an export: the whole period is never held at once."""


Auditors = Annotated[Session, page(Permission.VIEW_AUDIT, organisation_wide=True)]
CHAIN_WAIT_S = 5.0
"""How long the chain page waits for a check before it shows the progress and reloads."""


def _checks(request: Request) -> ChainChecks:
    checks: ChainChecks = request.app.state.chain_checks
    return checks


@router.get("/audit/chain")
def chain_page(request: Request, session: Auditors) -> HTMLResponse:
    """The hash chain recomputed in the background: intact, or every row changed behind it."""
    check = _checks(request).check(engine_of(request))
    check.wait(CHAIN_WAIT_S)
    return render(request, "chain.html", session, title=N_("Ledger chain"), check=check)


@router.post("/audit/chain")
async def chain_again(request: Request, session: Auditors) -> Response:
    await posted(request, session)
    _checks(request).check(engine_of(request), again=True)
    return RedirectResponse("/audit/chain", status_code=303)


def _shift_list(
    request: Request, session: Session, period: str | None, unit: str | None
) -> tuple[Period, str, Listing, list[str] | None]:
    if unit:
        _in_scope(session, Permission.VIEW_SHIFTS, unit)
    chosen, text = _period(request, period)
    return (
        chosen,
        text,
        listing(request, SHIFT_SORTS, per_page=SHIFTS_PER_PAGE),
        session.account.scopes(Permission.VIEW_SHIFTS),
    )


@router.get("/shifts")
def shifts_page(
    request: Request, session: Shifts, period: PeriodText = None, unit: Unit = None
) -> HTMLResponse:
    chosen, text, asked, subtrees = _shift_list(request, session, period, unit)
    engine = engine_of(request)
    search = like(asked.q) if asked.q else None
    total = dashboard.shift_count(engine, chosen, subtrees, unit or None, search)
    shown = page_of(asked, total)
    sort, descending = order(shown, "date", descending=True)  # newest first
    found = dashboard.shifts(
        engine,
        chosen,
        subtrees,
        unit or None,
        limit=shown.per_page,
        offset=offset(shown),
        search=search,
        sort=sort,
        descending=descending,
    )
    return render(
        request,
        "shifts.html",
        session,
        title=N_("Shifts"),
        period=text,
        unit=unit or "",
        shifts=found,
        listed=Paged(found, total, shown),
        may_enter=session.account.scopes(Permission.ENTER_SHIFTS) != [],
        signed=signoffs.states(engine, found),
    )


SHIFT_COLUMNS = (
    "shift_id",
    "date",
    "workplace",
    "shift_hours",
    "worker_id",
    "name",
    "operation",
    "hours",
    "credited",
    "stated_percent",
    "fair_percent",
)


def _shift_rows(request: Request, session: Session, period: str | None, unit: str | None) -> Any:
    """One row per crew member of every shift the search finds, read a chunk at a time."""
    chosen, _shown, asked, subtrees = _shift_list(request, session, period, unit)
    engine = engine_of(request)
    search = like(asked.q) if asked.q else None
    sort, descending = order(asked, "date", descending=True)

    def rows() -> Iterator[list[Any]]:
        start = 0
        while True:
            found = dashboard.shifts(
                engine,
                chosen,
                subtrees,
                unit or None,
                limit=EXPORT_CHUNK,
                offset=start,
                search=search,
                sort=sort,
                descending=descending,
            )
            for view in found:
                s = view.shift
                for c in view.crew or [{}]:
                    yield [
                        s.shift_id,
                        s.date.isoformat(),
                        s.workplace,
                        s.hours,
                        *(c.get(k) for k in ("worker_id", "name", "operation", "hours")),
                        *(c.get(k) for k in ("credited", "percent", "fair_percent")),
                    ]
            if len(found) < EXPORT_CHUNK:
                return
            start += EXPORT_CHUNK

    return rows()


@router.get("/shifts.csv")
def shifts_csv(
    request: Request, session: Shifts, period: PeriodText = None, unit: Unit = None
) -> Response:
    return csv_file("shifts", SHIFT_COLUMNS, _shift_rows(request, session, period, unit))


@router.get("/shifts.xlsx")
def shifts_xlsx(
    request: Request, session: Shifts, period: PeriodText = None, unit: Unit = None
) -> Response:
    return xlsx_file("shifts", SHIFT_COLUMNS, _shift_rows(request, session, period, unit))


@router.post("/shifts/void")
async def void_shift(
    request: Request, session: Annotated[Session, page(Permission.ENTER_SHIFTS)]
) -> Response:
    form = await posted(request, session)
    shift_id, reason = str(form.get("shift_id", "")), str(form.get("reason", ""))
    engine = engine_of(request)
    found = dashboard.shift(engine, shift_id)
    if found is None:
        raise PageError(404, _("There is no shift %(id)s.") % {"id": shift_id})
    _in_scope(session, Permission.ENTER_SHIFTS, found.workplace)
    await run_in_threadpool(
        corrections.void_shift, engine, shift_id, reason, session.account.username
    )
    return RedirectResponse(
        f"/shifts?period={found.date.isoformat()}..{found.date.isoformat()}", 303
    )


HISTORY_SORTS = ("date", "person", "percent")
HISTORY_COLUMNS = (
    "person",
    "date",
    "operation",
    "output",
    "unit",
    "norm",
    "shift_hours",
    "percent",
    "source",
    "note",
)


def _claims(asked: Listing, per_page: int | None = None) -> Paged[dict[str, Any]]:
    """The historical claims (a short file shipped with the program, not the ledger) the search
    finds, in the order asked."""
    keys = {k: (lambda c, k=k: c[k]) for k in HISTORY_SORTS}
    chosen = asked if per_page is None else replace(asked, per_page=per_page, page=1)
    return paged(history.claims(), chosen, keys, _claim_text)


def _claim_text(claim: dict[str, Any]) -> str:
    return " ".join(str(claim.get(k) or "") for k in HISTORY_COLUMNS)


@router.get("/history")
def history_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_HISTORY)]
) -> HTMLResponse:
    claims = _claims(listing(request, HISTORY_SORTS))
    stated = [c for c in claims.rows if c["percent"] is not None]
    chart = (
        charts.bars(
            _("Historical claims: output over the stated norm"),
            [
                _("%(person)s %(date)s (norm %(norm)s)")
                % {"person": c["person"], "date": c["date"] or "", "norm": c["norm"]}
                for c in stated
            ],
            [charts.Series(N_("claimed"), [c["percent"] for c in stated])],
        )
        if stated
        else None
    )
    return render(
        request,
        "history.html",
        session,
        title=N_("History"),
        listed=claims,
        chart=chart,
    )


def _claim_rows(request: Request) -> list[list[Any]]:
    claims = _claims(listing(request, HISTORY_SORTS), per_page=1_000_000)
    return [[c.get(k) for k in HISTORY_COLUMNS] for c in claims.rows]


@router.get("/history.csv")
def history_csv(
    request: Request, session: Annotated[Session, page(Permission.VIEW_HISTORY)]
) -> Response:
    return csv_file("history", HISTORY_COLUMNS, _claim_rows(request))


@router.get("/history.xlsx")
def history_xlsx(
    request: Request, session: Annotated[Session, page(Permission.VIEW_HISTORY)]
) -> Response:
    return xlsx_file("history", HISTORY_COLUMNS, _claim_rows(request))


BATCH_COLUMNS = ("batch_id", "kind", "source", "author", "reason", "written_at")


def batch_kind(code: str) -> str:
    """A write's kind in the reader's words; the code stays in the search and the exports."""
    labels = {
        "import": pgettext("batch kind", "import"),
        "correction": pgettext("batch kind", "correction"),
        "void": pgettext("batch kind", "void"),
        "revision": pgettext("batch kind", "revision"),
        "payroll": pgettext("batch kind", "payroll"),
        "scales": pgettext("batch kind", "scales"),
    }
    return labels.get(code, code)


@router.get("/batches")
def batches_page(request: Request, session: Batches) -> HTMLResponse:
    asked = listing(request, lists.BATCH_SORTS)
    engine = engine_of(request)
    search = like(asked.q) if asked.q else None
    total = lists.batch_count(engine, search)
    shown = page_of(asked, total)
    sort, descending = order(shown, "batch", descending=True)  # the newest first
    found = lists.batches(
        engine, search, sort, descending, limit=shown.per_page, offset=offset(shown)
    )
    listed = Paged(found, total, shown)
    return render(
        request,
        "batches.html",
        session,
        title=N_("Ledger writes"),
        listed=listed,
        batch_kind=batch_kind,
    )


def _batch_rows(request: Request) -> Iterator[list[Any]]:
    asked = listing(request, lists.BATCH_SORTS)
    engine = engine_of(request)
    search = like(asked.q) if asked.q else None
    sort, descending = order(asked, "batch", descending=True)
    start = 0
    while True:
        found = lists.batches(engine, search, sort, descending, limit=EXPORT_CHUNK, offset=start)
        for b in found:
            yield [b[c] if c != "written_at" else b[c].isoformat() for c in BATCH_COLUMNS]
        if len(found) < EXPORT_CHUNK:
            return
        start += EXPORT_CHUNK


@router.get("/batches.csv")
def batches_csv(request: Request, session: Batches) -> Response:
    return csv_file("batches", BATCH_COLUMNS, _batch_rows(request))


@router.get("/batches.xlsx")
def batches_xlsx(request: Request, session: Batches) -> Response:
    return xlsx_file("batches", BATCH_COLUMNS, _batch_rows(request))


@router.get("/import")
def import_page(
    request: Request,
    session: Annotated[
        Session,
        page(
            Permission.ENTER_SHIFTS,
            Permission.MANAGE_NORMS,
            Permission.MANAGE_WORKERS,
            Permission.MANAGE_PLANS,
        ),
    ],
) -> HTMLResponse:
    return render(request, "import.html", session, title=N_("Import"))
