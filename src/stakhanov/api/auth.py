"""Logging in and out, who am I, and the health check (the only route besides login open to all)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from stakhanov import __version__
from stakhanov.api import convert, models
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import Authenticated, client_of, engine_of
from stakhanov.services import accounts, dashboard

router = APIRouter(route_class=PolicyRoute, tags=["auth"])
PUBLIC = {("POST", "/api/auth/login"), ("GET", "/api/health")}
"""The routes open without credentials; every other route must refuse them."""


@router.get("/health")
def health() -> models.Health:
    """Whether the server is up (no credentials needed)."""
    return models.Health(status="ok", version=__version__)


@router.post("/auth/login", responses={401: {}, 429: {}})
def login(body: models.LoginIn, request: Request) -> models.LoginOut:
    """Open a session. Too many failures for a username or from a client answer 429."""
    opened = accounts.login(engine_of(request), body.username, body.password, client_of(request))
    return models.LoginOut(
        token=opened.token,
        csrf_token=opened.csrf_token,
        expires_at=opened.expires_at,
        user=convert.user(opened.account),
    )


@router.post("/auth/logout", status_code=204)
def logout(session: Authenticated, request: Request) -> None:
    """End this session."""
    accounts.logout(engine_of(request), session.token)


@router.get("/auth/me")
def me(session: Authenticated, request: Request) -> models.MeOut:
    """The logged-in user, their grants and permissions, and their worker record if linked."""
    account = session.account
    worker = None
    if account.worker_id:
        found = dashboard.worker(engine_of(request), account.worker_id)
        worker = convert.worker(found) if found else None
    return models.MeOut(
        user=convert.user(account), worker=worker, permissions=convert.permissions(account)
    )
