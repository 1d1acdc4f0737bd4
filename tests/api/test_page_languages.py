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


async def test_refusals_on_a_page_in_russian_and_spanish_the_api_in_english(site: Site) -> None:
    """A service's refusal (decision 0871) and a malformed period, in the reader's words; the
    API answers the same refusal in English, whatever the browser asks for."""
    async with await page_client(site, "director") as client:
        russian = {"Accept-Language": "ru"}
        missing = await client.get("/revisions/999", headers=russian)
        assert missing.status_code == 404
        assert "Нет пересмотра 999." in missing.text
        spanish = await client.get("/revisions/999", headers={"Accept-Language": "es"})
        assert "No existe la revisión 999." in spanish.text
        period = await client.get("/shifts", params={"period": "1935-13"}, headers=russian)
        assert period.status_code == 422
        assert (
            "Период «1935-13»: должен быть в виде ГГГГ, ГГГГ-Qn, ГГГГ-ММ, ГГГГ-ММ-ДД или С..ПО."
            in period.text
        )
        assert "must be YYYY" not in period.text
    async with site.client() as api:
        token = (await site.login("director")).json()["token"]
        answer = await api.get(
            "/api/revisions/999",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "ru"},
        )
        assert answer.status_code == 404 and answer.json() == {"detail": "no revision 999"}


async def test_finding_kinds_by_their_labels(site: Site) -> None:
    """The audit queue's filters name each kind in the reader's words; the code stays the
    value the form sends (and the filter the link carries)."""
    async with await page_client(site, "auditor") as client:
        russian = (await client.get("/audit", headers={"Accept-Language": "ru"})).text
        assert re.search(r'value="prepared"[^>]*> подготовленная \(', russian)
        assert re.search(r'value="pooled"[^>]*> сводная \(', russian)
        assert re.search(r'value="implausible"[^>]*> неправдоподобная \(', russian)
        spanish = (await client.get("/audit", headers={"Accept-Language": "es"})).text
        assert re.search(r'value="uncredited"[^>]*> no acreditado \(', spanish)
        assert re.search(r'value="assisted"[^>]*> asistido \(', spanish)
        english = (await client.get("/audit")).text
        assert re.search(r'value="prepared"[^>]*> prepared \(', english)


@pytest.mark.parametrize(
    ("language", "write", "favour"),
    [
        ("ru", "<td>импорт</td>", ">смены с помощью</th>"),
        ("es", "<td>importación</td>", ">turnos asistidos</th>"),
    ],
)
async def test_a_write_s_kind_and_a_favour_by_their_labels(
    site: Site, language: str, write: str, favour: str
) -> None:
    """The ledger's writes name their kind, and the equity page a favourable shift's kind, in
    the reader's words (codes stay in the search and the exports)."""
    async with await page_client(site, "auditor") as client:
        said = {"Accept-Language": language}
        batches = (await client.get("/batches", headers=said)).text
        equity = (await client.get("/equity", params={"period": "1935-08"}, headers=said)).text
        english = (await client.get("/batches")).text
    assert write in batches and "<td>import</td>" not in batches
    assert "<td>import</td>" in english
    assert favour in equity
