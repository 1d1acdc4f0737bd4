"""The pages: one view per job, each showing only what the viewer's scope reaches."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from stakhanov.api.disputes import ANSWERED_BY, may_see
from stakhanov.api.disputes import SEEING as DISPUTE_SEEING
from stakhanov.api.errors import REFUSALS, problem_loc, status_of
from stakhanov.api.governance import visible_revision
from stakhanov.api.hardening import is_https
from stakhanov.api.jobs import jobs_of
from stakhanov.api.payroll import whatif_out
from stakhanov.api.security import COOKIE, client_of, engine_of
from stakhanov.api.visibility import visible_whatif
from stakhanov.domain import rounding, slip_lists
from stakhanov.domain.access import Grant, Permission, Role, may_decide, within_any
from stakhanov.domain.disputes import Subject
from stakhanov.domain.disputes import Verdict as DisputeVerdict
from stakhanov.domain.errors import InvalidValue, Problem, Refused
from stakhanov.domain.exact import ExactHours
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.governance import Verdict
from stakhanov.domain.periods import Period, parse_date, parse_period
from stakhanov.domain.proposals import Basis
from stakhanov.domain.provenance import TimeStudy
from stakhanov.domain.records import CrewMember
from stakhanov.domain.shifts import Conditions
from stakhanov.i18n import ngettext, speaking
from stakhanov.services import (
    accounts,
    chain,
    claims,
    competitions,
    corrections,
    dashboard,
    disputes,
    history,
    honour,
    lock_check,
    notices,
    payroll,
    plans,
    proposals,
    records,
    reports,
    revisions,
    signoffs,
    titles,
)
from stakhanov.services.accounts import Session
from stakhanov.services.entry import ShiftForm, enter
from stakhanov.services.parsing import parse_decimal
from stakhanov.web import charts, language
from stakhanov.web.auth import (
    LOGIN_CSRF_COOKIE,
    PageError,
    Viewer,
    fields,
    new_login_token,
    own_worker_id,
    page,
    posted,
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("stakhanov.web") / "templates"))
language.install(templates.env)


def plain(value: Any, places: int = 6) -> Any:
    """A Decimal as people write it: no exponent, no trailing zeros, at most `places` decimals
    (a prorated norm such as 7 t x 149.75 h / 6 h has no end)."""
    if isinstance(value, ExactHours):  # 20 minutes: the fraction, as JSON writes it
        return str(value)
    if isinstance(value, Fraction):  # an exact figure: shown to six decimals at most
        value = rounding.shown(value)
    if not isinstance(value, Decimal):
        return value
    if value.is_finite() and value.as_tuple().exponent < -places:  # type: ignore[operator]
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(value.normalize(), "f")


templates.env.filters["plain"] = plain


def evidence_text(evidence: Any) -> str:
    """A title's evidence in words: `23 shifts; fair 105.2%; 65.2% of shifts at 100% or more`."""
    if not isinstance(evidence, dict):
        return "" if evidence is None else str(evidence)
    parts = []
    for key, raw in evidence.items():
        value = plain(Decimal(str(raw))) if isinstance(raw, int | float | Decimal) else raw
        share = re.fullmatch(r"share_at_least\((\d+(?:\.\d+)?)\)", str(key))
        if key == "period":
            parts.append(f"over {value}")
        elif key == "shifts":
            if isinstance(raw, int):
                parts.append(ngettext("%(num)d shift", "%(num)d shifts", raw) % {"num": raw})
            else:
                parts.append(f"{value} shifts")
        elif share:
            parts.append(f"{value}% of shifts at {share[1]}% or more")
        elif str(key).endswith("percent"):
            parts.append(f"{str(key).replace('_percent', '').replace('_', ' ')} {value}%")
        else:
            parts.append(f"{str(key).replace('_', ' ')}: {value}")
    return "; ".join(parts)


def thousandth(value: Any) -> Decimal:
    """An exact rate (output per hour of a norm) half-up to 0.001, as the norms list shows it."""
    return rounding.rounded(value, Decimal("0.001"))


templates.env.filters["evidence"] = evidence_text
templates.env.globals["thousandth"] = thousandth
PeriodText = Annotated[str | None, Query(max_length=30)]

NAV = (
    ("/", "Overview", (Permission.VIEW_FULFILMENT,)),
    ("/me", "My work", (Permission.VIEW_OWN,)),
    ("/my-day", "My day", (Permission.VIEW_OWN,)),  # web/signoff.py
    ("/workers", "Workers", (Permission.VIEW_WORKERS,)),
    ("/shifts", "Shifts", (Permission.VIEW_SHIFTS,)),
    ("/shifts/new", "Enter a shift", (Permission.ENTER_SHIFTS,)),
    ("/kiosk", "Kiosk", (Permission.RUN_KIOSK,)),
    ("/tickets", "Tickets", (Permission.ENTER_SHIFTS,)),  # web/tickets.py
    ("/scan", "Scan tickets", (Permission.ENTER_SHIFTS,)),  # web/tickets.py
    (
        "/import",
        "Import",
        (
            Permission.ENTER_SHIFTS,
            Permission.MANAGE_NORMS,
            Permission.MANAGE_PLANS,
            Permission.MANAGE_WORKERS,
        ),
    ),
    ("/audit", "Audit", (Permission.VIEW_AUDIT,)),
    ("/equity", "Equity", (Permission.VIEW_AUDIT,)),
    ("/audit/chain", "Ledger chain", (Permission.VIEW_AUDIT,)),
    ("/payroll", "Pay", (Permission.VIEW_PAY,)),
    ("/norms", "Norms", (Permission.VIEW_NORMS,)),
    ("/norms/impact", "Norm impact", (Permission.MANAGE_NORMS,)),
    ("/revisions", "Revisions", (Permission.DECIDE_REVISIONS, Permission.MANAGE_NORMS)),
    ("/batches", "Ledger writes", (Permission.VIEW_BATCHES,)),
    ("/admin/users", "Users", (Permission.MANAGE_USERS,)),
    ("/pins", "Kiosk PINs", (Permission.SET_PINS,)),
    ("/records", "Records", (Permission.VIEW_RECOGNITION,)),
    ("/honour", "Honour board", (Permission.VIEW_RECOGNITION,)),
    ("/competitions", "Competitions", (Permission.VIEW_RECOGNITION,)),
    ("/competitions/declare", "Declare a competition", (Permission.DECLARE_COMPETITIONS,)),
    ("/titles", "Titles", (Permission.CONFER_TITLES,)),  # web/director.py
    ("/policy", "Approval policy", (Permission.SET_POLICY,)),  # web/director.py
    (
        "/disputes",
        "Disputes",
        (
            Permission.ENTER_SHIFTS,
            Permission.CLOSE_PERIODS,
            Permission.MANAGE_NORMS,
            Permission.VIEW_AUDIT,
        ),
    ),
    ("/history", "History", (Permission.VIEW_HISTORY,)),
    ("/skills", "Skills", (Permission.VIEW_WORKERS,)),  # web/skills.py
    ("/methods", "Methods", (Permission.VIEW_NORMS,)),  # web/skills.py
)


