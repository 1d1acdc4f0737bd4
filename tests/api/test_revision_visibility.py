"""A revision is open to everyone, but the rows that name workers follow the caller's scope.

The impact of a proposal lists every worker's fair fulfilment and pay; a worker sees only
their own row, a foreman his brigade's, the admin (who sees no output and no pay) none.
"""

from __future__ import annotations

from typing import Any

import pytest

from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts
from tests.api.conftest import PASSWORD, Site
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

PROPOSAL = {
    "operation": "hewing",
    "basis": "technical",
    "norm": "8.5",
    "evidence": "new pneumatic drills in every face",
    "reason": "re-equipment of the faces",
    "from": "1935-08-01",
    "to": "1935-09-30",
}


async def revision_as(site: Site, username: str, number: int) -> dict[str, Any]:
    async with site.client(username) as client:
        response = await client.get(f"/api/revisions/{number}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["evidence"]
    return found


def named(document: dict[str, Any]) -> set[str]:
    return {w["worker_id"] for w in document["impact"]["workers"]}


async def test_each_role_sees_the_impact_rows_of_its_own_scope(site: Site) -> None:
    async with site.client("rate-setter") as client:
        made = await client.post("/api/revisions", json=PROPOSAL)
    assert made.status_code == 201, made.text
    number = made.json()["revision_id"]
    everyone = named(made.json()["evidence"])
    assert {"H1", "H2"} <= everyone  # both of Brigade 1

    director = await revision_as(site, "director", number)
    assert named(director) == everyone
    worker = await revision_as(site, "worker", number)
    assert named(worker) == {"H1"}
    assert {row["worker_id"] for row in worker.get("statistical") or {}} <= {"H1"}
    foreman = await revision_as(site, "foreman", number)
    assert named(foreman) == everyone  # his brigade's
    # The foreman of another brigade sees none of them.
    other = Grant(Role.FOREMAN, "Mine/Section 1/Brigade 2")
    accounts.add_user(site.engine, "foreman-2", PASSWORD, author="test", grants=[other])
    site.tokens["foreman-2"] = (await site.login("foreman-2")).json()["token"]
    assert named(await revision_as(site, "foreman-2", number)) == set()
    admin = await revision_as(site, "admin", number)
    assert named(admin) == set()
    # The aggregate figures stay for everyone; the count still says how many it touches.
    for seen in (worker, foreman, admin):
        assert seen["impact"]["workers_count"] == director["impact"]["workers_count"]
        assert seen["proposed"] == director["proposed"]


async def test_pay_in_the_impact_goes_to_those_who_see_pay_or_decide(site: Site) -> None:
    async with site.client("rate-setter") as client:
        made = await client.post("/api/revisions", json=PROPOSAL)
    number = made.json()["revision_id"]
    pay_fields = ("pay_old", "pay_new", "pay_change", "pay_output", "pay_output_needed")
    for username in ("rate-setter", "representative", "director", "accountant"):
        seen = await revision_as(site, username, number)
        full = await revision_as(site, "director", number)
        assert seen["impact"] == full["impact"], username
    foreman = await revision_as(site, "foreman", number)
    assert foreman["impact"]["workers"]
    for row in foreman["impact"]["workers"]:
        assert all(row[f] is None for f in pay_fields)
    assert foreman["impact"]["pay_old"] is None and foreman["impact"]["pay_new"] is None
    worker = await revision_as(site, "worker", number)
    full_h1 = next(
        w
        for w in (await revision_as(site, "director", number))["impact"]["workers"]
        if w["worker_id"] == "H1"
    )
    assert worker["impact"]["workers"] == [full_h1]  # his own pay, as it is


async def test_the_revision_page_names_only_the_workers_in_view(site: Site) -> None:
    async with site.client("rate-setter") as client:
        made = await client.post("/api/revisions", json=PROPOSAL)
    number = made.json()["revision_id"]
    async with await page_client(site, "director") as client:
        full = (await client.get(f"/revisions/{number}")).text
    assert "Hewer One" in full and "Hewer Two" in full
    async with await page_client(site, "worker") as client:
        own = await client.get(f"/revisions/{number}")
    assert own.status_code == 200
    assert "Hewer One" in own.text and "Hewer Two" not in own.text
    async with await page_client(site, "admin") as client:
        admin = await client.get(f"/revisions/{number}")
    assert admin.status_code == 200
    assert "Hewer One" not in admin.text and "Hewer Two" not in admin.text
    assert "is in your view" in admin.text
