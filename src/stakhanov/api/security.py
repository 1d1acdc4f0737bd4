"""Who is asking: a bearer token or the session cookie, and what they may do.

Every API route but login and health depends on a `Requirement`; the route table is therefore
the single source for the tests that try every role against every endpoint. A request that
authenticates by cookie (a browser) must also carry the session's CSRF token when it writes.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from stakhanov.api.hardening import client_address
from stakhanov.domain.access import Permission
from stakhanov.services import accounts
from stakhanov.services.accounts import Account, Session

COOKIE = "stakhanov_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/auth/login.")


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def client_of(request: Request) -> str:
    """The client the login limit counts: the peer, unless a trusted proxy names another."""
    return client_address(request)


def unauthorised(detail: str = "log in first") -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def forbidden(detail: str) -> HTTPException:
    return HTTPException(403, detail)


def token_of(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None and credentials.scheme.lower() == "bearer":
        return credentials.credentials
    return request.cookies.get(COOKIE)


def csrf_matches(session: Session, offered: str | None) -> bool:
    return offered is not None and hmac.compare_digest(offered, session.csrf_token)


def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Session:
    """The caller's live session, or 401. Cookie-borne writes need the CSRF header."""
    token = token_of(request, credentials)
    session = accounts.session(engine_of(request), token) if token else None
    if session is None:
        raise unauthorised("log in first" if token is None else "session expired or unknown")
    by_cookie = credentials is None
    writes = request.method not in SAFE_METHODS
    if by_cookie and writes and not csrf_matches(session, request.headers.get(CSRF_HEADER)):
        raise forbidden(f"missing or wrong {CSRF_HEADER} header")
    request.state.session = session
    return session


class Requirement:
    """A route's permission: any one of `permissions`, organisation-wide when asked."""

    def __init__(self, *permissions: Permission, organisation_wide: bool = False) -> None:
        self.permissions = permissions
        self.organisation_wide = organisation_wide

    def met_by(self, account: Account) -> bool:
        if not self.permissions:
            return True
        if self.organisation_wide:
            return any(account.allows(p, None) for p in self.permissions)
        return any(account.scopes(p) != [] for p in self.permissions)

    def __call__(self, session: Annotated[Session, Depends(authenticated)]) -> Session:
        if not self.met_by(session.account):
            wanted = " or ".join(p.value for p in self.permissions)
            where = " for the whole organisation" if self.organisation_wide else ""
            raise forbidden(f"you may not {wanted}{where}")
        return session


def requirement_of(route: APIRoute) -> Requirement | None:
    """The permission a route (an API call or a page) asks of its caller, if any."""
    for dependency in route.dependant.dependencies:
        found = getattr(dependency.call, "requirement", None)
        if isinstance(found, Requirement):
            return found
    return None


def requires(*permissions: Permission, organisation_wide: bool = False) -> object:
    """A dependency for a route: the session of a caller with one of the permissions."""
    return Depends(Requirement(*permissions, organisation_wide=organisation_wide))


def check_scope(account: Account, permission: Permission, units: Iterable[str]) -> None:
    """403 unless the permission reaches every unit."""
    outside = sorted({u for u in units if not account.allows(permission, u)})
    if outside:
        raise forbidden(f"outside your scope: {', '.join(outside)}")


def own_worker(session: Session) -> str:
    """The worker the caller is, for the routes of one's own data; 403 if none is linked."""
    if not session.account.worker_id:
        raise forbidden("your account is not linked to a worker")
    return session.account.worker_id


Authenticated = Annotated[Session, Depends(Requirement())]