def _page_requirement(href: str, routes: Any) -> Any:
    """The requirement of the page a link opens (None where the page checks for itself), among
    the application's routes, so that pages of every web module are judged alike."""
    for route in routes:
        if getattr(route, "path", None) == href and "GET" in getattr(route, "methods", ()):
            for dependency in route.dependant.dependencies:
                found = getattr(dependency.call, "requirement", None)
                if found is not None:
                    return found
    return None


def _page_routes(request: Request) -> Any:
    """Every page route of the application (web/app.py keeps them), else this module's."""
    return getattr(request.app.state, "page_routes", router.routes)


def _nav(session: Session, routes: Any = None) -> list[tuple[str, str]]:
    """The links a viewer's roles open: a page that needs an organisation-wide grant (the
    ledger writes, the users) is not offered to someone whose grant covers a subtree only."""
    account = session.account
    shown = []
    for href, label, needed in NAV:
        requirement = _page_requirement(href, router.routes if routes is None else routes)
        if any(account.scopes(p) != [] for p in needed) and (
            requirement is None or requirement.met_by(account)
        ):
            shown.append((href, label))
    return shown


def _home(session: Session, routes: Any = None) -> str:
    """Where a viewer without the overview starts: their own work, the users, or the first page."""
    account = session.account
    if account.scopes(Permission.VIEW_OWN) != []:
        return "/me"
    if account.allows(Permission.MANAGE_USERS):
        return "/admin/users"
    hrefs = [href for href, _ in _nav(session, routes) if href != "/"]
    return hrefs[0] if hrefs else "/history"


def render(
    request: Request, name: str, session: Session | None, status: int = 200, **context: Any
) -> HTMLResponse:
    lang = language.language_of(request)
    nav = _nav(session, _page_routes(request)) if session else []
    values = {"session": session, "nav": nav, **context}
    values["language"] = lang
    values.setdefault("title", "stakhanov")
    with speaking(lang):  # the template is rendered here, in the reader's language
        return templates.TemplateResponse(request, name, values, status_code=status)


def _period(request: Request, text: str | None, worker_id: str | None = None) -> tuple[Period, str]:
    """The period asked for, or the month of the newest shift (where the work is): on a
    worker's page, the newest shift the worker worked."""
    if text:
        try:
            return parse_period(text), text
        except InvalidValue as err:
            raise PageError(422, f"Period {text!r} {err.reason}.") from err
    engine = engine_of(request)
    latest = (
        (worker_id and dashboard.latest_date(engine, worker_id))
        or dashboard.latest_date(engine)
        or dt.date.today()
    )
    month = f"{latest.year}-{latest.month:02d}"
    return parse_period(month), month


def _pair_chart(title: str, labels: list[str], rows: list[dict[str, Any]]) -> Any:
    return charts.bars(
        title,
        labels,
        [
            charts.Series("stated", [r["percent"] for r in rows]),
            charts.Series("fair", [r["fair_percent"] for r in rows]),
        ],
    )


def _trend_chart(title: str, points: list[dashboard.Total]) -> Any:
    if len(points) < 2:
        return None
    return charts.lines(
        title,
        [p.date for p in points],
        [
            charts.Series("stated", [p.percent for p in points]),
            charts.Series("fair", [p.fair_percent for p in points]),
        ],
    )


