"""Defects found on a new user's walk through the pages (issue 12, item 8), each retried."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from stakhanov.api.security import COOKIE
from tests.api.conftest import Site
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def post_form(site: Site, username: str, path: str, data: dict[str, str]) -> httpx.Response:
    """A page's form posted by a logged-in user, with the session's CSRF token."""
    login = (await site.login(username)).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        return await client.post(path, data={"csrf_token": login["csrf_token"], **data})


async def test_a_conflict_on_the_shifts_note_is_marked_at_the_note(site: Site) -> None:
    """S2 is stored with no note: entering it again with one is a conflict on the note, and
    the note's field carries it (the summary counts what is marked, in good English)."""
    response = await post_form(
        site,
        "foreman",
        "/shifts/new",
        {
            "shift_id": "S2",
            "date": "1935-08-30",
            "hours": "6",
            "workplace": "Mine/Section 1/Brigade 1",
            "conditions": "standard",
            "note": "roof fall at noon",
        },
    )
    assert response.status_code == 422, response.text[:300]
    page = response.text
    assert "Nothing was written: 1 problem, marked below." in page
    assert "problem(s)" not in page
    assert 'id="note"' in page and 'aria-describedby="err-note"' in page
    assert 'id="err-note"' in page and "note was" in page


async def test_every_problem_the_form_counts_is_shown() -> None:
    """A problem at a column the form has no field for is listed under the summary."""
    from stakhanov.web.entry import _unplaced

    errors = {"note": "n", "crew.0.hours": "h", "unit": "u", "": "whole"}
    assert _unplaced(errors, {"outputs": 3, "crew": 4}) == {"unit": "u", "": "whole"}


async def test_a_refused_dispute_returns_to_the_form_and_names_its_subject(site: Site) -> None:
    """The form posts to its own anchor (the browser opens the answer there), and the message,
    beside its field, says which shift is refused."""
    refused = await post_form(
        site,
        "worker",
        "/me/disputes",
        {
            "subject": "shift",
            "period": "1935-08",
            "reference": "S4",
            "text": "my tonnes are missing",
        },
    )
    assert refused.status_code == 422
    page = refused.text
    assert 'action="/me/disputes#dispute-form" id="dispute-form"' in page
    assert "The dispute was not opened: S4 is not a shift you worked." in page
    field = page[page.index('id="dispute-reference"') :]
    assert 'aria-describedby="err-reference"' in field[: field.index(">")]


async def test_the_ledger_writes_show_the_user_and_file_names_never_server_paths(
    site: Site, tmp_path: Path
) -> None:
    """A web write's author is the logged-in user and its files are named as sent; a batch
    written from a path on the server shows the file's name only."""
    from stakhanov.data import preset_scales
    from stakhanov.services.importing import import_batch
    from stakhanov.services.tables import read_source

    folder = tmp_path / "deep" / "inside"
    folder.mkdir(parents=True)
    (folder / "workers.csv").write_text(
        "worker_id,name,unit\nZ1,Zed,Mine/Section 1/Brigade 1\n", encoding="utf-8"
    )
    import_batch(site.engine, read_source(folder / "workers.csv", {"workers.csv"}), author="clerk")
    async with site.client("accountant") as client:
        uploaded = await client.post(
            "/api/scales",
            files=[("files", ("coal-1935.toml", preset_scales()["coal-1935"].read_bytes()))],
        )
    assert uploaded.status_code == 200, uploaded.text
    async with await page_client(site, "auditor") as client:
        page = (await client.get("/batches")).text
    assert "<td>upload: coal-1935.toml</td><td>accountant</td>" in page
    assert "<td>workers.csv</td><td>clerk</td>" in page
    assert str(tmp_path) not in page and "stakhanov-scales-" not in page


async def test_a_workbooks_sheets_are_reported_as_sent(site: Site, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "workers"
    sheet.append(["worker_id", "name", "unit"])
    sheet.append(["Z2", "Zoe", "Mine/Section 1/Brigade 1"])
    book.save(tmp_path / "book.xlsx")
    async with site.client("director") as client:
        response = await client.post(
            "/api/imports",
            files=[("files", ("book.xlsx", (tmp_path / "book.xlsx").read_bytes()))],
        )
    assert response.status_code in (200, 201), response.text
    files = response.json()["files"]
    assert files == [
        {
            "file": "workers.csv",
            "source": "book.xlsx[workers]",
            "added": 1,
            "unchanged": 0,
            "corrected": 0,
            "withdrawn": 0,
        }
    ]
