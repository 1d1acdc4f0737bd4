"""People: the workers list, a worker's page, and one's own work (with disputes and the honour
board's consent)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov import stored_texts
from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.disputes import Subject
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.i18n import _
from stakhanov.services import (
    dashboard,
    disputes,
    honour,
    notices,
    payroll,
    people,
    reports,
    titles,
)
from stakhanov.services.accounts import Session
from stakhanov.web import language
from stakhanov.web.auth import PageError, fields, own_worker_id, page, posted
from stakhanov.web.listing import Paged, listing, window
from stakhanov.web.overview import trend_chart
from stakhanov.web.pages import PeriodText, _in_scope, _period, render

router = APIRouter(include_in_schema=False)
SHIFTS_PER_PAGE = 20


@router.get("/workers")
def workers_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_WORKERS)],
    unit: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """The workers in scope, a page at a time: searched, sorted and counted in SQL."""
    subtrees = session.account.scopes(Permission.VIEW_WORKERS)
    if unit:
        _in_scope(session, Permission.VIEW_WORKERS, unit)
    engine = engine_of(request)
    chosen = listing(request, people.SORTS, anchor="workers-list")
    rows, total = people.worker_page(
        engine,
        subtrees,
        unit or None,
        chosen.q,
        chosen.sort,
        chosen.descending,
        chosen.page,
        chosen.per_page,
    )
    return render(
        request,
        "workers.html",
        session,
        title=_("Workers"),
        found=Paged(rows, total, chosen),
        unit=unit or "",
        units=dashboard.unit_paths(engine, subtrees),
        may_fulfilment=session.account.scopes(Permission.VIEW_FULFILMENT) != [],
    )


@router.get("/workers/{worker_id}")
def worker_page(
    request: Request,
    worker_id: str,
    session: Annotated[Session, page(Permission.VIEW_WORKERS)],
    period: PeriodText = None,
) -> HTMLResponse:
    engine = engine_of(request)
    found = dashboard.worker(engine, worker_id)
    if found is None:
        raise PageError(404, _("There is no worker %(id)s.") % {"id": worker_id})
    _in_scope(session, Permission.VIEW_WORKERS, found.unit)
    show_results = session.account.allows(Permission.VIEW_FULFILMENT, found.unit)
    return _profile(request, session, found, period, show_results, own=False)


@router.get("/me")
def my_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_OWN)],
    period: PeriodText = None,
    disputed: Annotated[str | None, Query(max_length=1)] = None,
) -> HTMLResponse:
    worker_id = session.account.worker_id
    found = dashboard.worker(engine_of(request), worker_id) if worker_id else None
    if found is None:
        raise PageError(404, _("Your account is not linked to a worker record."))
    opened = (
        {"values": {}, "errors": {}, "message": _("Your dispute was opened.")} if disputed else None
    )
    return _profile(request, session, found, period, True, own=True, dispute=opened)


def _profile(
    request: Request,
    session: Session,
    found: Any,
    period: str | None,
    show_results: bool,
    own: bool,
    status: int = 200,
    dispute: dict[str, Any] | None = None,
) -> HTMLResponse:
    chosen, text = _period(request, period, found.worker_id)
    engine = engine_of(request)
    rows: list[Any] = []
    points: list[Any] = []
    shifts: Paged[Any] = Paged([], 0, listing(request, (), prefix="s"))
    if show_results:
        rows = [
            r.as_dict()
            for r in reports.fulfilment(
                engine, chosen, Grouping.WORKER, found.unit, found.worker_id
            )
            if r.fulfilment.group[0] == found.worker_id
        ]
        points = dashboard.trend(engine, chosen, [found.unit], worker_id=found.worker_id)
        shown = listing(request, (), per_page=SHIFTS_PER_PAGE, prefix="s", anchor="s-h")
        start = (shown.page - 1) * shown.per_page
        shifts = window(
            dashboard.shifts(
                engine,
                chosen,
                [],
                worker_id=found.worker_id,
                limit=shown.per_page + 1,
                offset=start,
            ),
            shown,
        )
    return render(
        request,
        "worker.html",
        session,
        status=status,
        dispute=dispute or {"values": {}, "errors": {}},
        title=_("My work") if own else found.name,
        worker=found,
        own=own,
        period=text,
        rows=rows,
        shifts=shifts,
        show_results=show_results,
        trend=trend_chart(_("%(name)s: fulfilment per day") % {"name": found.name}, points),
        notice=notices.notice_lines(
            notices.notice(engine, found.worker_id, chosen.end), language.language_of(request)
        )
        if own
        else [],
        notice_on=chosen.end,
        slip=_own_slip(engine, chosen, found.worker_id) if own else None,
        disputes=disputes.load(engine, [found.worker_id]) if own else [],
        titles=[titles.grant_dict(g) for g in titles.grants(engine, found.worker_id)]
        if show_results
        else [],
    )


def _own_slip(engine: Any, chosen: Period, worker_id: str) -> Any:
    found = payroll.slips(engine, chosen, worker_id)
    if found.problems or not found.slips:
        return None
    return {"slip": stored_texts.slip(found.slips[0]), "closed": found.closed is not None}


@router.post("/me/disputes")
async def open_dispute(
    request: Request, session: Annotated[Session, page(Permission.VIEW_OWN)]
) -> Response:
    form = await posted(request, session)
    values = fields(form, "subject", "reference", "text", "period")
    worker_id = own_worker_id(session)
    try:
        await run_in_threadpool(
            disputes.open_dispute,
            engine_of(request),
            worker_id,
            Subject(values["subject"]),
            values["reference"],
            values["text"],
            session.account.username,
        )
    except ValueError as err:
        # The form comes back with what was typed and the problem next to its field.
        field = err.field if isinstance(err, InvalidValue) else "subject"
        field = field if field in ("subject", "reference", "text") else "reference"
        reason = err.reason if isinstance(err, InvalidValue) else _("choose what you dispute")
        if field == "reference" and values["reference"]:
            reason = f"{values['reference']} {reason}"  # the message names what it refuses
        found = dashboard.worker(engine_of(request), worker_id)
        if found is None:
            raise PageError(404, _("Your account is not linked to a worker record.")) from err
        return _profile(
            request,
            session,
            found,
            values["period"] or None,
            True,
            own=True,
            status=422,
            dispute={
                "values": values,
                "errors": {
                    field: _("The dispute was not opened: %(reason)s.") % {"reason": reason}
                },
            },
        )
    query = urlencode(
        {"period": values["period"], "disputed": "1"} if values["period"] else {"disputed": "1"}
    )
    return RedirectResponse(f"/me?{query}#disputes-h", status_code=303)


@router.post("/me/honour")
async def my_honour(
    request: Request, session: Annotated[Session, page(Permission.VIEW_OWN)]
) -> Response:
    """Be named on the honour board, or not; one's work still counts for the brigade."""
    form = await posted(request, session)
    worker_id = own_worker_id(session)
    public = fields(form, "public")["public"] == "yes"
    await run_in_threadpool(
        honour.set_public, engine_of(request), worker_id, public, session.account.username, None
    )
    return RedirectResponse("/me#honour-h", status_code=303)