# --- logging in and out -----------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    token = new_login_token()
    response = render(request, "login.html", None, title="Log in", next=next, login_csrf=token)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request)
    )
    return response


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "/")))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    error, status = None, 200
    if not expected or form.get("csrf_token") != expected:
        error, status = "The login form expired; please try again.", 403
    else:
        try:
            opened = await run_in_threadpool(
                accounts.login, engine_of(request), username, password, client_of(request)
            )
        except Refused as err:
            status = status_of(err)
            error = (
                f"Too many failed attempts. Try again in {err.retry_after // 60} minutes."
                if isinstance(err, accounts.TooManyAttempts)
                else "Wrong username or password."
            )
    if error:
        token = new_login_token()
        response = render(
            request,
            "login.html",
            None,
            status=status,
            title="Log in",
            next=next_url,
            login_csrf=token,
            error=error,
            username=username,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request)
        )
        return response
    redirect = RedirectResponse(next_url, status_code=303)
    max_age = int((opened.expires_at - dt.datetime.now(dt.UTC)).total_seconds())
    redirect.set_cookie(
        COOKIE,
        opened.token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    redirect.delete_cookie(LOGIN_CSRF_COOKIE)
    return redirect


@router.post("/logout")
async def logout(request: Request, session: Viewer) -> Response:
    await posted(request, session)
    await run_in_threadpool(accounts.logout, engine_of(request), session.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


# --- reading ----------------------------------------------------------------------------


@router.get("/")
def overview(request: Request, session: Viewer, period: PeriodText = None) -> Response:
    account = session.account
    if account.scopes(Permission.VIEW_FULFILMENT) == []:
        return RedirectResponse(_home(session, _page_routes(request)), status_code=303)
    chosen, text = _period(request, period)
    engine = engine_of(request)
    subtrees = account.scopes(Permission.VIEW_FULFILMENT)
    rows = [r.as_dict() for r in dashboard.fulfilment(engine, chosen, Grouping.UNIT, subtrees)]
    units = [
        {"unit": t.key, "hours": t.hours, "percent": t.percent, "fair_percent": t.fair_percent}
        for t in dashboard.unit_totals(engine, chosen, subtrees)
    ]
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
        title="Overview",
        plans=planned,
        plan_chart=charts.bars(
            "Plan fulfilment by unit: output against the plan, and the forecast to its end",
            [f"{p.unit} ({p.operation})" for p in planned],
            [
                charts.Series("fulfilled", [p.percent for p in planned], "current"),
                charts.Series("forecast", [p.forecast_percent for p in planned], "proposed"),
            ],
        )
        if planned
        else None,
        period=text,
        rows=rows,
        units=units,
        chart=_pair_chart(
            "Fulfilment of the norm by unit, stated and fair",
            [u["unit"] for u in units],
            units,
        )
        if units
        else None,
        trend=_trend_chart("Fulfilment per day, stated and fair", points),
        findings=counts,
    )


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
    names = {w.worker_id: w for w in reports.workers(engine, unit)}
    rows = []
    for row in dashboard.fulfilment(engine, chosen, Grouping.WORKER, None, unit):
        values = row.as_dict()
        worker = names.get(values["worker_id"])
        values["name"] = worker.name if worker else values["worker_id"]
        rows.append(values)
    normed = [r for r in rows if r["percent"] is not None]
    points = dashboard.trend(engine, chosen, None, unit)
    return render(
        request,
        "unit.html",
        session,
        title=unit,
        unit=unit,
        period=text,
        rows=rows,
        chart=_pair_chart(
            f"{unit}: fulfilment by worker, stated and fair",
            [f"{r['name']} ({r['operation']})" for r in normed],
            normed,
        )
        if normed
        else None,
        trend=_trend_chart(f"{unit}: fulfilment per day", points),
    )


def _in_scope(session: Session, permission: Permission, unit: str) -> None:
    if not session.account.allows(permission, unit):
        raise PageError(403, f"{unit} is outside your scope.")


@router.get("/workers")
def workers_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_WORKERS)],
    unit: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    subtrees = session.account.scopes(Permission.VIEW_WORKERS)
    if unit:
        _in_scope(session, Permission.VIEW_WORKERS, unit)
    engine = engine_of(request)
    found = [w for w in reports.workers(engine, unit or None) if within_any(w.unit, subtrees)]
    return render(
        request,
        "workers.html",
        session,
        title="Workers",
        workers=found,
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
        raise PageError(404, f"There is no worker {worker_id}.")
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
        raise PageError(404, "Your account is not linked to a worker record.")
    opened = (
        {"values": {}, "errors": {}, "message": "Your dispute was opened."} if disputed else None
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
    rows, points, shifts = [], [], []
    if show_results:
        rows = [
            r.as_dict()
            for r in reports.fulfilment(
                engine, chosen, Grouping.WORKER, found.unit, found.worker_id
            )
            if r.fulfilment.group[0] == found.worker_id
        ]
        points = dashboard.trend(engine, chosen, [found.unit], worker_id=found.worker_id)
        shifts = dashboard.shifts(engine, chosen, [], worker_id=found.worker_id)
    return render(
        request,
        "worker.html",
        session,
        status=status,
        dispute=dispute or {"values": {}, "errors": {}},
        title="My work" if own else found.name,
        worker=found,
        own=own,
        period=text,
        rows=rows,
        shifts=shifts,
        show_results=show_results,
        trend=_trend_chart(f"{found.name}: fulfilment per day", points),
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
    return {"slip": found.slips[0], "closed": found.closed is not None}


@router.get("/audit/chain")
def chain_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_AUDIT, organisation_wide=True)],
) -> HTMLResponse:
    """The hash chain recomputed on demand: intact, or every row changed behind it."""
    found = chain.verify_ledger(engine_of(request))
    state = chain.chain_state(found)
    return render(request, "chain.html", session, title="Ledger chain", state=state)


@router.get("/norms")
def norms_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_NORMS)]
) -> HTMLResponse:
    found = reports.norms(engine_of(request))
    by_operation: dict[str, list[Any]] = {}
    for norm in found:
        by_operation.setdefault(norm.operation, []).append(norm)
    chart = (
        charts.bars(
            "Output per hour that meets each norm version",
            [f"{n.operation} from {n.effective_from}" for n in found],
            [charts.Series("per hour", [rounding.shown(n.per_hour) for n in found])],
            unit="",
        )
        if found
        else None
    )
    return render(request, "norms.html", session, title="Norms", norms=found, chart=chart)


Impact = Annotated[Session, page(Permission.MANAGE_NORMS, Permission.VIEW_PAY)]


def _proposal(
    request: Request, session: Session, operation: str, norm: str, chosen: Period
) -> tuple[Any, Any]:
    """The norm in force and the proposed one, or InvalidValue naming the field at fault."""
    in_force = {n.operation: n for n in reports.norms(engine_of(request), chosen.start)}
    current = in_force.get(operation)
    if current is None:
        raise InvalidValue("operation", operation, f"has no norm in force on {chosen.start}")
    proposed = replace(
        current,
        norm=parse_decimal(norm, "norm"),
        effective_from=chosen.start,
        method="proposal",
        source=f"what-if by {session.account.username}",
    )
    return current, proposed


@router.get("/norms/impact")
def impact_page(
    request: Request,
    session: Impact,
    operation: Annotated[str | None, Query(max_length=200)] = None,
    norm: Annotated[str | None, Query(max_length=30)] = None,
    period: PeriodText = None,
    job: Annotated[str | None, Query(max_length=50)] = None,
) -> HTMLResponse:
    """A proposed norm replayed over a period: each worker's pay and fulfilment, old and new.

    With JavaScript the replay runs as a job with progress and this page shows its result;
    without, the page computes it while the browser waits.
    """
    chosen, text = _period(request, period)
    engine = engine_of(request)
    context: dict[str, Any] = {
        "operations": sorted(n.operation for n in reports.norms(engine, chosen.start)),
        "operation": operation or "",
        "norm": norm or "",
        "period": text,
        "report": None,
        "error": None,
    }
    if operation and norm:
        try:
            current, proposed = _proposal(request, session, operation, norm, chosen)
        except InvalidValue as err:
            context["error"] = f"{err.field} {err.reason}"
        else:
            done = jobs_of(request).get(job, session.account.user_id) if job else None
            if done is not None and done.state == "done":
                report = done.result
            else:
                report = _visible(engine, session, payroll.whatif(engine, chosen, None, [proposed]))
            context.update(_impact(report, text, current, proposed))
    return render(request, "impact.html", session, title="Norm revision impact", **context)


