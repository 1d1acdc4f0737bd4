"""Every role against every endpoint, generated from the route table: what must be refused is.

A route without a `Requirement` must be one of the declared public routes, so a new route that
forgets its permission fails here before it ships.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from stakhanov.api.app import PREFIX, ROUTERS
from stakhanov.api.auth import PUBLIC
from stakhanov.api.security import COOKIE, Requirement
from stakhanov.data import preset_scales
from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts, reports
from stakhanov.services.scales import import_scales
from tests.api.conftest import PASSWORD, USERS, Site

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
    "method_id": "1",
    "course_id": "C1",
    "work_order": "no-such-work-order",
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
    # A bulk decision on findings has exactly the rights of a single one.
    assert may("auditor", "POST", "/api/audit/reviews/bulk")
    for username in ("worker", "foreman", "rate-setter", "accountant", "director", "admin"):
        assert may(username, "POST", "/api/audit/reviews/bulk") == may(
            username, "POST", "/api/audit/reviews"
        )
    # The admin manages accounts and sees no output: titles carry fulfilment as evidence.
    assert not may("admin", "GET", "/api/titles")
    # A notice tells the worker's fulfilment: the admin reads none of them.
    assert not may("admin", "GET", "/api/workers/{worker_id}/notice")
    assert not may("admin", "GET", "/api/workers/{worker_id}/notice.pdf")
    assert may("foreman", "GET", "/api/workers/{worker_id}/notice")
    # The equity report is read as the audit is; the organisation tools by foreman and director.
    for username in ("director", "auditor"):
        assert may(username, "GET", "/api/equity")
    for username in ("foreman", "worker", "accountant", "admin", "representative"):
        assert not may(username, "GET", "/api/equity")
    for tool in ("plan-crew", "balance-line", "simulate-site"):
        path = f"/api/organisation/{tool}"
        assert may("foreman", "POST", path) and may("director", "POST", path)
        for username in ("worker", "auditor", "accountant", "admin", "rate-setter"):
            assert not may(username, "POST", path)
    # Work orders: the accountant and the foreman read them, a worker his own share only.
    assert may("accountant", "GET", "/api/work-orders/{work_order}")
    assert may("foreman", "GET", "/api/work-orders/{work_order}")
    assert not may("worker", "GET", "/api/work-orders/{work_order}")
    assert may("worker", "GET", "/api/me/work-orders/{work_order}")
    assert not may("rate-setter", "GET", "/api/work-orders")


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


AUGUST = {"from": "1935-08-01", "to": "1935-08-31"}
NORMS = (
    b"operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from\n"
    b"hewing,t,output,14,6,timbering,40,1935-08-01\n"
)


async def _whatif(site: Site, username: str, files: dict[str, Any]) -> dict[str, Any]:
    async with site.client(username) as client:
        response = await client.post("/api/payroll/whatif", params=AUGUST, files=files)
    assert response.status_code == 200, (username, response.text)
    body: dict[str, Any] = response.json()
    return body


def _pay_shown(body: dict[str, Any]) -> bool:
    return any(w["old"] is not None for w in body["workers"])


async def test_the_whatif_shows_pay_only_within_rights(site: Site) -> None:
    """A scale alone is no norm revision: the rate-setter sees the workers' fulfilment in it and
    nobody's pay; with proposed norms he judges a revision and sees its pay, as on revisions."""
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    scale = {"scale": ("s.toml", preset_scales()["coal-1935"].read_bytes())}
    by_scale = await _whatif(site, "rate-setter", scale)
    assert by_scale["workers"] and not _pay_shown(by_scale)
    assert by_scale["old_total"] is None and by_scale["change"] is None
    assert all(w["needed"] == [] and w["more_percent"] is None for w in by_scale["workers"])
    assert any(w["old_percent"] is not None for w in by_scale["workers"])
    by_norms = await _whatif(site, "rate-setter", {"norms": ("norms.csv", NORMS)})
    assert _pay_shown(by_norms) and by_norms["old_total"] is not None
    accountant = await _whatif(site, "accountant", scale)
    assert _pay_shown(accountant)
    assert [w["worker_id"] for w in accountant["workers"]] == [
        w["worker_id"] for w in by_scale["workers"]
    ]
    async with site.client("foreman") as client:
        refused = await client.post("/api/payroll/whatif", params=AUGUST, files=scale)
    assert refused.status_code == 403


async def test_a_scoped_accountant_sees_the_whatif_of_his_units_only(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    accounts.add_user(
        site.engine,
        "brigade-accountant",
        PASSWORD,
        author="test",
        grants=[Grant(Role.ACCOUNTANT, "Mine/Section 1/Brigade 1")],
    )
    site.tokens["brigade-accountant"] = (await site.login("brigade-accountant")).json()["token"]
    scale = {"scale": ("s.toml", preset_scales()["coal-1935"].read_bytes())}
    everyone = await _whatif(site, "accountant", scale)
    mine = await _whatif(site, "brigade-accountant", scale)
    units = {w.worker_id: w.unit for w in reports.workers(site.engine)}
    seen = [w["worker_id"] for w in mine["workers"]]
    assert seen and all(units[w].startswith("Mine/Section 1/Brigade 1") for w in seen)
    assert len(seen) < len(everyone["workers"])
    shown = [w for w in everyone["workers"] if w["worker_id"] in seen]
    total = sum(Decimal(w["old"]) for w in shown)
    assert Decimal(mine["old_total"]) == total


async def test_the_admin_reads_no_worker_s_notice(site: Site) -> None:
    async with site.client("admin") as admin:
        assert (await admin.get("/api/workers/H1/notice")).status_code == 403
        assert (await admin.get("/api/workers/H1/notice.pdf")).status_code == 403
    async with site.client("foreman") as foreman:
        assert (await foreman.get("/api/workers/H1/notice")).status_code == 200
        assert (await foreman.get("/api/workers/H3/notice")).status_code == 403


async def test_the_impact_page_shows_a_scoped_accountant_his_units_only(site: Site) -> None:
    from tests.api.test_pages import page_client

    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    accounts.add_user(
        site.engine,
        "brigade-accountant",
        PASSWORD,
        author="test",
        grants=[Grant(Role.ACCOUNTANT, "Mine/Section 1/Brigade 1")],
    )
    site.tokens["brigade-accountant"] = (await site.login("brigade-accountant")).json()["token"]
    query = {"operation": "hewing", "norm": "14", "period": "1935-08"}
    pages = {}
    for username in ("brigade-accountant", "director"):
        async with await page_client(site, username) as client:
            response = await client.get("/norms/impact", params=query)
        assert response.status_code == 200, response.text
        pages[username] = response.text
    units = {w.worker_id: w.unit for w in reports.workers(site.engine)}
    shown = {name: set(re.findall(r'class="id">([^<]+)<', page)) for name, page in pages.items()}
    assert set() < shown["brigade-accountant"] < shown["director"]
    assert all("Brigade 1" in units[w] for w in shown["brigade-accountant"])
    assert any("Brigade 1" not in units[w] for w in shown["director"])
