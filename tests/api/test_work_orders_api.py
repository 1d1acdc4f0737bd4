"""Work orders over HTTP: the accountant sees every share, the foreman his brigade's KTU but no
money, a worker his own share alone; outside one's scope is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.scales import import_scales
from stakhanov.services.tables import read_files
from tests.api.conftest import Site
from tests.integration.helpers import write
from tests.pay import scale_text

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

BRIGADE = "Mine/Section 1/Brigade 1"
ORDERS = f"""
work_order,unit,from,to,operations,measure,rate,fund,split,currency
N-8,{BRIGADE},1935-08-01,1935-08-31,,,,90.00,hours-ktu,RUB
N-2,Mine/Section 1/Brigade 2,1935-09-01,1935-09-30,,,,50.00,ktu,RUB
"""
KTU = """
work_order,worker_id,ktu,reason,hours
N-8,H1,1.5,record attempt,6
N-8,H2,1,,6
N-2,H3,1,,
"""


def _with_orders(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "orders"
    write(folder, "work_orders.csv", ORDERS)
    write(folder, "ktu.csv", KTU)
    paths = [folder / "work_orders.csv", folder / "ktu.csv"]
    import_batch(site.engine, read_files(str(folder), paths, set(FORMATS)), author="test")
    scale = write(tmp_path / "scale", "s.toml", scale_text())
    import_scales(site.engine, [scale], author="test")


async def test_each_role_sees_what_it_may(site: Site, tmp_path: Path) -> None:
    _with_orders(site, tmp_path)
    async with site.client("accountant") as client:
        assert [o["work_order"] for o in (await client.get("/api/work-orders")).json()] == [
            "N-2",
            "N-8",
        ]
        full = (await client.get("/api/work-orders/N-8")).json()
    # 90.00 by hours x KTU: 6 x 1.5 = 9 and 6 x 1 = 6 of 15: 54.00 and 36.00.
    assert {s["worker_id"]: s["share"] for s in full["shares"]} == {"H1": "54.00", "H2": "36.00"}
    async with site.client("foreman") as client:
        listed = (await client.get("/api/work-orders")).json()
        assert [o["work_order"] for o in listed] == ["N-8"]
        seen = (await client.get("/api/work-orders/N-8")).json()
        assert seen["shares"] == [] and seen["settled_fund"] is None
        assert {m["worker_id"]: m["ktu"] for m in seen["members"]} == {"H1": "1.5", "H2": "1"}
        outside = await client.get("/api/work-orders/N-2")
        assert outside.status_code == 403
    async with site.client("worker") as client:  # the worker is H1
        own = (await client.get("/api/me/work-orders/N-8")).json()
        assert [s["worker_id"] for s in own["shares"]] == ["H1"]
        assert own["shares"][0]["share"] == "54.00"
        assert [m["worker_id"] for m in own["members"]] == ["H1"]
        assert (await client.get("/api/me/work-orders/N-2")).status_code == 404
        assert (await client.get("/api/work-orders/N-8")).status_code == 403