@router.post("/norms/impact")
async def start_impact(request: Request, session: Impact) -> Response:
    """Start the replay as a job; answer where to see it when it is done."""
    form = await posted(request, session)
    values = fields(form, "operation", "norm", "period")
    chosen, text = _period(request, values["period"] or None)
    try:
        _, proposed = _proposal(request, session, values["operation"], values["norm"], chosen)
    except InvalidValue as err:
        return JSONResponse({"detail": f"{err.field} {err.reason}"}, status_code=422)
    engine = engine_of(request)

    def work(progress: Any) -> Any:
        progress("replaying", 0)
        return _visible(engine, session, payroll.whatif(engine, chosen, None, [proposed]))

    job = jobs_of(request).start(session.account.user_id, 0, work)
    query = urlencode({**values, "period": text, "job": job.job_id})
    return JSONResponse({"job_id": job.job_id, "url": f"/norms/impact?{query}"}, status_code=202)


def _visible(engine: Any, session: Session, report: Any) -> Any:
    """The replay of a proposed norm as the API shows it to this caller."""
    units = {w.worker_id: w.unit for w in reports.workers(engine)}
    return visible_whatif(session.account, whatif_out(report), units, norms_proposed=True)


def _impact(report: Any, text: str, current: Any, proposed: Any) -> dict[str, Any]:
    changed = sorted(
        (w for w in report.workers if w.change is not None and Decimal(w.change) != 0),
        key=lambda w: Decimal(w.change),
    )[:40]
    names = [w.name for w in changed]
    return {
        "report": report,
        "current": current,
        "proposed": proposed,
        "pay_chart": charts.bars(
            f"Pay for {text}: now and under {proposed.norm} {current.unit}",
            names,
            [
                charts.Series("now", [Decimal(w.old) for w in changed]),
                charts.Series("proposed", [Decimal(w.new) for w in changed]),
            ],
            unit="",
            decimals=2,
        )
        if changed
        else None,
        "percent_chart": charts.bars(
            "Stated fulfilment: now and under the proposed norm",
            names,
            [
                charts.Series("now", [rounding.percent_or_none(w.old_percent) for w in changed]),
                charts.Series(
                    "proposed", [rounding.percent_or_none(w.new_percent) for w in changed]
                ),
            ],
        )
        if changed
        else None,
    }


PROPOSAL_FIELDS = (
    "operation",
    "basis",
    "reason",
    "evidence",
    "norm",
    "window",
    "percentile",
    "target",
    "observations",
    "observed_minutes",
    "pace_rating",
    "allowances",
)


@router.get("/revisions")
def revisions_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_NORMS)]
) -> HTMLResponse:
    return _revisions_page(request, session)


