"""What every page module shares: rendering in the reader's language with the navigation a
viewer's roles open, the period asked for, number and evidence filters, scope checks and form
errors. The pages themselves live in a module per area (web/session_pages.py, ledger_pages.py,
payroll_pages.py, kiosk.py, admin.py, ...), each with its own router, assembled in web/app.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from stakhanov import stored_texts
from stakhanov.api.errors import problem_loc
from stakhanov.api.security import engine_of
from stakhanov.domain import rounding
from stakhanov.domain.access import Permission
from stakhanov.domain.errors import InvalidValue, Problem
from stakhanov.domain.exact import ExactHours
from stakhanov.domain.periods import Period, parse_period
from stakhanov.i18n import N_, _, localized, ngettext, speaking
from stakhanov.services import (
    dashboard,
)
from stakhanov.services.accounts import Session
from stakhanov.web import language
from stakhanov.web.auth import (
    PageError,
)
from stakhanov.web.exports import export_link

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
templates.env.filters["worded"] = stored_texts.translate  # the domain's English texts (0870)
templates.env.globals["thousandth"] = thousandth
templates.env.globals["export_link"] = export_link
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
            raise PageError(
                422,
                _("Period '%(period)s' %(reason)s.")
                % {"period": text, "reason": localized(err.reason)},
            ) from err
    engine = engine_of(request)
    latest = (
        (worker_id and dashboard.latest_date(engine, worker_id))
        or dashboard.latest_date(engine)
        or dt.date.today()
    )
    month = f"{latest.year}-{latest.month:02d}"
    return parse_period(month), month


def _in_scope(session: Session, permission: Permission, unit: str) -> None:
    if not session.account.allows(permission, unit):
        raise PageError(403, _("%(unit)s is outside your scope.") % {"unit": unit})


# --- forms (the shift form, web/entry.py, and the kiosk, web/kiosk.py) ---------------------


CORRECT_OPTION = N_("use --correct")
"""How an import's problem names the command line's option; a page says what to do there."""
ON_THE_FORM = N_("tick 'This corrects a shift already recorded'")


def _field_errors(
    problems: list[Problem], instead: str = ON_THE_FORM, to_the_end: bool = False
) -> dict[str, str]:
    """Problems keyed by form field (`date`, `crew.2.hours`, ...), in the reader's language.

    The import speaks of the command line's `--correct`; a page says what to do there instead
    (the kiosk, its whole advice: `to_the_end`). Translations keep the option's phrase whole.
    """
    pattern = re.compile(re.escape(_(CORRECT_OPTION)) + (".*$" if to_the_end else ""))
    found: dict[str, str] = {}
    for p in problems:
        key = ".".join(str(part) for part in problem_loc(p)[1:])
        message = pattern.sub(lambda _match: _(instead), localized(p.message))
        found[key] = f"{found[key]}; {message}" if key in found else message
    return found
