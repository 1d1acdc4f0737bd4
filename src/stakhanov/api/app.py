"""The FastAPI application: the REST API under /api/, its OpenAPI schema at /openapi.json."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from stakhanov import __version__
from stakhanov.api import (
    auth,
    disputes,
    errors,
    governance,
    jobs,
    ledger,
    payroll,
    recognition,
    reports,
    users,
)
from stakhanov.services.jobs import Jobs

DESCRIPTION = """Run work by norms with honest accounting.

Log in with `POST /api/auth/login` and send the token as `Authorization: Bearer <token>`.
Every route but login and health refuses a request without credentials (401), and a route
your roles do not allow, or a unit outside your scope, answers 403. Numbers are decimal
strings, so no digit is lost.
"""

PREFIX = "/api"
ROUTERS = (
    auth.router,
    users.router,
    reports.router,
    ledger.router,
    jobs.router,
    payroll.router,
    governance.router,
    recognition.router,
    disputes.router,
)
"""Every API route, grouped; the access tests walk these."""


def create_api(engine: Engine) -> FastAPI:
    """The API alone; `stakhanov.web.app.create_app` adds the pages."""
    app = FastAPI(
        title="stakhanov",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.jobs = Jobs()
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    return app