def _revisions_page(
    request: Request,
    session: Session,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    return render(
        request,
        "revisions.html",
        session,
        status=status,
        title="Norm revisions",
        revisions=[r.as_dict() for r in revisions.revisions(engine)],
        may_propose=session.account.allows(Permission.MANAGE_NORMS),
        operations=sorted({n.operation for n in reports.norms(engine)}),
        bases=[b.value for b in Basis],
        values=values or {"basis": Basis.STATISTICAL.value},
        errors=errors or {},
    )


def _decimal_field(values: dict[str, str], name: str) -> Decimal | None:
    text = values.get(name, "")
    if not text:
        return None
    try:
        return parse_decimal(text, name)
    except InvalidValue as err:
        raise _FieldRefused(name, err.reason) from err


class _FieldRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@router.post("/revisions")
async def propose_revision(
    request: Request,
    session: Annotated[Session, page(Permission.MANAGE_NORMS, organisation_wide=True)],
) -> Response:
    """The rate-setter proposes a revision with its basis, as `POST /api/revisions` does; its
    impact is computed and kept with it, and the revision's page opens."""
    form = await posted(request, session)
    values = fields(form, *PROPOSAL_FIELDS)
    try:
        if not values["reason"]:
            raise _FieldRefused("reason", "say why the revision is proposed")
        try:
            basis = Basis(values["basis"])
        except ValueError as err:
            raise _FieldRefused("basis", "choose technical, time study or statistical") from err
        window = None
        if values["window"]:
            try:
                window = parse_period(values["window"])
            except InvalidValue as err:
                raise _FieldRefused("window", err.reason) from err
        study = None
        if basis is Basis.TIME_STUDY:
            figures = [
                _decimal_field(values, n) for n in ("observed_minutes", "pace_rating", "allowances")
            ]
            if not values["observations"].isdigit() or None in figures:
                raise _FieldRefused("observations", "a time study needs every figure")
            minutes, pace, allowances = figures
            assert minutes is not None and pace is not None and allowances is not None
            study = TimeStudy(int(values["observations"]), minutes, pace, allowances)
        asked = proposals.Request(
            operation=values["operation"],
            basis=basis,
            by=session.account.username,
            reason=values["reason"],
            proposed_on=dt.date.today(),
            window=window,
            evidence=values["evidence"] or None,
            percentile=_decimal_field(values, "percentile"),
            target=_decimal_field(values, "target"),
            norm=_decimal_field(values, "norm"),
            study=study,
        )
        document = await run_in_threadpool(proposals.propose, engine_of(request), asked)
    except _FieldRefused as refused:
        return _revisions_page(request, session, 422, values, {refused.field: refused.message})
    except InvalidValue as err:
        field = err.field if err.field in PROPOSAL_FIELDS else "operation"
        return _revisions_page(request, session, 422, values, {field: err.reason})
    except Refused as err:
        # The service speaks of the command line's options (--norm); here they are fields.
        message = re.sub(r"--([a-z][a-z-]*)", lambda m: m[1].replace("-", " "), str(err))
        field = err.field if err.field in PROPOSAL_FIELDS else "operation"
        return _revisions_page(request, session, status_of(err), values, {field: message})
    return RedirectResponse(f"/revisions/{document['revision_id']}", status_code=303)


@router.get("/revisions/{revision_id}")
def revision_page(
    request: Request,
    revision_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: Annotated[Session, page(Permission.VIEW_NORMS)],
) -> HTMLResponse:
    return _revision_page(request, session, revision_id)


def _revision_page(
    request: Request,
    session: Session,
    revision_id: int,
    status: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    found = revisions.revision(engine_of(request), revision_id)
    document = visible_revision(session.account, found.as_dict(full=True))
    workers = document["impact"]["workers"]
    named = {w.worker_id: w.name for w in reports.workers(engine_of(request))}
    labels = [named.get(w["worker_id"], w["worker_id"]) for w in workers]
    fair_chart = (
        charts.bars(
            f"{found.operation}: each worker's fair fulfilment, current and proposed norm",
            labels,
            [
                charts.Series("current norm", [w["fair_percent_old"] for w in workers]),
                charts.Series("proposed norm", [w["fair_percent_new"] for w in workers]),
            ],
        )
        if workers
        else None
    )
    paid = [w for w in workers if w["pay_old"] is not None]
    pay_chart = (
        charts.bars(
            "Pay over the window: now and under the proposed norm",
            [named.get(w["worker_id"], w["worker_id"]) for w in paid],
            [
                charts.Series("now", [Decimal(w["pay_old"]) for w in paid]),
                charts.Series("proposed", [Decimal(w["pay_new"]) for w in paid]),
            ],
            unit="",
            decimals=2,
        )
        if paid
        else None
    )
    state = found.state
    next_step = state.next_step.role if state.next_step else None
    return render(
        request,
        "revision.html",
        session,
        status=status,
        title=f"Revision {revision_id}: {found.operation}",
        revision=document,
        names=named,
        fair_chart=fair_chart,
        pay_chart=pay_chart,
        next_step=next_step,
        may_take=next_step is not None and may_decide(session.account.grants, next_step),
        may_withdraw=next_step is not None and session.account.allows(Permission.MANAGE_NORMS),
        message=message,
        error=error,
    )


@router.post("/revisions/{revision_id}")
async def decide_revision(
    request: Request,
    revision_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: Annotated[Session, page(Permission.DECIDE_REVISIONS, Permission.MANAGE_NORMS)],
) -> HTMLResponse:
    form = await posted(request, session)
    step, reason = str(form.get("step", "")), str(form.get("reason", ""))
    try:
        verdict = Verdict(str(form.get("decision", "")))
    except ValueError as err:
        raise PageError(422, "Choose approve, reject or withdraw.") from err
    allowed = (
        session.account.allows(Permission.MANAGE_NORMS)
        if verdict is Verdict.WITHDRAW
        else may_decide(session.account.grants, step)
    )
    if not allowed:
        raise PageError(403, f"The {step} step is not yours to take.")
    try:
        await run_in_threadpool(
            revisions.decide,
            engine_of(request),
            revision_id,
            step,
            verdict,
            session.account.username,
            reason,
            dt.date.today(),
        )
    except Refused as err:
        return _revision_page(request, session, revision_id, status_of(err), error=str(err))
    return _revision_page(
        request, session, revision_id, message=f"{step}: {verdict.value} recorded."
    )


@router.get("/shifts")
def shifts_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_SHIFTS)],
    period: PeriodText = None,
    unit: Annotated[str | None, Query(max_length=500)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    if unit:
        _in_scope(session, Permission.VIEW_SHIFTS, unit)
    chosen, text = _period(request, period)
    subtrees = session.account.scopes(Permission.VIEW_SHIFTS)
    # One page is read and worked out, and one shift more to know whether another page follows.
    offset = (page - 1) * SHIFTS_PER_PAGE
    found = dashboard.shifts(
        engine_of(request), chosen, subtrees, unit or None, limit=SHIFTS_PER_PAGE + 1, offset=offset
    )
    return render(
        request,
        "shifts.html",
        session,
        title="Shifts",
        period=text,
        unit=unit or "",
        shifts=found[:SHIFTS_PER_PAGE],
        page=page,
        newer=_page_link(request, page - 1) if page > 1 else None,
        older=_page_link(request, page + 1) if len(found) > SHIFTS_PER_PAGE else None,
        may_enter=session.account.scopes(Permission.ENTER_SHIFTS) != [],
        signed=signoffs.states(engine_of(request), found[:SHIFTS_PER_PAGE]),
    )


SHIFTS_PER_PAGE = 300


def _page_link(request: Request, page: int) -> str:
    """This page's address with another page number, its other choices kept."""
    query = dict(request.query_params) | {"page": str(page)}
    return f"{request.url.path}?{urlencode(query)}"


@router.post("/shifts/void")
async def void_shift(
    request: Request, session: Annotated[Session, page(Permission.ENTER_SHIFTS)]
) -> Response:
    form = await posted(request, session)
    shift_id, reason = str(form.get("shift_id", "")), str(form.get("reason", ""))
    engine = engine_of(request)
    found = dashboard.shift(engine, shift_id)
    if found is None:
        raise PageError(404, f"There is no shift {shift_id}.")
    _in_scope(session, Permission.ENTER_SHIFTS, found.workplace)
    await run_in_threadpool(
        corrections.void_shift, engine, shift_id, reason, session.account.username
    )
    return RedirectResponse(
        f"/shifts?period={found.date.isoformat()}..{found.date.isoformat()}", 303
    )


def _pay_slips(request: Request, session: Session, chosen: Period) -> Any:
    """The period's slips of workers in the viewer's scope, or the problems that block them."""
    engine = engine_of(request)
    found = payroll.slips(engine, chosen)
    subtrees = session.account.scopes(Permission.VIEW_PAY)
    units = {w.worker_id: w.unit for w in reports.workers(engine)}
    shown = [s for s in found.slips if within_any(units.get(s.worker_id, ""), subtrees)]
    return found, shown


SLIPS_PER_PAGE = 50


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
    listed = slip_lists.matching(shown, q)
    may_close = session.account.allows(Permission.CLOSE_PERIODS)
    # What would block the lock, shown before the accountant is asked to confirm it.
    check = None
    if may_close and found.closed is None and not found.problems:
        check = lock_check.check(engine_of(request), chosen)
    return render(
        request,
        "payroll.html",
        session,
        title="Pay",
        period=text,
        start=chosen.start,
        end=chosen.end,
        closed=payroll.periods(engine_of(request)),
        this_period=found.closed,
        problems=[str(p) for p in found.problems],
        slips=shown,
        listed=slip_lists.paged(listed, page_number, SLIPS_PER_PAGE),
        totals=slip_lists.totals(listed),
        q=q or "",
        slip=chosen_slip,
        may_close=may_close,
        check=check,
    )


@router.get("/records")
def records_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_RECOGNITION)],
) -> HTMLResponse:
    return _records(request, session)


