"""One refusal base, mapped once per edge: each kind has its HTTP status, its page and its exit
code, and every refusal a service raises derives from it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import httpx
import pytest
import typer
from fastapi import FastAPI
from typer.testing import CliRunner

import stakhanov.services
from stakhanov.api import errors
from stakhanov.cli.refusals import EXIT, RefusingGroup
from stakhanov.domain.errors import InvalidValue, Refusal, Refused
from stakhanov.services.accounts import TooManyAttempts
from stakhanov.services.importing import ImportRejected
from tests.api.conftest import Site
from tests.api.test_pages import page_client

STATUS = {
    Refusal.INVALID: 422,
    Refusal.NOT_FOUND: 404,
    Refusal.FORBIDDEN: 403,
    Refusal.CONFLICT: 409,
    Refusal.UNAUTHORIZED: 401,
    Refusal.LIMITED: 429,
}


def refusing_api() -> FastAPI:
    """An app with the API's own mapping and one route that refuses as it is asked to."""
    app = FastAPI()
    errors.install(app)

    @app.get("/refuse/{kind}")
    def refuse(kind: Refusal, field: str | None = None) -> None:
        raise Refused(f"refused as {kind.value}", field=field, kind=kind)

    return app


@pytest.mark.anyio
@pytest.mark.parametrize("kind", list(Refusal))
async def test_each_kind_has_its_http_status(kind: Refusal) -> None:
    transport = httpx.ASGITransport(app=refusing_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        plain = await client.get(f"/refuse/{kind.value}")
        located = await client.get(f"/refuse/{kind.value}", params={"field": "reason"})
    assert plain.status_code == located.status_code == STATUS[kind] == errors.STATUS[kind]
    assert located.json()["detail"] == [
        {"loc": ["body", "reason"], "msg": f"refused as {kind.value}", "type": kind.value}
    ]
    body = plain.json()["detail"]
    assert body == f"refused as {kind.value}" or body[0]["msg"] == f"refused as {kind.value}"


@pytest.mark.parametrize("kind", list(Refusal))
def test_each_kind_ends_a_command_with_its_exit_code_and_says_why(kind: Refusal) -> None:
    app = typer.Typer(cls=RefusingGroup)

    @app.command("refuse")
    def refuse() -> None:
        raise Refused(f"refused as {kind.value}", kind=kind)

    @app.command("other")
    def other() -> None: ...

    result = CliRunner().invoke(app, ["refuse"])
    assert result.exit_code == EXIT[kind] == 1
    assert result.stderr.splitlines()[0] == f"refused as {kind.value}"
    assert "nothing was written" in result.stderr and result.stdout == ""


def test_many_reasons_and_located_problems_are_one_line_each() -> None:
    app = typer.Typer(cls=RefusingGroup)

    @app.command("refuse")
    def refuse() -> None:
        raise Refused("first reason", "second reason")

    @app.command("other")
    def other() -> None: ...

    result = CliRunner().invoke(app, ["refuse"])
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and lines[:2] == ["first reason", "second reason"]
    assert "nothing was written" in lines[-1]


def test_every_refusal_a_service_raises_derives_from_the_base() -> None:
    """A new `...Refused` class that forgets the base would reach the edges unmapped."""
    found = []
    for module in pkgutil.iter_modules(stakhanov.services.__path__):
        loaded = importlib.import_module(f"stakhanov.services.{module.name}")
        for name, value in vars(loaded).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__ == loaded.__name__
                and not name.startswith("_")
            ):
                found.append(value)
    assert len(found) >= 18
    unmapped = [c.__name__ for c in found if not issubclass(c, Refused)]
    assert unmapped == []
    assert issubclass(ImportRejected, Refused)
    assert issubclass(InvalidValue, Refused) and issubclass(InvalidValue, ValueError)
    assert TooManyAttempts(60).kind is Refusal.LIMITED


@pytest.mark.anyio
@pytest.mark.storage
async def test_the_product_answers_a_refusal_by_its_kind(site: Site) -> None:
    """An unknown claim is not found, everywhere: API 404, page 404; a missing reason is a
    field's refusal (422)."""
    async with site.client("auditor") as auditor:
        unknown = await auditor.get("/api/records/claims/NOPE")
    async with site.client("director") as director:
        no_revision = await director.get("/api/revisions/999")
        cancelled = await director.post("/api/awards/999/cancel", json={"reason": "x"})
    assert unknown.status_code == no_revision.status_code == cancelled.status_code == 404
    async with await page_client(site, "director") as client:
        page = await client.get("/revisions/999")
    assert page.status_code == 404 and "No revision 999." in page.text
