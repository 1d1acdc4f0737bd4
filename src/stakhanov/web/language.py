"""The pages' language: a cookie the header's selector sets (on every page, the kiosk's too),
else the browser's Accept-Language, else English (decision 0811)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from jinja2 import Environment
from starlette.types import ASGIApp, Receive, Scope, Send

from stakhanov.api.security import COOKIE as SESSION_COOKIE
from stakhanov.api.security import engine_of
from stakhanov.i18n import (
    COOKIE,
    LANGUAGES,
    N_,
    date,
    finding_kind,
    gettext_,
    known,
    localized,
    money,
    ngettext,
    number,
    of_request,
    pgettext,
    speaking,
)
from stakhanov.services import accounts

YEAR = 365 * 24 * 3600

router = APIRouter(include_in_schema=False)


# The navigation's labels (web/pages.py NAV), marked here so that extraction finds them.
NAV_LABELS = (
    N_("Overview"),
    N_("My work"),
    N_("My day"),
    N_("Workers"),
    N_("Shifts"),
    N_("Enter a shift"),
    N_("Kiosk"),
    N_("Import"),
    N_("Audit"),
    N_("Equity"),
    N_("Ledger chain"),
    N_("Pay"),
    N_("Norms"),
    N_("Norm impact"),
    N_("Revisions"),
    N_("Ledger writes"),
    N_("Users"),
    N_("Kiosk PINs"),
    N_("Records"),
    N_("Honour board"),
    N_("Competitions"),
    N_("Declare a competition"),
    N_("Titles"),
    N_("Approval policy"),
    N_("Disputes"),
    N_("History"),
    N_("Skills"),
    N_("Methods"),
)


def language_of(request: Request) -> str:
    """The reader's language: the selector's choice, else the browser's."""
    return of_request(request.cookies.get(COOKIE), request.headers.get("accept-language"))


def install(env: Environment) -> None:
    """`_()` and `ngettext()` in every template, answered in the language of the request."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext_, ngettext=ngettext, newstyle=True, pgettext=pgettext
    )
    env.globals["languages"] = LANGUAGES
    env.globals["N_"] = N_
    env.filters["money"] = money
    env.filters["local_number"] = _local_number
    env.filters["local_date"] = date
    env.filters["localized"] = localized  # a refusal's reason, a field's error
    env.filters["finding_kind"] = finding_kind


def _local_number(value: Any) -> str:
    """A number in the reader's locale; `plain` text (already rounded for showing) too. Text
    that is no decimal (hours kept as a fraction, "1/3") is shown as it is."""
    if isinstance(value, str):
        written: str = value
        try:
            value = Decimal(written)
        except InvalidOperation:
            return written
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return str(value)
    return number(value) if not isinstance(value, Decimal) or value.is_finite() else str(value)


def _safe_next(target: str) -> str:
    """Back to a page of this site only: a path, never another host (`//evil`, `/\\evil`)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/language")
def choose(
    request: Request,
    lang: Annotated[str, Query(max_length=20)],
    back: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> Any:
    """The header's selector: remember the language in a cookie, and on the account of whoever
    is logged in (it follows him to his next browser), and go back to the page."""
    response = RedirectResponse(_safe_next(back), status_code=303)
    chosen = known(lang)
    token = request.cookies.get(SESSION_COOKIE)
    session = accounts.session(engine_of(request), token) if token else None
    if session is not None:
        accounts.choose_language(engine_of(request), session.account.user_id, chosen)
    if chosen is None:
        response.delete_cookie(COOKIE)
    else:
        response.set_cookie(COOKIE, chosen, max_age=YEAR, httponly=True, samesite="lax")
    return response


class Speaking:
    """Every page's code speaks the reader's language while it runs, so that a flash message or
    a title made in Python reads as the template around it; the API (JSON) is left as it is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        with speaking(language_of(Request(scope))):
            await self.app(scope, receive, send)