def _records(
    request: Request,
    session: Session,
    code: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    account = session.account
    units = {w.worker_id: w.unit for w in reports.workers(engine)}
    deciding = account.scopes(Permission.VERIFY_RECORDS)
    registering = account.scopes(Permission.REGISTER_RECORDS)
    shown_claims = []
    if deciding != [] or registering != []:
        for state in dashboard.claim_states(engine):
            unit = units.get(state.claim.worker_id, "")
            if (deciding != [] and within_any(unit, deciding)) or (
                registering != [] and within_any(unit, registering)
            ):
                shown_claims.append(records.state_dict(state))
    standing = records.listing(engine)
    names = {w.worker_id: w.name for w in reports.workers(engine)}
    return render(
        request,
        "records.html",
        session,
        status=code,
        title="Records",
        standing=[_record_row(r, names) for r in standing if r["scope"] != records.HISTORICAL],
        historical=[r for r in standing if r["scope"] == records.HISTORICAL],
        claims=shown_claims,
        may_verify=deciding != [],
        may_register=registering != [],
        workers=[w for w in reports.workers(engine) if within_any(w.unit, registering)]
        if registering != []
        else [],
        message=message,
        error=error,
    )


def _record_row(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A standing record as a person reads it: who holds it, where, and the value with its unit
    (percentages to one decimal, as everywhere)."""

    def shown(value: Any) -> str:
        if value is None:
            return "–"
        number = Decimal(str(value))
        if row["measure"] == "percent":
            return f"{plain(rounding.percent(number))}%"
        unit = row.get("unit") or ""
        per = "/h" if row["measure"] == "per-hour" else ""
        return f"{plain(number, 3)} {unit}{per}".strip()

    return {
        **row,
        "where": "personal best" if row["scope"] == "worker" else row.get("scope_id") or "",
        "name": names.get(row.get("worker_id") or "", row.get("worker_id") or ""),
        "shown_value": shown(row.get("value")),
        "shown_fair": shown(row.get("fair_value")),
    }


@router.post("/records")
async def record_action(
    request: Request,
    session: Annotated[Session, page(Permission.VERIFY_RECORDS, Permission.REGISTER_RECORDS)],
) -> HTMLResponse:
    """Register an attempt (foreman), or verify or reject a claim (auditor outside the crew)."""
    form = await posted(request, session)
    values = fields(
        form, "action", "claim_id", "text", "worker_id", "operation", "date", "shift_id"
    )
    engine, account = engine_of(request), session.account
    action = values["action"]
    try:
        if action == "register":
            worker = dashboard.worker(engine, values["worker_id"])
            if worker is None or not account.allows(Permission.REGISTER_RECORDS, worker.unit):
                raise PageError(403, "That worker is not in your scope.")
            crew = [
                CrewMember(w.strip(), o.strip() or "assist")
                for w, _, o in (
                    part.partition(":")
                    for part in str(form.get("crew", "")).split(",")
                    if part.strip()
                )
            ]
            claim = await run_in_threadpool(
                lambda: claims.register(
                    engine,
                    worker_id=values["worker_id"],
                    operation=values["operation"],
                    date=parse_date(values["date"]),
                    by=account.username,
                    shift_id=values["shift_id"] or None,
                    crew=crew,
                    conditions=Conditions(str(form.get("conditions", "standard"))),
                    witnesses=str(form.get("witnesses", "")).split(","),
                )
            )
            message = f"Attempt {claim.claim_id} registered for {worker.name}."
        elif action in ("verify", "reject"):
            try:
                dashboard.claim_to_decide(
                    engine,
                    values["claim_id"],
                    lambda unit: account.allows(Permission.VERIFY_RECORDS, unit),
                    (account.username, account.display_name, account.worker_id),
                )
            except LookupError as err:
                raise PageError(403, f"Not decided: {err}.") from err
            if action == "verify":
                decision, _ = await run_in_threadpool(
                    records.verify, engine, values["claim_id"], account.username, values["text"]
                )
            else:
                decision = await run_in_threadpool(
                    claims.reject, engine, values["claim_id"], account.username, values["text"]
                )
            message = f"Claim {decision.claim_id}: {decision.status.value}."
        else:
            raise PageError(422, "Unknown action.")
    except InvalidValue as err:
        return _records(request, session, 422, error=f"{err.field} {err.reason}")
    except Refused as err:
        return _records(request, session, status_of(err), error="; ".join(err.reasons))
    return _records(request, session, message=message)


@router.get("/honour")
def honour_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_RECOGNITION)],
    period: PeriodText = None,
    unit: Annotated[str | None, Query(max_length=500)] = None,
    wall: bool = False,
    operation: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The honour board: by fair fulfilment, never by pay, with the rules of who is ranked.
    With `wall`, the board alone, sized to fill a wall screen without scrolling, and refreshed
    every few minutes."""
    chosen, text = _period(request, period)
    engine = engine_of(request)
    paths = dashboard.unit_paths(engine, None)
    roots = [u for u in paths if "/" not in u]
    chosen_unit = unit or (roots[0] if roots else "")
    operation = operation or None
    people, teams = [], []
    if chosen_unit:
        people = honour.board(engine, chosen_unit, chosen, workers=True, operation=operation)
        teams = honour.board(engine, chosen_unit, chosen, operation=operation)
    with_units_below = {p.rsplit("/", 1)[0] for p in paths if "/" in p}
    return render(
        request,
        "honour.html",
        session,
        title=f"Honour board of {chosen_unit}, {text}" if wall else "Honour board",
        period=text,
        unit=chosen_unit,
        units=paths,
        people=[replace(e, unit=_below(e.unit, chosen_unit)) for e in people[:12]],
        teams=[
            {
                "rank": e.rank,
                "name": _below(e.name, chosen_unit),
                "own_staff": e.name in with_units_below,
                "workers": e.workers,
                "shifts": e.shifts,
                "fair_percent": e.fair_percent,
            }
            for e in teams[:12]
        ],
        wall=wall,
        wall_url="/honour?"
        + urlencode(
            {"unit": chosen_unit, "period": text, "wall": "1"}
            | ({"operation": operation} if operation else {})
        ),
        rules=honour.rules(engine),
        operation=operation or "",
        operations=sorted({n.operation for n in reports.norms(engine)}),
    )


def _below(path: str | None, root: str) -> str:
    """A unit as seen from the board's unit: `Section 9/Brigade 1` on the mine's board."""
    if not path:
        return ""
    if path == root:
        return path.rsplit("/", 1)[-1]
    return path[len(root) + 1 :] if path.startswith(root + "/") else path


@router.get("/competitions")
def competitions_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_RECOGNITION)],
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    engine = engine_of(request)
    declared = dashboard.declared_competitions(engine)
    chosen = next((c for c in declared if c.name == name), declared[-1] if declared else None)
    report, rows, chart = None, [], None
    if chosen is not None:
        report = competitions.report(engine, chosen.name)
        rows = competitions.standing_rows(report.overall, chosen)
        chart = (
            charts.bars(
                f"{chosen.name}: {chosen.metric.value}, overall so far",
                [r["unit"] for r in rows],
                [charts.Series("score", [r["score"] for r in rows])],
                unit="%" if "fulfilment" in chosen.metric.value else "",
            )
            if rows
            else None
        )
    return render(
        request,
        "competitions.html",
        session,
        title="Competitions",
        declared=declared,
        chosen=chosen,
        report=report,
        rows=rows,
        rounds=[competitions.standing_rows(r, report.competition) for r in report.rounds]
        if report
        else [],
        banner=[competitions.holding_dict(h) for h in report.banner] if report else [],
        chart=chart,
    )


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
        reason = err.reason if isinstance(err, InvalidValue) else "choose what you dispute"
        if field == "reference" and values["reference"]:
            reason = f"{values['reference']} {reason}"  # the message names what it refuses
        found = dashboard.worker(engine_of(request), worker_id)
        if found is None:
            raise PageError(404, "Your account is not linked to a worker record.") from err
        return _profile(
            request,
            session,
            found,
            values["period"] or None,
            True,
            own=True,
            status=422,
            dispute={"values": values, "errors": {field: f"The dispute was not opened: {reason}."}},
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


@router.get("/disputes")
def disputes_page(
    request: Request, session: Annotated[Session, page(*DISPUTE_SEEING)]
) -> HTMLResponse:
    return _disputes(request, session)


def _disputes(
    request: Request, session: Session, status: int = 200, message: str | None = None
) -> HTMLResponse:
    engine = engine_of(request)
    account = session.account
    shown = [
        d for d in disputes.load(engine) if may_see(account, disputes.where(engine, d), d.subject)
    ]
    answerable = {
        d.dispute_id
        for d in shown
        if account.allows(
            ANSWERED_BY[d.subject],
            disputes.where(engine, d) if d.subject is Subject.SHIFT else None,
        )
    }
    names = {w.worker_id: w.name for w in reports.workers(engine)}
    return render(
        request,
        "disputes.html",
        session,
        status=status,
        title="Disputes",
        disputes=shown,
        answerable=answerable,
        names=names,
        message=message,
    )


@router.post("/disputes/{dispute_id}")
async def answer_dispute(
    request: Request,
    dispute_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: Annotated[Session, page(*ANSWERED_BY.values())],
) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "verdict", "text")
    engine = engine_of(request)
    found = next((d for d in disputes.load(engine) if d.dispute_id == dispute_id), None)
    if found is None:
        raise PageError(404, "There is no such dispute.")
    unit = disputes.where(engine, found) if found.subject is Subject.SHIFT else None
    if not session.account.allows(ANSWERED_BY[found.subject], unit):
        raise PageError(403, "This dispute is not yours to answer.")
    try:
        await run_in_threadpool(
            disputes.answer,
            engine,
            dispute_id,
            DisputeVerdict(values["verdict"]),
            values["text"],
            session.account.username,
        )
    except ValueError as err:
        reason = err.reason if isinstance(err, InvalidValue) else "choose a verdict"
        raise PageError(422, f"Not answered: {reason}.") from err
    return _disputes(request, session, message=f"Dispute {dispute_id} answered.")


