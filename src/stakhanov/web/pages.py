"""The pages: one view per job, each showing only what the viewer's scope reaches."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import REFUSALS, problem_loc, status_of
from stakhanov.api.hardening import is_https
from stakhanov.api.security import COOKIE, client_of, engine_of
from stakhanov.domain import rounding, slip_lists
from stakhanov.domain.access import Grant, Permission, Role, within_any
from stakhanov.domain.errors import InvalidValue, Problem, Refused
from stakhanov.domain.periods import Period, parse_period
from stakhanov.i18n import ngettext, speaking
from stakhanov.services import (
    accounts,
    chain,
    corrections,
    dashboard,
    history,
    lock_check,
    payroll,
    reports,
    signoffs,
)
from stakhanov.services.accounts import Session
from stakhanov.services.entry import ShiftForm, enter
from stakhanov.web import charts, language
from stakhanov.web.auth import (
    LOGIN_CSRF_COOKIE,
    PageError,
    Viewer,
    fields,
    new_login_token,
    page,
    posted,
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("stakhanov.web") / "templates"))
language.install(templates.env)


def plain(value: Any, places: int = 6) -> Any:
    """A Decimal as people write it: no exponent, no trailing zeros, at most `places` decimals
    (a prorated norm such as 7 t x 149.75 h / 6 h has no end)."""
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


def _in_scope(session: Session, permission: Permission, unit: str) -> None:
    if not session.account.allows(permission, unit):
        raise PageError(403, f"{unit} is outside your scope.")


@router.get("/audit/chain")
def chain_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_AUDIT, organisation_wide=True)],
) -> HTMLResponse:
    """The hash chain recomputed on demand: intact, or every row changed behind it."""
    found = chain.verify_ledger(engine_of(request))
    state = chain.chain_state(found)
    return render(request, "chain.html", session, title="Ledger chain", state=state)


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
