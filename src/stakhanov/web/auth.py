"""Pages know their viewer by the session cookie; forms carry the session's CSRF token.

A page the viewer may not see answers 403 with a page saying so; without a session it sends
the browser to the login page and back afterwards.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request

from stakhanov.api.security import COOKIE, Requirement, csrf_matches, engine_of
from stakhanov.domain.access import Permission
from stakhanov.i18n import _
from stakhanov.services import accounts
from stakhanov.services.accounts import Session

LOGIN_CSRF_COOKIE = "stakhanov_login_csrf"


class LoginNeeded(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageError(Exception):
    """A page that cannot be shown: 403, 404 or a bad form, with words for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def own_worker_id(session: Session) -> str:
    """The worker a person's own page speaks of; 403 for an account that is no worker's."""
    worker_id = session.account.worker_id
    if not worker_id:
        raise PageError(403, _("Your account is not linked to a worker record."))
    return worker_id


def login_url(next_url: str) -> str:
    return f"/login?next={quote(next_url, safe='/')}"


def viewer(request: Request) -> Session:
    token = request.cookies.get(COOKIE)
    session = accounts.session(engine_of(request), token) if token else None
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginNeeded(target)
    return session


Viewer = Annotated[Session, Depends(viewer)]


def page(*permissions: Permission, organisation_wide: bool = False) -> Any:
    """A page's dependency: the viewer, who must hold one of the permissions."""
    requirement = Requirement(*permissions, organisation_wide=organisation_wide)

    def check(session: Viewer) -> Session:
        if not requirement.met_by(session.account):
            raise PageError(403, _("Your roles do not include this page."))
        return session

    check.requirement = requirement  # type: ignore[attr-defined]
    return Depends(check)


def check_form_csrf(session: Session, form: Any) -> None:
    offered = form.get("csrf_token")
    if not csrf_matches(session, offered if isinstance(offered, str) else None):
        raise PageError(
            403, _("This form has expired. Go back, reload the page and send it again.")
        )


async def posted(request: Request, session: Session) -> Any:
    """The form a page posted, once its CSRF token is checked."""
    form = await request.form()
    check_form_csrf(session, form)
    return form


def fields(form: Any, *names: str) -> dict[str, str]:
    """Form fields as trimmed text; a missing field is empty."""
    return {name: str(form.get(name, "")).strip() for name in names}


def new_login_token() -> str:
    return secrets.token_urlsafe(24)