@router.get("/history")
def history_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_HISTORY)]
) -> HTMLResponse:
    claims = history.claims()
    stated = [c for c in claims if c["percent"] is not None]
    chart = (
        charts.bars(
            "Historical claims: output over the stated norm",
            [f"{c['person']} {c['date'] or ''} (norm {c['norm']})" for c in stated],
            [charts.Series("claimed", [c["percent"] for c in stated])],
        )
        if stated
        else None
    )
    return render(request, "history.html", session, title="History", claims=claims, chart=chart)


@router.get("/batches")
def batches_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_BATCHES, organisation_wide=True)],
) -> HTMLResponse:
    return render(
        request,
        "batches.html",
        session,
        title="Ledger writes",
        batches=dashboard.recent_batches(engine_of(request)),
    )


# --- writing ----------------------------------------------------------------------------


_CORRECT_OPTION = re.compile(r"use --correct")
ON_THE_FORM = "tick 'This corrects a shift already recorded'"
AT_THE_KIOSK = re.compile(r"use --correct.*$")


def _field_errors(
    problems: list[Problem], correct: tuple[re.Pattern[str], str] = (_CORRECT_OPTION, ON_THE_FORM)
) -> dict[str, str]:
    """Problems keyed by form field: `date`, `crew.2.hours`, ...

    The import speaks of the command line's `--correct`; a page says what to do there.
    """
    pattern, instead = correct
    found: dict[str, str] = {}
    for p in problems:
        key = ".".join(str(part) for part in problem_loc(p)[1:])
        message = pattern.sub(instead, p.message)
        found[key] = f"{found[key]}; {message}" if key in found else message
    return found


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
    return render(request, "import.html", session, title="Import")


