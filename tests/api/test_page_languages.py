"""The pages in the reader's language: from Accept-Language by default, from the header's
selector (a cookie) once chosen, on the login page and the kiosk too."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import Site
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_accept_language_chooses_russian(site: Site) -> None:
    async with await page_client(site, "director") as client:
        english = await client.get("/")
        assert '<html lang="en">' in english.text and ">Overview</a>" in english.text
        russian = await client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
        assert russian.status_code == 200
        assert '<html lang="ru">' in russian.text
        assert ">Обзор</a>" in russian.text and ">Выйти</button>" in russian.text
        assert '<option value="ru" lang="ru" selected>Русский</option>' in russian.text


async def test_the_selector_overrides_the_browser_and_returns_to_the_page(site: Site) -> None:
    async with await page_client(site, "director") as client:
        chosen = await client.get("/language", params={"lang": "ru", "next": "/workers?q=1"})
        assert chosen.status_code == 303 and chosen.headers["location"] == "/workers?q=1"
        page = await client.get("/workers", headers={"Accept-Language": "es"})
        assert '<html lang="ru">' in page.text and ">Работники</a>" in page.text
        # Another host is never a place to go back to; an unknown language clears the choice.
        away = await client.get("/language", params={"lang": "xx", "next": "//evil.example"})
        assert away.headers["location"] == "/"
        client.cookies.delete("stakhanov_language")
        spanish = await client.get("/workers", headers={"Accept-Language": "es"})
        assert ">Trabajadores</a>" in spanish.text


async def test_login_page_in_spanish(site: Site) -> None:
    async with site.client() as client:
        page = await client.get("/login", headers={"Accept-Language": "es-AR"})
        assert page.status_code == 200
        assert re.search(r'<label for="password">Contraseña</label>', page.text)
        assert '<form class="language" method="get" action="/language">' in page.text
