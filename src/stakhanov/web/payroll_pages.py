"""The pay page: the period's slips in the viewer's scope (searched, sorted, paged; exported by
web/slip_list.py), one slip in full, the closed periods and, for the accountant, the close."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from stakhanov import stored_texts
from stakhanov.api.security import engine_of
from stakhanov.domain import slip_lists
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.periods import Period
from stakhanov.i18n import N_, problem_line
from stakhanov.services import lock_check, payroll, reports
from stakhanov.services.accounts import Session
from stakhanov.web.auth import page
from stakhanov.web.exports import order
from stakhanov.web.listing import listing
from stakhanov.web.pages import PeriodText, _period, render

router = APIRouter(include_in_schema=False)
SLIPS_PER_PAGE = 50


def _pay_slips(request: Request, session: Session, chosen: Period) -> Any:
    """The period's slips of workers in the viewer's scope, or the problems that block them."""
    engine = engine_of(request)
    found = payroll.slips(engine, chosen)
    subtrees = session.account.scopes(Permission.VIEW_PAY)
    units = {w.worker_id: w.unit for w in reports.workers(engine)}
    shown = [s for s in found.slips if within_any(units.get(s.worker_id, ""), subtrees)]
    return found, shown


@router.get("/payroll")
def payroll_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_PAY)],
    period: PeriodText = None,
    worker_id: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> HTMLResponse:
    chosen, text = _period(request, period)
    found, shown = _pay_slips(request, session, chosen)
    chosen_slip = next((s for s in shown if s.worker_id == worker_id), None)
    asked = listing(request, slip_lists.SORTS, per_page=SLIPS_PER_PAGE)
    listed = slip_lists.sorted_by(slip_lists.matching(shown, q), *order(asked, "worker"))
    may_close = session.account.allows(Permission.CLOSE_PERIODS)
    # What would block the lock, shown before the accountant is asked to confirm it.
    check = None
    if may_close and found.closed is None and not found.problems:
        check = lock_check.check(engine_of(request), chosen)
    return render(
        request,
        "payroll.html",
        session,
        title=N_("Pay"),
        period=text,
        start=chosen.start,
        end=chosen.end,
        closed=payroll.periods(engine_of(request)),
        this_period=found.closed,
        problems=[problem_line(p) for p in found.problems],
        slips=shown,
        listed=slip_lists.paged(listed, page_number, SLIPS_PER_PAGE),
        listing=asked,
        totals=slip_lists.totals(listed),
        q=q or "",
        slip=stored_texts.slip(chosen_slip) if chosen_slip else None,
        may_close=may_close,
        check=check,
    )