@router.get("/kiosk")
def kiosk_page(
    request: Request,
    session: Annotated[Session, page(Permission.RUN_KIOSK)],
) -> HTMLResponse:
    return _kiosk(request, session)


def _kiosk(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
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
        title="Kiosk",
        bare=True,  # a terminal at the workplace: no way into the foreman's other pages
        shifts=dashboard.shifts(engine, recent, subtrees, limit=60),
        message=message,
        error=error,
        errors=errors or {},
        values=values or {},
    )


@router.post("/kiosk")
async def kiosk_entry(
    request: Request, session: Annotated[Session, page(Permission.RUN_KIOSK)]
) -> HTMLResponse:
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
        return _kiosk(request, session, status_of(err), error=str(err), values=values)
    if not ok:
        return _kiosk(request, session, 401, error="Wrong worker number or PIN.", values=values)
    batch = ShiftForm(None, crew=[values]).batch(f"kiosk: {values['worker_id']}")
    author = f"{values['worker_id']} by PIN at {session.account.username}'s kiosk"
    try:
        await run_in_threadpool(enter, engine, batch, session.account.allows, author=author)
    except REFUSALS as err:
        told = _field_errors(err.problems, (AT_THE_KIOSK, "ask the foreman to correct the shift"))
        errors = {k.rsplit(".", 1)[-1]: v for k, v in told.items()}
        return _kiosk(request, session, 422, errors=errors, values=values)
    message = (
        f"Thank you. {values['worker_id']} recorded on shift {values['shift_id']}: "
        f"{values['operation']}, {values['hours']} h."
    )
    return _kiosk(request, session, 201, message=message)


@router.get("/pins")
def pins_page(
    request: Request, session: Annotated[Session, page(Permission.SET_PINS)]
) -> HTMLResponse:
    return _pins(request, session)


def _pins(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    subtrees = session.account.scopes(Permission.SET_PINS)
    found = [w for w in reports.workers(engine_of(request)) if within_any(w.unit, subtrees)]
    return render(
        request,
        "pins.html",
        session,
        status=status,
        title="Kiosk PINs",
        workers=found,
        message=message,
        errors=errors or {},
    )


@router.post("/pins")
async def set_pin(
    request: Request, session: Annotated[Session, page(Permission.SET_PINS)]
) -> HTMLResponse:
    form = await posted(request, session)
    worker_id, pin = str(form.get("worker_id", "")).strip(), str(form.get("pin", ""))
    engine = engine_of(request)
    found = dashboard.worker(engine, worker_id)
    if found is None:
        return _pins(request, session, 422, errors={"worker_id": "no such worker"})
    if not session.account.allows(Permission.SET_PINS, found.unit):
        return _pins(request, session, 403, errors={"worker_id": "outside your scope"})
    try:
        await run_in_threadpool(
            accounts.set_pin, engine, worker_id, pin, author=session.account.username
        )
    except InvalidValue as err:
        return _pins(request, session, 422, errors={err.field: err.reason})
    return _pins(request, session, message=f"PIN set for {found.name} ({worker_id}).")


Admin = Annotated[Session, page(Permission.MANAGE_USERS, organisation_wide=True)]


def _users(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    return render(
        request,
        "users.html",
        session,
        status=status,
        title="Users and roles",
        users=accounts.accounts(engine),
        roles=[r.value for r in Role],
        units=dashboard.unit_paths(engine, None),
        message=message,
        errors=errors or {},
        values=values or {},
    )


@router.get("/admin/users")
def users_page(request: Request, session: Admin) -> HTMLResponse:
    return _users(request, session)


@router.post("/admin/users")
async def add_user(request: Request, session: Admin) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "username", "display_name", "worker_id", "role", "scope")
    try:
        grant = Grant(Role(values["role"]), values["scope"] or None)
        created = await run_in_threadpool(
            lambda: accounts.add_user(
                engine_of(request),
                values["username"],
                str(form.get("password", "")),
                author=session.account.username,
                display_name=values["display_name"] or None,
                worker_id=values["worker_id"] or None,
                grants=[grant],
            )
        )
    except ValueError as err:
        field = err.field if isinstance(err, InvalidValue) else "role"
        reason = err.reason if isinstance(err, InvalidValue) else "choose a role"
        return _users(request, session, 422, errors={field: reason}, values=values)
    return _users(request, session, 201, message=f"User {created.username} created.")


@router.post("/admin/users/{user_id}")
async def change_user(request: Request, user_id: int, session: Admin) -> HTMLResponse:
    """One form per user: grant a role, revoke a grant, (de)activate, or reset the password."""
    form = await posted(request, session)
    engine, author = engine_of(request), session.account.username
    action = str(form.get("action", ""))
    try:
        if action == "grant":
            scope = str(form.get("scope", "")).strip() or None
            grant = Grant(Role(str(form.get("role", ""))), scope)
            await run_in_threadpool(
                lambda: accounts.add_grant(engine, user_id, grant, author=author)
            )
        elif action.startswith("revoke:"):
            grant_id = int(action.partition(":")[2])
            await run_in_threadpool(
                lambda: accounts.revoke_grant(engine, user_id, grant_id, author=author)
            )
        elif action in ("activate", "deactivate"):
            await run_in_threadpool(
                lambda: accounts.change_user(
                    engine, user_id, author=author, active=action == "activate"
                )
            )
        elif action == "password":
            password = str(form.get("password", ""))
            await run_in_threadpool(
                lambda: accounts.change_user(engine, user_id, author=author, password=password)
            )
        else:
            raise PageError(422, "Unknown action.")
    except LookupError as err:
        raise PageError(404, "No such user or grant.") from err
    except ValueError as err:
        reason = err.reason if isinstance(err, InvalidValue) else "choose a role"
        return _users(request, session, 422, errors={f"user{user_id}": reason})
    return _users(request, session, message="Saved.")
