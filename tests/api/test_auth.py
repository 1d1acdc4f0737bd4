"""Logging in: argon2 hashes, sessions that expire and end, and the login rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from stakhanov.services import accounts
from stakhanov.store.account_tables import sessions, users
from tests.api.conftest import PASSWORD, Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_passwords_are_stored_as_argon2_hashes(site: Site) -> None:
    with site.engine.connect() as connection:
        stored = connection.scalar(select(users.c.password_hash).where(users.c.username == "admin"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_login_gives_a_token_that_expires(site: Site) -> None:
    response = await site.login("director")
    assert response.status_code == 200
    body = response.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    hours = (expires - dt.datetime.now(dt.UTC)).total_seconds() / 3600
    assert accounts.SESSION_HOURS - 0.1 < hours <= accounts.SESSION_HOURS
    assert body["user"]["grants"][0]["role"] == "director"
    async with site.client() as client:
        headers = {"Authorization": f"Bearer {body['token']}"}
        assert (await client.get("/api/auth/me", headers=headers)).status_code == 200
        with site.engine.begin() as connection:
            connection.execute(
                update(sessions).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
            )
        expired = await client.get("/api/auth/me", headers=headers)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]


async def test_wrong_password_and_unknown_user_read_the_same(site: Site) -> None:
    wrong = await site.login("director", "not the password")
    unknown = await site.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong username or password"}


async def test_too_many_failures_are_refused_even_with_the_right_password(site: Site) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_USER):
        assert (await site.login("auditor", "guessing wrongly")).status_code == 401
    limited = await site.login("auditor")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    # Another user from the same client is not locked out by these few failures.
    assert (await site.login("director")).status_code == 200


async def test_logout_ends_the_session(site: Site) -> None:
    token = (await site.login("accountant")).json()["token"]
    async with site.client() as client:
        headers = {"Authorization": f"Bearer {token}"}
        assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
        assert (await client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_a_deactivated_user_is_logged_out_and_cannot_log_in(site: Site) -> None:
    account = accounts.account_named(site.engine, "auditor")
    assert account is not None
    async with site.client("admin") as admin:
        changed = await admin.patch(f"/api/users/{account.user_id}", json={"active": False})
    assert changed.status_code == 200 and changed.json()["active"] is False
    async with site.client("auditor") as client:
        assert (await client.get("/api/auth/me")).status_code == 401
    assert (await site.login("auditor")).status_code == 401


async def test_the_worker_sees_their_own_linked_record(site: Site) -> None:
    async with site.client("worker") as client:
        me = (await client.get("/api/auth/me")).json()
        shifts = (await client.get("/api/me/shifts")).json()
        mine = (await client.get("/api/me/fulfilment", params={"period": "1935-08"})).json()
    assert me["worker"]["worker_id"] == "H1"
    assert "view_own" in me["permissions"] and "view_fulfilment" not in me["permissions"]
    assert [s["shift_id"] for s in shifts] == ["S3", "S1", "S2"]
    # S1 as the worker sees it: the whole crew, and the fair figure beside the stated one.
    s1 = next(s for s in shifts if s["shift_id"] == "S1")
    hewer = next(c for c in s1["crew"] if c["worker_id"] == "H1")
    assert (hewer["percent"], hewer["fair_percent"]) == ("1457.1", "364.3")
    assert {c["worker_id"] for c in s1["crew"]} == {"H1", "T1", "T2", "P1"}
    # August: S1 102 t and S2 6 t in 12 h against 7 t per 6 h: (102 + 6) / 14 = 771.4%.
    (row,) = mine["fulfilment"]
    # 15000 kg is 15.000 t, and the sum 108.000 t is shown without trailing zeros (0904).
    assert (row["percent"], row["output"]) == ("771.4", "108")


async def test_a_role_on_a_mistyped_unit_is_refused_naming_the_scope(site: Site) -> None:
    """A foreman of `Mine/Sektion 1` would reach nothing; the organisation has no such unit."""
    body = {
        "username": "typo",
        "password": "a long enough one",
        "grants": [{"role": "foreman", "scope": "Mine/Sektion 1"}],
    }
    async with site.client("admin") as admin:
        refused = await admin.post("/api/users", json=body)
        made = await admin.post(
            "/api/users", json={**body, "grants": [{"role": "foreman", "scope": "Mine/Section 1"}]}
        )
        granted = await admin.post(
            f"/api/users/{made.json()['user_id']}/grants",
            json={"role": "auditor", "scope": "Works/Shop 9"},
        )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "scope"]
    assert "is not a unit of the organisation" in refused.json()["detail"][0]["msg"]
    assert made.status_code == 201, made.text
    assert granted.status_code == 422 and granted.json()["detail"][0]["loc"] == ["body", "scope"]
