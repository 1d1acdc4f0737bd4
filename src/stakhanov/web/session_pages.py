"""Logging in and out: the login form (with its own CSRF cookie, before any session) and the
end of a session."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import status_of
from stakhanov.api.hardening import is_https
from stakhanov.api.security import COOKIE, client_of, engine_of
from stakhanov.domain.errors import Refused
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from stakhanov.i18n import N_, _, ngettext
from stakhanov.services import accounts
from stakhanov.web.auth import LOGIN_CSRF_COOKIE, Viewer, new_login_token, posted
from stakhanov.web.language import YEAR
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)
TITLE = N_("Log in")


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    token = new_login_token()
    response = render(request, "login.html", None, title=TITLE, next=next, login_csrf=token)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request)
    )
    return response


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


def refusal_text(err: Refused) -> str:
    """A refused login (or PIN) in the reader's words."""
    if isinstance(err, accounts.TooManyAttempts):
        minutes = max(1, -(-err.retry_after // 60))  # rounded up: never "0 minutes"
        return ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            minutes,
        ) % {"num": minutes}
    return _("Wrong username or password.")


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "/")))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    error, status = None, 200
    if not expected or form.get("csrf_token") != expected:
        error, status = _("The login form expired; please try again."), 403
    else:
        try:
            opened = await run_in_threadpool(
                accounts.login, engine_of(request), username, password, client_of(request)
            )
        except Refused as err:
            status, error = status_of(err), refusal_text(err)
    if error:
        token = new_login_token()
        response = render(
            request,
            "login.html",
            None,
            status=status,
            title=TITLE,
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
    if opened.account.language:  # his own choice follows him to this browser
        redirect.set_cookie(
            LANGUAGE_COOKIE, opened.account.language, max_age=YEAR, httponly=True, samesite="lax"
        )
    return redirect


@router.post("/logout")
async def logout(request: Request, session: Viewer) -> Response:
    await posted(request, session)
    await run_in_threadpool(accounts.logout, engine_of(request), session.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
