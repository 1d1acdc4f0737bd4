"""The pay page: the period's slips in the viewer's scope (searched, sorted, paged in the store;
exported by web/slip_list.py), one slip in full, the closed periods and, for the accountant,
the close. An open period's totals come from a background computation (decision 0875)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from stakhanov import stored_texts
from stakhanov.api.security import engine_of
from stakhanov.domain import slip_lists
from stakhanov.domain.access import Permission
from stakhanov.domain.lock_checks import Blocker
from stakhanov.domain.periods import Period
from stakhanov.i18n import N_, problem_line
from stakhanov.services import lock_check, payroll, slip_pages
from stakhanov.services.accounts import Session
from stakhanov.services.pay_totals import Computation, PayTotals
from stakhanov.services.slip_pages import Asked
from stakhanov.web.auth import page, posted
from stakhanov.web.exports import order
from stakhanov.web.listing import Listing, Paged, listing
from stakhanov.web.pages import PeriodText, _period, render

router = APIRouter(include_in_schema=False)
SLIPS_PER_PAGE = 50
BLOCKERS_PER_PAGE = 50
Pay = Annotated[Session, page(Permission.VIEW_PAY)]


def pay_totals(request: Request) -> PayTotals:
    totals: PayTotals = request.app.state.pay_totals
    return totals


def standing(
    request: Request, chosen: Period
) -> tuple[payroll.ClosedPeriod | None, list[payroll.ClosedPeriod]]:
    """The period's close, if it is closed, and every closed period."""
    every = payroll.periods(engine_of(request))
    return next((c for c in every if c.period == chosen), None), every


def blocker_page(
    request: Request, engine: Engine, chosen: Period
) -> tuple[lock_check.CheckPage, Paged[Blocker]]:
    """One page of what the check found, what blocks first (decision 0880): a period whose
    every crew row no scale covers lists a hundred thousand rows that block nothing, which
    must neither bury the few that do nor make the page as long as the ledger. Only the page's
    items are built; a search is the store's (decision 0885)."""
    shown = listing(request, (), per_page=BLOCKERS_PER_PAGE, prefix="b", anchor="lock-check")
    words, size = shown.q.split(), shown.per_page

    def part(offset: int) -> lock_check.CheckPage:
        return lock_check.page(engine, chosen, offset, size, blocking_first=True, words=words)

    found = part((shown.page - 1) * size)
    if not found.blockers and found.found:  # past the last page: the last, as `paged` shows it
        found = part((found.found - 1) // size * size)
    return found, Paged(found.blockers, found.found, shown)


def asked_of(shown: Listing) -> Asked:
    sort, descending = order(shown, "worker")
    return Asked(shown.q, sort, descending, shown.per_page, shown.page)


@router.get("/payroll")
def payroll_page(
    request: Request,
    session: Pay,
    period: PeriodText = None,
    worker_id: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    chosen, text = _period(request, period)
    engine = engine_of(request)
    closed, every = standing(request, chosen)
    scope = session.account.scopes(Permission.VIEW_PAY)
    problems = [] if closed else payroll.overlaps(every, chosen)
    asked = listing(request, slip_lists.SORTS, per_page=SLIPS_PER_PAGE)
    computation: Computation | None = None
    found = None
    if closed is not None and not problems:
        found = slip_pages.closed_list(engine, closed, scope, asked_of(asked))
    elif not problems:
        latest = pay_totals(request).latest(chosen)
        found = slip_pages.open_list(engine, chosen, scope, asked_of(asked), latest)
        problems = found.problems
    chosen_slip = slip_pages.slip(engine, chosen, scope, worker_id) if worker_id else None
    may_close = session.account.allows(Permission.CLOSE_PERIODS)
    # What would block the lock, shown before the accountant is asked to confirm it.
    check = blockers = None
    if may_close and closed is None and not problems:
        check, blockers = blocker_page(request, engine, chosen)
    if closed is None and found is not None:
        # Started once the page has what it shows, which it would otherwise slow down.
        computation = pay_totals(request).compute(engine, chosen)
    return render(
        request,
        "payroll.html",
        session,
        title=N_("Pay"),
        period=text,
        start=chosen.start,
        end=chosen.end,
        closed=every,
        this_period=closed,
        problems=[problem_line(p) for p in problems],
        found=found,
        listed=Paged(found.rows, found.found, replace(asked, page=found.page)) if found else None,
        listing=asked,
        computation=computation,
        reloading=found is not None
        and closed is None
        and not (computation and computation.finished_at),
        q=asked.q,
        slip=stored_texts.slip(chosen_slip) if chosen_slip else None,
        may_close=may_close,
        check=check,
        blockers=blockers,
        blocking=check.blocking if check else 0,
    )


@router.post("/payroll/totals")
async def recompute_totals(request: Request, session: Pay, period: PeriodText = None) -> Response:
    """Compute the open period's every slip again, in the background."""
    await posted(request, session)
    chosen, text = _period(request, period)
    pay_totals(request).compute(engine_of(request), chosen, again=True)
    return RedirectResponse(f"/payroll?{urlencode({'period': text})}", status_code=303)
