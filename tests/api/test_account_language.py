"""A person's language on his account (decision 0879): chosen on any page's selector, it
follows him to the next browser he logs in on, and the slips printed for him are in it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stakhanov.data import preset_scales
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from stakhanov.services import accounts
from stakhanov.services.scales import import_scales
from tests.api.conftest import PASSWORD, Site
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]
AUGUST = {"from": "1935-08-01", "to": "1935-08-31"}


async def test_the_choice_is_kept_on_the_account_and_follows_him_to_a_new_browser(
    site: Site,
) -> None:
    async with await page_client(site, "worker") as client:
        await client.get("/language", params={"lang": "ru", "next": "/me"})
    chosen = accounts.account_named(site.engine, "worker")
    assert chosen is not None and chosen.language == "ru"
    async with site.client() as browser:  # another browser: no cookie of the language yet
        form = await browser.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        logged = await browser.post(
            "/login", data={"username": "worker", "password": PASSWORD, "csrf_token": token[1]}
        )
        assert logged.status_code == 303
        assert browser.cookies.get(LANGUAGE_COOKIE) == "ru"
        page = await browser.get("/me")
    assert '<html lang="ru">' in page.text
    # Someone who never chose keeps following his browser; clearing the choice clears it.
    async with await page_client(site, "worker") as client:
        await client.get("/language", params={"lang": "", "next": "/"})
    cleared = accounts.account_named(site.engine, "worker")
    assert cleared is not None and cleared.language is None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
async def test_each_printed_slip_is_in_its_workers_language(site: Site, tmp_path: Path) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    worker = accounts.account_named(site.engine, "worker")  # H1
    assert worker is not None
    accounts.choose_language(site.engine, worker.user_id, "ru")
    async with site.client("accountant") as client:
        pdf = await client.get("/api/payroll/slips.pdf", params=AUGUST)
    assert pdf.status_code == 200, pdf.text
    (tmp_path / "slips.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "slips.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    h1 = [p for p in pages if "(H1)" in p]
    others = [p for p in pages if "(H2)" in p]
    assert h1 and others
    assert "Расчётный листок" in h1[0], h1[0][:300]
    assert "Pay slip" in others[0] and "Pay slip" not in h1[0]
