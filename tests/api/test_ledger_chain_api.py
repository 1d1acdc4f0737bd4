"""The chain's state for the auditor: the API route and the page, organisation-wide only."""

from __future__ import annotations

import re

import anyio
import httpx
import pytest

from tests.api.conftest import Site
from tests.api.test_pages import page_client
from tests.integration import chain_tampering as tamper

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_the_auditor_sees_the_chain_intact_then_the_row_changed(site: Site) -> None:
    async with site.client("auditor") as auditor:
        intact = await auditor.get("/api/ledger/verify")
    assert intact.status_code == 200, intact.text
    assert intact.json()["intact"] is True and intact.json()["links"] > 0
    with site.engine.begin() as connection:
        tamper.unguard(connection)
        tamper.edit(connection, "crew_entries", "1", "hours")
    async with site.client("auditor") as auditor:
        broken = (await auditor.get("/api/ledger/verify")).json()
    assert broken["intact"] is False
    assert [(f["table"], f["id"], f["what"]) for f in broken["findings"]] == [
        ("crew_entries", "1", "edited")
    ]
    async with await page_client(site, "auditor") as client:
        shown = await finished(client)
    assert shown.status_code == 200
    assert "Broken." in shown.text and "crew_entries" in shown.text


async def finished(client: httpx.AsyncClient) -> httpx.Response:
    """The chain page once its background check is done (it reloads itself until then)."""
    for _ in range(600):
        shown = await client.get("/audit/chain")
        if "Recomputing the chain" not in shown.text:
            return shown
        assert 'http-equiv="refresh"' in shown.text
        await anyio.sleep(0.2)
    raise AssertionError("the chain check never finished")


async def test_a_recent_check_is_shown_again_until_asked_for_anew(site: Site) -> None:
    """The page shows the last check of the minute with its time, not a new one per request;
    "Recompute now" makes a new check, which sees a row changed since."""
    async with await page_client(site, "auditor") as client:
        first = await finished(client)
        with site.engine.begin() as connection:
            tamper.unguard(connection)
            tamper.edit(connection, "crew_entries", "1", "hours")
        again = await finished(client)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', again.text)
        assert csrf is not None
        asked = await client.post("/audit/chain", data={"csrf_token": csrf[1]})
        anew = await finished(client)
    assert "Intact." in first.text and "Recomputed at" in first.text
    assert "Intact." in again.text  # the check of a moment ago, shown with its time
    assert asked.status_code == 303
    assert "Broken." in anew.text and "crew_entries" in anew.text


async def test_only_organisation_wide_audit_roles_see_it(site: Site) -> None:
    for username in ("worker", "foreman", "accountant", "admin"):
        async with site.client(username) as client:
            refused = await client.get("/api/ledger/verify")
        assert refused.status_code == 403, username
        async with await page_client(site, username) as client:
            page = await client.get("/audit/chain")
        assert page.status_code == 403, username
