"""Every role against every endpoint, generated from the route table: what must be refused is.

A route without a `Requirement` must be one of the declared public routes, so a new route that
forgets its permission fails here before it ships.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from stakhanov.api.app import PREFIX, ROUTERS
from stakhanov.api.auth import PUBLIC
from stakhanov.api.security import COOKIE, Requirement
from stakhanov.services import accounts
from tests.api.conftest import USERS, Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

PATH_VALUES = {
    "worker_id": "H1",
    "user_id": "1",
    "grant_id": "1",
    "job_id": "no-such-job",
    "shift_id": "S1",
    "revision_id": "1",
    "claim_id": "C1",
    "dispute_id": "1",
    "name": "no-such-competition",
    "link_id": "1",
    "title_id": "1",
    "award_id": "1",
}


def _requirements(dependant: Dependant) -> Iterator[Requirement]:
    for sub in dependant.dependencies:
        if isinstance(sub.call, Requirement):
            yield sub.call
        yield from _requirements(sub)


def api_routes(site: Site) -> list[tuple[str, str, Requirement | None]]:
    """(method, path, requirement) for every API route; None where the route is open."""
    found = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            requirements = list(_requirements(route.dependant))
            assert len(requirements) <= 1, route.path
            for method in sorted(route.methods):
                requirement = requirements[0] if requirements else None
                found.append((method, PREFIX + route.path, requirement))
    # The routers are the whole API: the published schema lists exactly these routes.
    schema = site.app.openapi()["paths"]
    published = {(m.upper(), p) for p, ops in schema.items() for m in ops if p.startswith(PREFIX)}
    assert published == {(m, p) for m, p, _ in found}
    assert len(found) > 20
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)


async def test_only_login_and_health_are_open(site: Site) -> None:
    open_routes = {(m, p) for m, p, r in api_routes(site) if r is None}
    assert open_routes == PUBLIC


async def test_every_other_route_refuses_a_request_without_credentials(site: Site) -> None:
    refused_wrongly = []
    async with site.client() as client:
        for method, path, requirement in api_routes(site):
            if requirement is None:
                continue
            for headers in ({}, {"Authorization": "Bearer forged-token"}):
                response = await client.request(method, concrete(path), headers=headers)
                if response.status_code != 401:
                    refused_wrongly.append((method, path, headers, response.status_code))
    assert refused_wrongly == []


async def test_every_role_is_refused_what_it_may_not_do(site: Site) -> None:
    wrong = []
    checked = 0
    for username in USERS:
        account = accounts.account_named(site.engine, username)
        assert account is not None
        async with site.client(username) as client:
            for method, path, requirement in api_routes(site):
                if requirement is None:
                    continue
                allowed = requirement.met_by(account)
                if allowed and method != "GET":
                    continue  # writes by allowed roles are tested with real bodies elsewhere
                response = await client.request(method, concrete(path))
                checked += 1
                if allowed and response.status_code in (401, 403):
                    wrong.append((username, method, path, "refused", response.status_code))
                if not allowed and response.status_code != 403:
                    wrong.append((username, method, path, "let through", response.status_code))
    assert wrong == []
    assert checked > 100


async def test_the_matrix_refuses_roles_as_documented(site: Site) -> None:
    """Spot checks that the generated matrix means what the issue says."""
    by_route = {(m, p): r for m, p, r in api_routes(site)}

    def may(username: str, method: str, path: str) -> bool:
        account = accounts.account_named(site.engine, username)
        requirement = by_route[(method, path)]
        return account is not None and requirement is not None and requirement.met_by(account)

    assert may("admin", "POST", "/api/users")
    assert not may("director", "POST", "/api/users")
    assert not may("admin", "GET", "/api/fulfilment")
    assert may("foreman", "POST", "/api/shifts")
    assert not may("auditor", "POST", "/api/shifts")
    assert not may("worker", "GET", "/api/workers")
    assert may("worker", "GET", "/api/me/fulfilment")
    assert not may("foreman", "GET", "/api/audit")
    assert may("auditor", "GET", "/api/audit")
    # The admin manages accounts and sees no output: titles carry fulfilment as evidence.
    assert not may("admin", "GET", "/api/titles")
    assert may("admin", "GET", "/api/workers/{worker_id}/notice")


SCOPED_GETS = [
    ("/api/workers", {"unit": "Mine/Section 1/Brigade 2"}),
    ("/api/fulfilment", {"unit": "Mine/Section 1/Brigade 2"}),
    ("/api/trend", {"unit": "Mine/Section 1"}),
    ("/api/shifts", {"unit": "Works"}),
    ("/api/workers/H3", {}),
    ("/api/workers/H3/fulfilment", {}),
]


async def test_a_foreman_is_refused_outside_his_brigade(site: Site) -> None:
    async with site.client("foreman") as client:
        for path, params in SCOPED_GETS:
            response = await client.get(path, params=params)
            assert response.status_code == 403, (path, response.text)
            assert "outside your scope" in response.json()["detail"]
        inside = await client.get("/api/workers/H1/fulfilment")
        assert inside.status_code == 200


async def test_cookie_writes_need_the_csrf_token(site: Site) -> None:
    login = await site.login("admin")
    token, csrf = login.json()["token"], login.json()["csrf_token"]
    async with site.client() as client:
        client.cookies.set(COOKIE, token)
        body = {"username": "newcomer", "password": "a long enough one"}
        refused = await client.post("/api/users", json=body)
        assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
        forged = await client.post("/api/users", json=body, headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
        accepted = await client.post("/api/users", json=body, headers={"X-CSRF-Token": csrf})
        assert accepted.status_code == 201, accepted.text
        assert (await client.get("/api/users")).status_code == 200


async def test_credentials_are_checked_before_anything_else_is_looked_at(site: Site) -> None:
    """A route's requirement is its first dependency, so a bad query never answers first."""
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            calls = [d.call for d in route.dependant.dependencies]
            first = next((c for c in calls if c is not None), None)
            if any(isinstance(c, Requirement) for c in calls):
                assert isinstance(first, Requirement), route.path
