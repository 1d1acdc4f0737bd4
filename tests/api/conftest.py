"""An in-process application on each database, with the mini data set and one user per role."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from stakhanov.domain.access import Grant, Role
from stakhanov.domain.periods import parse_period
from stakhanov.services import accounts, titles
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.web.app import create_app
from tests.integration.helpers import MINI

PASSWORD = "correct horse battery"
BRIGADE = "Mine/Section 1/Brigade 1"
USERS: dict[str, tuple[Grant, str | None]] = {
    "worker": (Grant(Role.WORKER), "H1"),
    "foreman": (Grant(Role.FOREMAN, BRIGADE), None),
    "rate-setter": (Grant(Role.RATE_SETTER), None),
    "accountant": (Grant(Role.ACCOUNTANT), None),
    "auditor": (Grant(Role.AUDITOR), None),
    "director": (Grant(Role.DIRECTOR), None),
    "admin": (Grant(Role.ADMIN), None),
    "representative": (Grant(Role.REPRESENTATIVE), None),
}
"""One user per role, named after it; the foreman's scope is Brigade 1, the others' everything."""


@dataclass
class Site:
    app: FastAPI
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, username: str | None = None) -> httpx.AsyncClient:
        headers = {}
        if username is not None:
            headers["Authorization"] = f"Bearer {self.tokens[username]}"
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://testserver",
            headers=headers,
        )

    async def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        async with self.client() as client:
            return await client.post(
                "/api/auth/login", json={"username": username, "password": password}
            )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def populate(engine: Engine, folder: Path = MINI) -> None:
    import_batch(engine, read_source(folder, set(FORMATS)), author="test")
    for username, (grant, worker_id) in USERS.items():
        accounts.add_user(
            engine, username, PASSWORD, author="test", worker_id=worker_id, grants=[grant]
        )


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[Site]:
    populate(engine)
    built = Site(create_app(engine), engine)
    for username in USERS:
        response = await built.login(username)
        assert response.status_code == 200, response.text
        built.tokens[username] = response.json()["token"]
    yield built


def without_noise(html: str) -> str:
    """A page's text without what is random or drawn (form tokens, SVG), where a short id
    such as "L1" could turn up by chance."""
    html = re.sub(r'(csrf_token" value|data-csrf)="[^"]*"', "", html)
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def body_of(response: httpx.Response) -> Any:
    return response.json()


def hero(site: Site) -> int:
    """A title only an authority confers, for H1 over August (H1 worked S1 and S2 then)."""
    grant = titles.confer_by_authority(
        site.engine,
        worker_id="H1",
        title="hero-of-socialist-labour",
        authority="Mine committee",
        period=parse_period("1935-08"),
        reason="the record of 31 August",
        by="director",
    )
    return grant.title_id
