"""Every role against every page of the reading and recognition areas, generated from the route
table as the API's matrix is: a page a role may open answers 200, one it may not answers 403
with the error page (the overview sends a viewer without it to their own start instead).

A page route without a requirement must be the overview, so a new page that forgets its
permission fails here before it ships.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from stakhanov.api.security import COOKIE, Requirement, requirement_of
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from stakhanov.services import accounts
from stakhanov.web import director, disputes, equity, norms, overview, people, recognition, skills
from tests.api.conftest import BRIGADE, USERS, Site, hero

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

ROUTERS = (overview, people, recognition, disputes, norms, director, equity, skills)
OPEN = {"/"}  # the overview checks for itself and sends others to their start
QUERIES = {"/units": {"unit": BRIGADE}}
PATH_VALUES = {"worker_id": "H1", "title_id": "1", "revision_id": "1"}
ABSENT = {"/revisions/{revision_id}"}  # the mini data set has no revision: 404 when allowed


def pages() -> list[tuple[str, Requirement | None]]:
    found = []
    for module in ROUTERS:
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            if "GET" in route.methods:
                found.append((route.path, requirement_of(route)))
    assert len(found) >= 20
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)


async def page_client(site: Site, username: str) -> httpx.AsyncClient:
    client = site.client()
    client.cookies.set(COOKIE, site.tokens[username])
    return client


def test_only_the_overview_checks_for_itself() -> None:
    assert {path for path, requirement in pages() if requirement is None} == OPEN


async def test_every_role_opens_its_pages_and_is_refused_the_others(site: Site) -> None:
    hero(site)  # title 1, for the revoke page
    wrong: list[tuple[Any, ...]] = []
    checked = 0
    for username in USERS:
        account = accounts.account_named(site.engine, username)
        assert account is not None
        async with await page_client(site, username) as client:
            for path, requirement in pages():
                response = await client.get(concrete(path), params=QUERIES.get(path, {}))
                checked += 1
                if requirement is None:
                    sees = account.scopes(requirement_free_permission()) != []
                    expected = 200 if sees else 303
                elif not requirement.met_by(account):
                    expected = 403
                elif path == "/me" and account.worker_id is None:
                    expected = 404  # an account that is no worker's has no own page
                else:
                    expected = 404 if path in ABSENT else 200
                if response.status_code != expected:
                    wrong.append((username, path, expected, response.status_code))
                if expected == 403:
                    assert "Your roles do not include this page." in response.text
    assert wrong == []
    assert checked >= 8 * 20


def requirement_free_permission() -> Any:
    from stakhanov.domain.access import Permission

    return Permission.VIEW_FULFILMENT


async def test_a_refused_page_says_so_in_the_readers_language(site: Site) -> None:
    async with await page_client(site, "admin") as client:
        client.cookies.set(LANGUAGE_COOKIE, "es")
        refused = await client.get("/norms/impact")
    assert refused.status_code == 403
    assert '<html lang="es">' in refused.text


@pytest.mark.parametrize("language", ["ru", "es"])
async def test_every_page_a_director_opens_speaks_the_language(site: Site, language: str) -> None:
    """The headings, captions and buttons of the pages come from the catalogs: none of the
    English words the pages are written with is left on a page in Russian or Spanish."""
    hero(site)
    english = re.compile(r">(Period|Show|Unit|Operation|Stated|Fair|Worker|Search)<")
    async with await page_client(site, "director") as client:
        client.cookies.set(LANGUAGE_COOKIE, language)
        for path, _requirement in pages():
            if path in ABSENT:
                continue
            response = await client.get(concrete(path), params=QUERIES.get(path, {}))
            if response.status_code != 200:
                continue
            assert f'<html lang="{language}">' in response.text, path
            assert english.findall(response.text) == [], path
