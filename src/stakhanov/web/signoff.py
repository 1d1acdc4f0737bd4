"""Sign-off of the day's counts: a worker confirms or disputes his credits on each shift of a
day, on his own page (/my-day) or at the kiosk by PIN (/kiosk/day). Decision 0845."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import status_of
from stakhanov.api.security import client_of, engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import parse_date
from stakhanov.domain.signoffs import Verdict
from stakhanov.i18n import _, localized, said
from stakhanov.services import accounts, dashboard, signoffs
from stakhanov.services.accounts import Session
from stakhanov.web.auth import PageError, fields, own_worker_id, page, posted
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)
DayText = Annotated[str | None, Query(max_length=10)]
MOST_SHIFTS = 50


def _on(text: str | None, engine: Any, worker_id: str | None) -> dt.date:
    if text:
        try:
            return parse_date(text, "day")
        except InvalidValue as err:
            raise PageError(
                422, _("Day '%(day)s' %(reason)s.") % {"day": text, "reason": localized(err.reason)}
            ) from err
    return dashboard.latest_date(engine, worker_id) or dt.date.today()


def _choices(form: Any) -> dict[str, tuple[Verdict, str | None]]:
    """The shifts the worker chose to confirm or dispute (`shift.0`, `verdict.0`, `reason.0`)."""
    chosen: dict[str, tuple[Verdict, str | None]] = {}
    for i in range(MOST_SHIFTS):
        shift_id = str(form.get(f"shift.{i}", "")).strip()
        verdict = str(form.get(f"verdict.{i}", "")).strip()
        if not shift_id:
            break
        if verdict in {v.value for v in Verdict}:
            chosen[shift_id] = (Verdict(verdict), str(form.get(f"reason.{i}", "")).strip())
    return chosen


def _day_page(
    request: Request,
    session: Session,
    worker_id: str | None,
    on: dt.date | None,
    *,
    kiosk: bool = False,
    status: int = 200,
    message: str | None = None,
    error: str | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    found = signoffs.day(engine, worker_id, on) if worker_id and on else []
    return render(
        request,
        "day.html",
        session,
        status=status,
        title=_("Sign off the day"),
        bare=kiosk,
        kiosk=kiosk,
        worker_id=worker_id or "",
        day=on.isoformat() if on else "",
        shifts=found,
        message=message,
        error=error,
        errors=errors or {},
    )


async def _sign(
    request: Request, session: Session, worker_id: str, on: dt.date, form: Any, kiosk: bool
) -> tuple[int, str | None, dict[str, str]]:
    """Sign what the form chose; (status, message, errors by field)."""
    chosen = _choices(form)
    if not chosen:
        return 422, None, {"verdict": _("choose confirm or dispute for at least one shift")}
    by = session.account.username
    if kiosk:
        by = f"{worker_id} by PIN at {session.account.username}'s kiosk"
    try:
        signed = await run_in_threadpool(
            signoffs.sign_day, engine_of(request), worker_id, on, chosen, by
        )
    except InvalidValue as err:
        return 422, None, {err.field: f"{err.value} {err.reason}" if err.value else err.reason}
    disputed = sum(1 for s in signed if s.verdict is Verdict.DISPUTED)
    message = _("Recorded: %(confirmed)s confirmed, %(disputed)s disputed.") % {
        "confirmed": len(signed) - disputed,
        "disputed": disputed,
    }
    return 201, message, {}


@router.get("/my-day")
def my_day(
    request: Request, session: Annotated[Session, page(Permission.VIEW_OWN)], day: DayText = None
) -> HTMLResponse:
    worker_id = own_worker_id(session)
    on = _on(day, engine_of(request), worker_id)
    signed = request.query_params.get("signed")
    message = _("Your sign-off is recorded.") if signed else None
    return _day_page(request, session, worker_id, on, message=message)


@router.post("/my-day")
async def sign_my_day(
    request: Request, session: Annotated[Session, page(Permission.VIEW_OWN)]
) -> Response:
    form = await posted(request, session)
    worker_id = own_worker_id(session)
    on = _on(fields(form, "day")["day"] or None, engine_of(request), worker_id)
    status, _message, errors = await _sign(request, session, worker_id, on, form, kiosk=False)
    if errors:
        return _day_page(request, session, worker_id, on, status=status, errors=errors)
    return RedirectResponse(f"/my-day?day={on.isoformat()}&signed=1", status_code=303)


@router.get("/kiosk/day")
def kiosk_day(
    request: Request, session: Annotated[Session, page(Permission.RUN_KIOSK)]
) -> HTMLResponse:
    return _day_page(request, session, None, None, kiosk=True)


@router.post("/kiosk/day")
async def kiosk_sign(
    request: Request, session: Annotated[Session, page(Permission.RUN_KIOSK)]
) -> HTMLResponse:
    """First the worker's number, PIN and day show his counts; then, with his PIN again
    (the terminal is shared), what he chose is signed."""
    form = await posted(request, session)
    values = fields(form, "worker_id", "day")
    engine = engine_of(request)
    worker_id = values["worker_id"]
    try:
        ok = await run_in_threadpool(
            accounts.check_pin, engine, worker_id, str(form.get("pin", "")), client_of(request)
        )
    except accounts.TooManyAttempts as err:
        return _day_page(
            request, session, None, None, kiosk=True, status=status_of(err), error=said(err)
        )
    worker = dashboard.worker(engine, worker_id) if ok else None
    if worker is None or not session.account.allows(Permission.RUN_KIOSK, worker.unit):
        error = _("Wrong worker number or PIN.")
        return _day_page(request, session, None, None, kiosk=True, status=401, error=error)
    on = _on(values["day"] or None, engine, worker_id)
    if form.get("step") != "sign":
        return _day_page(request, session, worker_id, on, kiosk=True)
    status, message, errors = await _sign(request, session, worker_id, on, form, kiosk=True)
    return _day_page(
        request, session, worker_id, on, kiosk=True, status=status, message=message, errors=errors
    )
