"""The director's pages (web/director.py): every role against every page, with the permission
of the API route it stands for; declaring, conferring, revoking and setting the policy from a
form, with the result shown after and a refusal beside its field."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import APIRoute

from stakhanov.api.app import PREFIX
from stakhanov.api.security import COOKIE
from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts, policies, titles
from stakhanov.web import director
from tests.api.conftest import PASSWORD, USERS, Site, hero
from tests.api.test_access_matrix import api_routes
from tests.api.test_pages import add_shift, nav_links, page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

SECTION = "Mine/Section 1"
API_OF = {
    "/competitions/declare": ("POST", "/competitions"),
    "/titles": ("POST", "/titles/conferrals"),
    "/titles/confer": ("POST", "/titles/conferrals"),
    "/titles/{title_id}/revoke": ("POST", "/titles/{title_id}/revoke"),
    "/policy": ("PUT", "/policy"),
}
"""Each page and the API route whose action it takes: both ask the same permission."""
NAVIGATED = ("/titles", "/competitions/declare", "/policy")
COMPETITION = {
    "name": "Brigades, September",
    "units": ["Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2"],
    "metric": "average-fulfilment",
    "from": "1935-09-01",
    "to": "1935-09-30",
    "step": "week",
}


def _page_requirement(route: APIRoute) -> object:
    for dependency in route.dependant.dependencies:
        found = getattr(dependency.call, "requirement", None)
        if found is not None:
            return found
    raise AssertionError(f"{route.path} checks no permission")


def _pages() -> list[tuple[str, str, object]]:
    found = []
    for route in director.router.routes:
        assert isinstance(route, APIRoute)
        for method in route.methods:
            found.append((method, route.path, _page_requirement(route)))
    return found


async def test_each_page_asks_the_permission_of_its_api_route(site: Site) -> None:
    by_route = {(m, p): r for m, p, r in api_routes(site)}
    pages = _pages()
    assert {p for _, p, _ in pages} == set(API_OF)
    for _method, path, requirement in pages:
        method, api_path = API_OF[path]
        api = by_route[(method, PREFIX + api_path)]
        assert api is not None, path
        same = (requirement.permissions, requirement.organisation_wide)  # type: ignore[attr-defined]
        assert same == (api.permissions, api.organisation_wide), path


def _scoped_users(site: Site) -> list[str]:
    for role in Role:
        if role is not Role.WORKER:
            accounts.add_user(
                site.engine,
                f"sub-{role.value}",
                PASSWORD,
                author="test",
                grants=[Grant(role, SECTION)],
            )
    return [*USERS, *(f"sub-{r.value}" for r in Role if r is not Role.WORKER)]


async def test_every_role_gets_each_page_or_a_refusal(site: Site) -> None:
    """Every GET page for every role (and a subtree grant of each): 200 when the role holds the
    permission, 403 otherwise; a POST without the permission is refused before its form."""
    title_id = hero(site)
    wrong = []
    for username in _scoped_users(site):
        account = accounts.account_named(site.engine, username)
        assert account is not None
        async with await page_client(site, username) as client:
            start = await client.get("/", follow_redirects=True)
            offered = nav_links(start.text)
            for method, path, requirement in _pages():
                allowed = requirement.met_by(account)  # type: ignore[attr-defined]
                url = path.replace("{title_id}", str(title_id))
                if method == "GET":
                    response = await client.get(url)
                    expected = 200 if allowed else 403
                    if path in NAVIGATED and (path in offered) != allowed:
                        wrong.append((username, path, "offered" if not allowed else "hidden"))
                elif allowed:
                    continue  # writes by allowed roles are tested below with real forms
                else:
                    response = await client.post(url, data={"csrf_token": "x"})
                    expected = 403
                if response.status_code != expected:
                    wrong.append((username, method, path, response.status_code))
    assert wrong == []


async def _login(site: Site, username: str = "director") -> tuple[httpx.AsyncClient, str]:
    login = (await site.login(username)).json()
    client = site.client()
    client.cookies.set(COOKIE, login["token"])
    return client, login["csrf_token"]


async def test_the_director_declares_a_competition_from_the_page(site: Site) -> None:
    client, csrf = await _login(site)
    async with client:
        form = {**COMPETITION, "csrf_token": csrf}
        made = await client.post("/competitions/declare", data=form)
        again = await client.post("/competitions/declare", data=form)
        backwards = await client.post(
            "/competitions/declare", data={**form, "name": "Backwards", "to": "1935-08-01"}
        )
        alone = await client.post(
            "/competitions/declare", data={**form, "name": "Alone", "units": ["Mine"]}
        )
        standings = await client.get("/competitions", params={"name": COMPETITION["name"]})
    assert made.status_code == 201, made.text[:500]
    assert 'role="status"' in made.text and "Brigades, September</strong> declared" in made.text
    assert again.status_code == 422 and 'id="err-name"' in again.text
    assert "exists" in again.text
    assert backwards.status_code == 422 and 'id="err-to"' in backwards.text
    assert 'value="Backwards"' in backwards.text  # what was typed comes back
    assert alone.status_code == 422 and 'id="err-units"' in alone.text
    assert "Brigade 2" in standings.text


def shock_work(site: Site) -> None:
    """Twelve shifts of H2 in October 1935 at 112.5% (9 t in 6 h against 8 t per 6 h)."""
    for day in range(1, 13):
        add_shift(site, f"OCT{day}", f"1935-10-{day:02d}", "6", "H2", "9")


async def test_the_director_confers_and_revokes_a_title_with_a_reason(site: Site) -> None:
    shock_work(site)
    client, csrf = await _login(site)
    async with client:
        shown = await client.get("/titles", params={"period": "1935-10"})
        picks = re.findall(r'name="pick" value="([^"]+)"', shown.text)
        none = await client.post("/titles/confer", data={"csrf_token": csrf, "period": "1935-10"})
        done = await client.post(
            "/titles/confer",
            data={"csrf_token": csrf, "period": "1935-10", "pick": picks},
        )
        grant = titles.grants(site.engine)[0]
        url = f"/titles/{grant.title_id}/revoke"
        confirm = await client.get(url)
        no_reason = await client.post(url, data={"csrf_token": csrf, "confirm": "yes"})
        unconfirmed = await client.post(url, data={"csrf_token": csrf, "reason": "a false count"})
        revoked = await client.post(
            url, data={"csrf_token": csrf, "reason": "a false count", "confirm": "yes"}
        )
        twice = await client.post(
            url, data={"csrf_token": csrf, "reason": "again", "confirm": "yes"}
        )
    assert shown.status_code == 200 and "H2|shock-worker" in picks
    assert none.status_code == 422 and 'id="err-pick"' in none.text
    assert done.status_code == 201, done.text[:500]
    assert f"{len(picks)} title" in done.text and 'role="status"' in done.text
    assert len(titles.grants(site.engine)) == len(picks)
    assert confirm.status_code == 200 and "I confirm" in confirm.text
    assert no_reason.status_code == 422 and 'id="err-reason"' in no_reason.text
    assert unconfirmed.status_code == 422 and 'id="err-confirm"' in unconfirmed.text
    assert revoked.status_code == 200 and "is revoked: a false count" in revoked.text
    after = next(g for g in titles.grants(site.engine) if g.title_id == grant.title_id)
    assert after.state.value == "revoked" and after.events[-1].by == "director"
    assert twice.status_code in (200, 422) and "Revoke the title</button>" not in twice.text


async def test_a_scoped_director_confers_only_in_his_scope(site: Site) -> None:
    accounts.add_user(
        site.engine, "sub-director", PASSWORD, author="test", grants=[Grant(Role.DIRECTOR, SECTION)]
    )
    title_id = hero(site)  # H1 of Brigade 1, inside Section 1
    async with await page_client(site, "sub-director") as client:
        inside = await client.get("/titles", params={"period": "1935-09"})
        outside = await client.get("/titles", params={"period": "1935-09", "unit": "Works"})
        revoke = await client.get(f"/titles/{title_id}/revoke")
        declare = await client.get("/competitions/declare")
    assert inside.status_code == 200 and "everything in your scope" in inside.text
    assert outside.status_code == 403
    assert revoke.status_code == 200
    assert declare.status_code == 403  # declaring needs an organisation-wide grant, as the API


async def test_the_director_sets_the_approval_policy_and_sees_a_bad_line(site: Site) -> None:
    client, csrf = await _login(site)
    text = 'notice_days = 30\n[[steps]]\nrole = "director"\n'
    async with client:
        before = await client.get("/policy")
        bad = await client.post(
            "/policy", data={"csrf_token": csrf, "text": "notice_days = 30\nnonsense = 1\n"}
        )
        empty = await client.post("/policy", data={"csrf_token": csrf, "text": "  "})
        saved = await client.post(
            "/policy", data={"csrf_token": csrf, "text": text, "reason": "shorter notice"}
        )
    assert before.status_code == 200 and "the defaults" in before.text
    assert bad.status_code == 422 and 'id="err-text"' in bad.text and "line 2" in bad.text
    assert "nonsense = 1" in bad.text  # the text sent comes back to be corrected
    assert empty.status_code == 422 and 'id="err-text"' in empty.text
    assert saved.status_code == 200 and 'role="status"' in saved.text
    stored = policies.load(site.engine)
    assert stored.policy.notice_days == 30 and stored.author == "director"
    assert "Notice before a revised norm takes effect: 30 days" in saved.text
