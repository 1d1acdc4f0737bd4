"""The kiosk, where a worker without an account records his part of a shift by worker number
and PIN, and the page where a foreman sets those PINs (a searched, paged list of his workers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import REFUSALS, status_of
from stakhanov.api.security import client_of, engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period
from stakhanov.i18n import N_, _
from stakhanov.services import accounts, dashboard, entry_tokens, lists
from stakhanov.services.accounts import Session
from stakhanov.services.entry import ShiftForm, enter
from stakhanov.web.auth import fields, page, posted
from stakhanov.web.exports import csv_file, like, offset, order, page_of, xlsx_file
from stakhanov.web.listing import Listing, Paged, listing
from stakhanov.web.pages import _field_errors, render
from stakhanov.web.session_pages import refusal_text

router = APIRouter(include_in_schema=False)
Kiosk = Annotated[Session, page(Permission.RUN_KIOSK)]
Pins = Annotated[Session, page(Permission.SET_PINS)]
ASK_THE_FOREMAN = N_("ask the foreman to correct the shift")
WORKERS_PER_PAGE = 50
PIN_COLUMNS = ("worker_id", "name", "unit", "pin_set_at")


@router.get("/kiosk")
def kiosk_page(request: Request, session: Kiosk) -> HTMLResponse:
    return _kiosk(request, session)


def _kiosk(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    token: tuple[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    subtrees = session.account.scopes(Permission.RUN_KIOSK)
    latest = dashboard.latest_date(engine) or dt.date.today()
    recent = Period(latest - dt.timedelta(days=6), latest)
    return render(
        request,
        "kiosk.html",
        session,
        status=status,
        title=N_("Kiosk"),
        bare=True,  # a terminal at the workplace: no way into the foreman's other pages
        shifts=dashboard.shifts(engine, recent, subtrees, limit=60),
        message=message,
        error=error,
        errors=errors or {},
        values=values or {},
        token=token,  # (worker, entry token): kept by kiosk.js for entries made offline
    )


@router.post("/kiosk")
async def kiosk_entry(request: Request, session: Kiosk) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "worker_id", "shift_id", "operation", "hours")
    engine = engine_of(request)
    try:
        ok = await run_in_threadpool(
            accounts.check_pin,
            engine,
            values["worker_id"],
            str(form.get("pin", "")),
            client_of(request),
        )
    except accounts.TooManyAttempts as err:
        return _kiosk(request, session, status_of(err), error=refusal_text(err), values=values)
    if not ok:
        error = _("Wrong worker number or PIN.")
        return _kiosk(request, session, 401, error=error, values=values)
    batch = ShiftForm(None, crew=[values]).batch(f"kiosk: {values['worker_id']}")
    author = f"{values['worker_id']} by PIN at {session.account.username}'s kiosk"
    try:
        await run_in_threadpool(enter, engine, batch, session.account.allows, author=author)
    except REFUSALS as err:
        told = _field_errors(err.problems, ASK_THE_FOREMAN, to_the_end=True)
        errors = {k.rsplit(".", 1)[-1]: v for k, v in told.items()}
        return _kiosk(request, session, 422, errors=errors, values=values)
    message = _("Thank you. %(worker)s recorded on shift %(shift)s: %(work)s, %(hours)s h.") % {
        "worker": values["worker_id"],
        "shift": values["shift_id"],
        "work": values["operation"],
        "hours": values["hours"],
    }
    token = await run_in_threadpool(
        entry_tokens.issue_now, engine, values["worker_id"], session.account.username
    )
    return _kiosk(request, session, 201, message=message, token=(values["worker_id"], token))


def _pin_list(request: Request, session: Session) -> tuple[Listing, Any, str | None]:
    subtrees = session.account.scopes(Permission.SET_PINS)
    asked = listing(request, lists.WORKER_SORTS, per_page=WORKERS_PER_PAGE)
    return asked, subtrees, like(asked.q) if asked.q else None


@router.get("/pins")
def pins_page(request: Request, session: Pins) -> HTMLResponse:
    return _pins(request, session)


def _pins(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    asked, subtrees, search = _pin_list(request, session)
    engine = engine_of(request)
    total = lists.worker_count(engine, subtrees, search)
    shown = page_of(asked, total)
    sort, descending = order(shown, "worker")
    found = lists.workers(engine, subtrees, search, sort, descending, shown.per_page, offset(shown))
    return render(
        request,
        "pins.html",
        session,
        status=status,
        title=N_("Kiosk PINs"),
        listed=Paged(found, total, shown),
        chosen=request.query_params.get("worker_id", ""),
        message=message,
        errors=errors or {},
    )


def _pin_rows(request: Request, session: Session) -> list[list[Any]]:
    asked, subtrees, search = _pin_list(request, session)
    engine = engine_of(request)
    total = lists.worker_count(engine, subtrees, search)
    sort, descending = order(asked, "worker")
    found = lists.workers(engine, subtrees, search, sort, descending, total, 0)
    return [[w[c] for c in PIN_COLUMNS] for w in found]


@router.get("/pins.csv")
def pins_csv(request: Request, session: Pins) -> Response:
    return csv_file("pins", PIN_COLUMNS, _pin_rows(request, session))


@router.get("/pins.xlsx")
def pins_xlsx(request: Request, session: Pins) -> Response:
    return xlsx_file("pins", PIN_COLUMNS, _pin_rows(request, session))


@router.post("/pins")
async def set_pin(request: Request, session: Pins) -> HTMLResponse:
    form = await posted(request, session)
    worker_id, pin = str(form.get("worker_id", "")).strip(), str(form.get("pin", ""))
    engine = engine_of(request)
    found = dashboard.worker(engine, worker_id)
    if found is None:
        return _pins(request, session, 422, errors={"worker_id": _("no such worker")})
    if not session.account.allows(Permission.SET_PINS, found.unit):
        return _pins(request, session, 403, errors={"worker_id": _("outside your scope")})
    try:
        await run_in_threadpool(
            accounts.set_pin, engine, worker_id, pin, author=session.account.username
        )
    except InvalidValue as err:
        return _pins(request, session, 422, errors={err.field: _(err.reason)})
    message = _("PIN set for %(name)s (%(id)s).") % {"name": found.name, "id": worker_id}
    return _pins(request, session, message=message)
