"""The pages show the domain's texts in the reader's language (decision 0870): a worker's own
slip explains each line in Russian, the accountant's slip in Spanish, the audit queue words its
findings in Russian; the API's JSON keeps the English the domain wrote."""

from __future__ import annotations

import html
import re

import pytest

from stakhanov.data import preset_scales
from stakhanov.services.scales import import_scales
from tests.api.conftest import Site
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


def explanations(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<td class="explain">(.*?)</td>', page, re.S)]


async def test_the_own_slip_in_russian_and_the_slip_in_spanish(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    async with await page_client(site, "worker") as client:
        client.cookies.set("stakhanov_language", "ru")
        own = explanations((await client.get("/me", params={"period": "1935-08"})).text)
        stored = (await client.get("/api/me/payslip", params={"period": "1935-08"})).json()
    async with await page_client(site, "accountant") as client:
        asked = {"period": "1935-08", "worker_id": "H1"}
        spanish = await client.get("/payroll", params=asked, headers={"Accept-Language": "es"})
    assert own and all("accepted" not in line for line in own)
    assert any("принято 102 t × сдельная расценка" in line for line in own), own
    assert any("tarifa por pieza" in line for line in explanations(spanish.text))
    # The API's JSON, asked in Russian, as the domain wrote it.
    assert any("accepted x piece rate" in line["explain"] for line in stored["lines"])


async def test_the_audit_queue_in_russian(site: Site) -> None:
    async with await page_client(site, "auditor") as client:
        english = (await client.get("/audit")).text
        client.cookies.set("stakhanov_language", "ru")
        russian = (await client.get("/audit")).text
    assert (
        "result contains helpers&#39; work" in english or "result contains helpers' work" in english
    )
    assert "есть работа помощников" in russian
    assert "contains helpers" not in russian
