"""Entry at the source: ticket and badge sheets to print, the phone's scanning page and its sync.

The foreman prints tickets for the workplaces he enters shifts for. The scanning page decodes
codes in the browser (static/scan.js with the vendored jsQR) and keeps what it scanned in a
queue on the phone until the server has answered for every entry (docs/tickets.md).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import REFUSALS, status_of
from stakhanov.api.hardening import SCANNING_POLICY
from stakhanov.api.security import client_of, csrf_matches, engine_of
from stakhanov.domain.access import Permission
from stakhanov.i18n import N_, gettext_, localized, reasons_of, speaking
from stakhanov.services import dashboard, reports, ticket_sheets, tickets
from stakhanov.services.accounts import Session
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.language import language_of
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)
NAV_LABELS = (N_("Tickets"), N_("Scan tickets"))
"""This area's links in the navigation (web/pages.py NAV), marked for the catalogs."""
Enterer = Annotated[Session, page(Permission.ENTER_SHIFTS)]
Ids = Annotated[str, Query(max_length=7000)]
MAX_SYNC = 200
"""Entries one sync may carry: a phone sends its queue in parts this size."""


def _form(
    request: Request,
    session: Session,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    subtrees = session.account.scopes(Permission.ENTER_SHIFTS)
    return render(
        request,
        "tickets.html",
        session,
        status=status,
        title=N_("Tickets"),
        values=values or {"count": "10"},
        errors=errors or {},
        workplaces=dashboard.unit_paths(engine, subtrees),
        operations=sorted({n.operation for n in reports.norms(engine)}),
    )


@router.get("/tickets")
def tickets_page(request: Request, session: Enterer) -> HTMLResponse:
    return _form(request, session)


@router.post("/tickets")
async def print_tickets(request: Request, session: Enterer) -> Response:
    form = await posted(request, session)
    values = fields(form, "workplace", "operation", "quantity", "unit", "order_id", "count")
    try:
        count = int(values["count"] or "0")
    except ValueError:
        return _form(request, session, 422, values, {"count": N_("give a whole number")})
    try:
        made = await run_in_threadpool(
            tickets.print_tickets,
            engine_of(request),
            session.account.allows,
            session.account.username,
            workplace=values["workplace"],
            operation=values["operation"],
            quantity=values["quantity"],
            unit=values["unit"],
            order_id=values["order_id"],
            count=count,
        )
    except REFUSALS as err:
        field = getattr(err, "field", None) or "count"
        return _form(request, session, status_of(err), values, {field: "; ".join(reasons_of(err))})
    ids = ",".join(t.ticket_id for t in made)
    return RedirectResponse(f"/tickets/sheet?ids={ids}", status_code=303)


def _code(payload: str, what: str) -> Markup:
    """The QR code as SVG, named for a screen reader in the reader's language."""
    label = gettext_("QR code of %(id)s") % {"id": what}
    return Markup(ticket_sheets.svg(payload, label))


def _printed(request: Request, session: Session, ids: str) -> list[Any]:
    wanted = [i for i in ids.split(",") if i.strip()]
    found = tickets.printed(engine_of(request), session.account.allows, wanted)
    if not found:
        raise PageError(
            404, gettext_("No such tickets, or none of a workplace you enter shifts for.")
        )
    return found


@router.get("/tickets/sheet")
def ticket_sheet(request: Request, session: Enterer, ids: Ids) -> HTMLResponse:
    found = _printed(request, session, ids)
    with speaking(language_of(request)):
        cards = [(ticket_sheets.ticket_card(t), _code(t.payload, t.ticket_id)) for t in found]
    return render(
        request,
        "ticket_sheet.html",
        session,
        title=N_("Tickets to print"),
        cards=cards,
        pdf=f"/tickets/sheet.pdf?ids={ids}",
        bare=True,
    )


@router.get("/tickets/sheet.pdf")
def ticket_sheet_pdf(request: Request, session: Enterer, ids: Ids) -> Response:
    found = _printed(request, session, ids)
    body = ticket_sheets.pdf([ticket_sheets.ticket_card(t) for t in found], "tickets")
    headers = {"Content-Disposition": 'inline; filename="tickets.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)


@router.get("/tickets/{ticket_id}.png")
def ticket_png(request: Request, session: Enterer, ticket_id: str) -> Response:
    found = _printed(request, session, ticket_id)
    return Response(ticket_sheets.png(found[0].payload), media_type="image/png")


def _badges(request: Request, session: Session, unit: str) -> list[tuple[Any, str]]:
    if not session.account.allows(Permission.ENTER_SHIFTS, unit):
        raise PageError(403, gettext_("That unit is outside your scope."))
    return tickets.badges(engine_of(request), session.account.allows, unit)


@router.get("/tickets/badges")
def badge_sheet(
    request: Request, session: Enterer, unit: Annotated[str, Query(max_length=500)]
) -> HTMLResponse:
    with speaking(language_of(request)):
        cards = [
            (ticket_sheets.badge_card(b, name), _code(b.payload, b.worker_id))
            for b, name in _badges(request, session, unit)
        ]
    return render(
        request,
        "ticket_sheet.html",
        session,
        title=N_("Badges to print"),
        cards=cards,
        pdf=f"/tickets/badges.pdf?unit={unit}",
        bare=True,
    )


@router.get("/tickets/badges.pdf")
def badge_sheet_pdf(
    request: Request, session: Enterer, unit: Annotated[str, Query(max_length=500)]
) -> Response:
    cards = [ticket_sheets.badge_card(b, n) for b, n in _badges(request, session, unit)]
    headers = {"Content-Disposition": 'inline; filename="badges.pdf"'}
    return Response(
        ticket_sheets.pdf(cards, "badges"), media_type="application/pdf", headers=headers
    )


@router.get("/scan")
def scan_page(request: Request, session: Enterer) -> HTMLResponse:
    """The one page that reads codes with the live camera: it alone is allowed the camera."""
    response = render(
        request, "scan.html", session, title=N_("Scan tickets"), bare=True, today=dt.date.today()
    )
    response.headers["Permissions-Policy"] = SCANNING_POLICY
    return response


@router.post("/scan/sync")
async def scan_sync(request: Request, session: Enterer) -> JSONResponse:
    """The phone's queue: each entry's outcome, keyed by the id the phone gave it."""
    return await _sync(request, session, None)


@router.post("/kiosk/sync")
async def kiosk_sync(
    request: Request, session: Annotated[Session, page(Permission.RUN_KIOSK)]
) -> JSONResponse:
    """The kiosk's entries made without a network, each with its worker's PIN."""
    return await _sync(request, session, client_of(request))


async def _sync(request: Request, session: Session, kiosk_client: str | None) -> JSONResponse:
    language = language_of(request)
    if not csrf_matches(session, request.headers.get("X-CSRF-Token")):
        expired = N_("reload the page: its form has expired")
        answer = {"error": expired, "said": localized(expired, language)}
        return JSONResponse(answer, status_code=403)
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": "the body is not JSON"}, status_code=400)
    entries = body.get("entries") if isinstance(body, dict) else None
    if not isinstance(entries, list) or len(entries) > MAX_SYNC:
        message = f"send {{'entries': [...]}} with at most {MAX_SYNC} entries"
        return JSONResponse({"error": message}, status_code=400)
    chosen = [{k: str(v) for k, v in e.items()} for e in entries if isinstance(e, dict)]
    outcomes = await run_in_threadpool(
        tickets.sync,
        engine_of(request),
        session.account.allows,
        session.account.username,
        chosen,
        kiosk_client,
        language,
    )
    return JSONResponse(
        {
            "outcomes": [
                {
                    "client_id": o.client_id,
                    "status": o.status,
                    "message": o.message,
                    "errors": o.errors,
                    "batch_id": o.batch_id,
                    "said": o.said,  # the message and errors in the kiosk's language
                    "said_errors": o.said_errors,
                }
                for o in outcomes
            ]
        }
    )


SERVICE_WORKER = resources.files("stakhanov.web") / "static" / "offline-sw.js"


@router.get("/offline-sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so that it may keep /scan and /kiosk offline."""
    return Response(
        SERVICE_WORKER.read_text(encoding="utf-8"),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
