"""The overview and a unit's view: fulfilment, stated and fair, with the plans and the trend.

Each leads with its summary (the charts, the totals) and opens the long tables on demand,
searched, sorted and paged (web/listing.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.i18n import _
from stakhanov.services import dashboard, plans, reports
from stakhanov.services.accounts import Session
from stakhanov.services.dashboard import Subtrees
from stakhanov.web import charts
from stakhanov.web.auth import Viewer, page
from stakhanov.web.listing import Listing, Paged, listing, paged
from stakhanov.web.pages import PeriodText, _home, _in_scope, _page_routes, _period, render

router = APIRouter(include_in_schema=False)


def pair_chart(title: str, labels: list[str], rows: list[dict[str, Any]]) -> Any:
    """Stated beside fair, one pair of bars a row."""
    return charts.bars(
        title,
        labels,
        [
            charts.Series(_("stated"), [r["percent"] for r in rows]),
            charts.Series(_("fair"), [r["fair_percent"] for r in rows]),
        ],
    )


def trend_chart(title: str, points: list[dashboard.Total]) -> Any:
    if len(points) < 2:
        return None
    return charts.lines(
        title,
        [p.date for p in points],
        [
            charts.Series(_("stated"), [p.percent for p in points]),
            charts.Series(_("fair"), [p.fair_percent for p in points]),
        ],
    )


def _key(name: str) -> Any:
    return lambda row: row.get(name)


UNIT_SORTS = {n: _key(n) for n in ("unit", "hours", "percent", "fair_percent")}
FIGURES = ("shifts", "hours", "output", "percent", "fair_percent")
ROW_SORTS = {n: _key(n) for n in ("unit", "operation", *FIGURES)}
WORKER_SORTS = {n: _key(n) for n in ("name", "operation", *FIGURES)}


@router.get("/")
def overview(request: Request, session: Viewer, period: PeriodText = None) -> Response:
    account = session.account
    if account.scopes(Permission.VIEW_FULFILMENT) == []:
        return RedirectResponse(_home(session, _page_routes(request)), status_code=303)
    chosen, text = _period(request, period)
    engine = engine_of(request)
    subtrees = account.scopes(Permission.VIEW_FULFILMENT)
    shown = _units(request, engine, chosen, subtrees)
    points = dashboard.trend(engine, chosen, subtrees)
    counts: Counter[str] = Counter()
    if account.scopes(Permission.VIEW_AUDIT) != []:
        counts = dashboard.finding_counts(engine, chosen, account.scopes(Permission.VIEW_AUDIT))
    planned = [
        p
        for p in plans.status(engine, chosen, as_of=min(chosen.end, dt.date.today()))
        if within_any(p.unit, subtrees)
    ]
    return render(
        request,
        "overview.html",
        session,
        title=_("Overview"),
        plans=planned,
        plan_chart=charts.bars(
            _("Plan fulfilment by unit: output against the plan, and the forecast to its end"),
            [f"{p.unit} ({p.operation})" for p in planned],
            [
                charts.Series(_("fulfilled"), [p.percent for p in planned], "current"),
                charts.Series(_("forecast"), [p.forecast_percent for p in planned], "proposed"),
            ],
        )
        if planned
        else None,
        period=text,
        units=shown,
        rows=_operations(request, engine, chosen, subtrees),
        chart=pair_chart(
            _("Fulfilment of the norm by unit, stated and fair"),
            [u["unit"] for u in shown.rows],
            shown.rows,
        )
        if shown.rows
        else None,
        trend=trend_chart(_("Fulfilment per day, stated and fair"), points),
        findings=counts,
    )


def _asked(chosen: Listing) -> dashboard.Page:
    return dashboard.Page(chosen.q, chosen.sort, chosen.descending, chosen.page, chosen.per_page)


def _units(request: Request, engine: Any, period: Period, subtrees: Subtrees) -> Paged[Any]:
    """The page of units asked for: read a page at a time from the unit sums where they answer
    the period (one whole month, decision 0898), else cut from every unit's totals. The chart
    draws the table's page too: every unit of a large enterprise would be thousands of bars
    (decision 0896)."""
    chosen = listing(request, tuple(UNIT_SORTS), prefix="u", anchor="units-h")
    found = dashboard.unit_page(engine, period, subtrees, _asked(chosen))
    if found is not None:
        return Paged(found.rows, found.total, chosen)
    units = [
        {"unit": t.key, "hours": t.hours, "percent": t.percent, "fair_percent": t.fair_percent}
        for t in dashboard.unit_totals(engine, period, subtrees)
    ]
    return paged(units, chosen, UNIT_SORTS, lambda u: str(u["unit"]))


def _operations(request: Request, engine: Any, period: Period, subtrees: Subtrees) -> Paged[Any]:
    """The page of the table by unit and operation (the rows with a percentage), as `_units`."""
    chosen = listing(request, tuple(ROW_SORTS), prefix="o", anchor="ops-h")
    found = dashboard.unit_operations(engine, period, subtrees, _asked(chosen))
    if found is not None:
        return Paged(found.rows, found.total, chosen)
    rows = [r.as_dict() for r in dashboard.fulfilment(engine, period, Grouping.UNIT, subtrees)]
    normed = [r for r in rows if r["percent"] is not None]
    return paged(normed, chosen, ROW_SORTS, lambda r: f"{r['unit']} {r['operation']}")


def _workers(request: Request, engine: Any, period: Period, unit: str) -> tuple[Paged[Any], int]:
    """The page of the unit's workers by operation, and how many workers the unit's list has:
    read a page at a time from the worker month sums for one whole month (decision 0900), else
    cut from every worker's fulfilment."""
    chosen = listing(request, tuple(WORKER_SORTS), anchor="workers-list")
    found = dashboard.worker_page(engine, period, unit, _asked(chosen))
    if found is not None:
        return Paged(found.rows, found.total, chosen), found.workers
    return every_worker(engine, period, unit, chosen)


