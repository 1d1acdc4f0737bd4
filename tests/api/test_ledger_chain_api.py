"""The chain's state for the auditor: the API route and the page, organisation-wide only."""

from __future__ import annotations

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
        shown = await client.get("/audit/chain")
    assert shown.status_code == 200
    assert "Broken." in shown.text and "crew_entries" in shown.text


async def test_only_organisation_wide_audit_roles_see_it(site: Site) -> None:
    for username in ("worker", "foreman", "accountant", "admin"):
        async with site.client(username) as client:
            refused = await client.get("/api/ledger/verify")
        assert refused.status_code == 403, username
        async with await page_client(site, username) as client:
            page = await client.get("/audit/chain")
        assert page.status_code == 403, username
