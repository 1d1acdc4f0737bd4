"""The equity page: who is given favourable conditions, for the director and the auditor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.equity import Favour, favour_words
from stakhanov.i18n import N_, _, localized
from stakhanov.services import equity as service
from stakhanov.services.accounts import Session
from stakhanov.web.auth import page
from stakhanov.web.listing import listing, paged
from stakhanov.web.pages import PeriodText, _period, render

router = APIRouter(include_in_schema=False)
GROUPINGS = (N_("worker"), N_("brigade"), N_("group"))  # the rows by, for the catalogs


ROW_SORTS = ("key", "workers", "shifts", *(f.value for f in Favour))


def _column(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[key]


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
        rows=paged(
            favoured,
            listing(request, tuple(ROW_SORTS), anchor="rows"),
            {key: _column(key) for key in ROW_SORTS},
            lambda r: str(r["key"]),
        ),
        concentration=data["concentration"],
        warnings=data["warnings"],
        favours={f.value: localized(favour_words(f)) for f in Favour},
        best=data["best_workplaces"],
    )