def every_worker(engine: Any, period: Period, unit: str, chosen: Listing) -> tuple[Paged[Any], int]:
    """The page cut in Python from every worker's fulfilment in the unit, each with a name,
    and how many workers the list has: for periods other than one whole month."""
    names = {w.worker_id: w for w in reports.workers(engine, unit)}
    rows = []
    for row in dashboard.fulfilment(engine, period, Grouping.WORKER, None, unit):
        values = row.as_dict()
        worker = names.get(values["worker_id"])
        values["name"] = worker.name if worker else values["worker_id"]
        rows.append(values)
    return paged(rows, chosen, WORKER_SORTS, worker_text), len({r["worker_id"] for r in rows})


def worker_text(row: dict[str, Any]) -> str:
    """What a search of a unit's workers looks in (as decision 0900's SQL does, word by word)."""
    return f"{row['name']} {row['worker_id']} {row['operation']}"


@router.get("/units")
def unit_view(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_FULFILMENT)],
    unit: Annotated[str, Query(min_length=1, max_length=500)],
    period: PeriodText = None,
) -> HTMLResponse:
    """A brigade (or any unit): each worker's fulfilment, stated and fair side by side."""
    _in_scope(session, Permission.VIEW_FULFILMENT, unit)
    chosen, text = _period(request, period)
    engine = engine_of(request)
    points = dashboard.trend(engine, chosen, None, unit)
    found, workers = _workers(request, engine, chosen, unit)
    charted = [r for r in found.rows if r["percent"] is not None]  # the table's page
    return render(
        request,
        "unit.html",
        session,
        title=unit,
        unit=unit,
        period=text,
        found=found,
        workers=workers,
        chart=pair_chart(
            _("%(unit)s: fulfilment by worker, stated and fair") % {"unit": unit},
            [f"{r['name']} ({r['operation']})" for r in charted],
            charted,
        )
        if charted
        else None,
        trend=trend_chart(_("%(unit)s: fulfilment per day") % {"unit": unit}, points),
    )
