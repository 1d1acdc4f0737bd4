from __future__ import annotations

import pytest

from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_fulfilment_for_director(site: Site) -> None:
    async with site.client("director") as client:
        response = await client.get("/api/fulfilment", params={"by": "shift"})
    assert response.status_code == 200, response.text
    rows = {(r["shift_id"], r["worker_id"], r["operation"]): r for r in response.json()}
    assert rows[("S1", "H1", "hewing")]["percent"] == "1457.1"
