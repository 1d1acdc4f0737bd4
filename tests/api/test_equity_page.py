"""The equity page: shown to the director and the auditor, refused to the others."""

from __future__ import annotations

import re

import pytest

from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from tests.api.conftest import Site
from tests.api.test_pages import nav_links, page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_the_director_and_the_auditor_see_who_is_favoured(site: Site) -> None:
    for username in ("director", "auditor"):
        async with await page_client(site, username) as client:
            page = await client.get("/equity", params={"period": "1935", "by": "worker"})
            grouped = await client.get("/equity", params={"period": "1935", "by": "group"})
        assert page.status_code == 200, page.text
        assert "/equity" in nav_links(page.text)
        # H1's record shift was prepared and assisted: the hewer is favoured, his helpers not.
        assert '<a href="/workers/H1?period=1935">H1</a></th><td class="n">1</td>' in page.text
        assert "Herfindahl" in page.text and "hewer/5" in grouped.text


async def test_the_others_are_refused_the_page(site: Site) -> None:
    for username in ("foreman", "worker", "accountant", "admin"):
        async with await page_client(site, username) as client:
            page = await client.get("/equity")
        assert page.status_code == 403, username


async def test_the_favours_are_named_in_the_readers_language(site: Site) -> None:
    async with await page_client(site, "director") as client:
        client.cookies.set(LANGUAGE_COOKIE, "ru")
        page = await client.get("/equity", params={"period": "1935", "by": "worker"})
    assert page.status_code == 200
    assert "подготовленные смены" in page.text and "смены с помощью" in page.text
    assert ">prepared<" not in page.text and ">assisted<" not in page.text


async def test_the_rows_are_searched_sorted_and_paged(site: Site) -> None:
    async with await page_client(site, "director") as client:
        every = await client.get("/equity", params={"period": "1935", "by": "worker"})
        found = await client.get("/equity", params={"period": "1935", "by": "worker", "q": "h1"})
        by_shifts = await client.get(
            "/equity", params={"period": "1935", "by": "worker", "sort": "shifts", "order": "desc"}
        )
    keys = re.findall(r'<a href="/workers/(\w+)\?period=1935">', every.text)
    assert len(keys) > 1
    assert re.findall(r'<a href="/workers/(\w+)\?period=1935">', found.text) == ["H1"]
    shifts = re.findall(
        r'period=1935">\w+</a></th><td class="n">\d+</td><td class="n">(\d+)<', by_shifts.text
    )
    assert [int(s) for s in shifts] == sorted((int(s) for s in shifts), reverse=True)
    assert len(shifts) == len(keys)
