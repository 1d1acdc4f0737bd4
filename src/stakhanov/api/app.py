"""The FastAPI application: the REST API under /api/, its OpenAPI schema at /openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from stakhanov import __version__
from stakhanov.api import (
    admission,
    auth,
    awards,
    disputes,
    errors,
    governance,
    hardening,
    jobs,
    ledger,
    limits,
    organisation,
    pay_exports,
    payroll,
    recognition,
    registry,
    reports,
    users,
    work_orders,
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
    pay_exports.router,
    governance.router,
    recognition.router,
    awards.router,
    disputes.router,
    registry.router,
    organisation.router,
    work_orders.router,
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
    admission.install(app, engine)  # innermost: the limits and headers apply to its 503 too
    limits.install(app)
    hardening.install(app)  # after the limits: its headers are on their refusals too
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)

    @app.middleware("http")
    async def allow_every_method(request: Request, call_next: Any) -> Response:
        """A 405 lists every method the path has (the router names only the first route's)."""
        response: Response = await call_next(request)
        path = request.url.path
        if response.status_code == 405 and path.startswith(PREFIX):
            inner = path[len(PREFIX) :]
            matching = [
                route
                for router in ROUTERS
                for route in router.routes
                if isinstance(route, APIRoute) and route.path_regex.match(inner)
            ]
            # A fixed path (/records/claims/results) is not also an id (/records/claims/{id}).
            exact = [route for route in matching if route.path == inner]
            allowed = {method for route in exact or matching for method in route.methods or ()}
            if allowed:
                response.headers["Allow"] = ", ".join(sorted(allowed))
        return response

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_refusals(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


REFUSAL = {
    "title": "Refusal",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
            "description": "Why, or one {loc, msg, type} per field at fault.",
        },
        "problems": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["detail"],
}
REFUSALS = {
    "400": "The body could not be read (not JSON, or not the encoding declared).",
    "401": "No credentials, or a session that has expired or ended.",
    "403": "Your roles, or your scope, do not allow this.",
    "404": "Nothing by that id.",
    "413": "The request, all files together, is larger than 50 MiB.",
    "422": "A value is refused; each problem names its field.",
}


def document_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """Every answer a route can give is in its published schema: 401 and 403 wherever
    credentials are needed, 400 and 422 where a body or parameters are read, 404 where a path
    names something, 413 where files are uploaded."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = REFUSAL
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            codes = []
            if (method.upper(), path) not in auth.PUBLIC:
                codes += ["401", "403"]
            parameters = operation.get("parameters", [])
            body = operation.get("requestBody")
            if body:
                codes += ["400", "422"]
            if parameters:
                codes.append("422")
            if any(p.get("in") == "path" for p in parameters):
                codes.append("404")
            if body and "multipart/form-data" in body.get("content", {}):
                codes.append("413")
            answers = operation.setdefault("responses", {})
            for code in codes:
                described = answers.setdefault(code, {})
                described.setdefault("description", REFUSALS[code])
                if code != "422" or "content" not in described:
                    described.setdefault(
                        "content",
                        {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
                    )
    return schema
