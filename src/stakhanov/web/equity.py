"""The equity page: who is given favourable conditions, for the director and the auditor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.equity import Favour
from stakhanov.i18n import N_, _
from stakhanov.services import equity as service
from stakhanov.services.accounts import Session
from stakhanov.web.auth import page
from stakhanov.web.pages import PeriodText, _period, render

router = APIRouter(include_in_schema=False)
GROUPINGS = (N_("worker"), N_("brigade"), N_("group"))  # the rows by, for the catalogs
FAVOURS = (N_("prepared"), N_("resources"), N_("assisted"), N_("best workplace"))
"""The kinds of favourable shift (domain.equity.Favour), as the page names them."""


@router.get("/equity")
def equity_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_AUDIT)],
    period: PeriodText = None,
    by: Annotated[service.By, Query()] = service.By.WORKER,
) -> HTMLResponse:
    chosen, text = _period(request, period)
    subtrees = session.account.scopes(Permission.VIEW_AUDIT)
    report = service.equity(engine_of(request), chosen, by, None, subtrees)
    data = service.report_dict(report)
    favoured = sorted(
        data["rows"],
        key=lambda r: (-sum(r[f.value] for f in Favour), r["key"]),
    )
    return render(
        request,
        "equity.html",
        session,
        title=_("Equity of opportunity"),
        period=text,
        by=by.value,
        groupings=[b.value for b in service.By],
        rows=favoured[:500],
        more=max(len(favoured) - 500, 0),
        concentration=data["concentration"],
        warnings=data["warnings"],
        best=data["best_workplaces"],
    )
