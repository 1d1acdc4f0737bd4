"""Defects found on a new user's walk through the pages (issue 12, item 8), each retried."""

from __future__ import annotations

import pytest

from stakhanov.api.security import COOKIE
from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_a_conflict_on_the_shifts_note_is_marked_at_the_note(site: Site) -> None:
    """S2 is stored with no note: entering it again with one is a conflict on the note, and
    the note's field carries it (the summary counts what is marked, in good English)."""
    login = (await site.login("foreman")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        response = await client.post(
            "/shifts/new",
            data={
                "csrf_token": login["csrf_token"],
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
    from stakhanov.web.pages import _unplaced

    errors = {"note": "n", "crew.0.hours": "h", "unit": "u", "": "whole"}
    assert _unplaced(errors, 3, 4) == {"unit": "u", "": "whole"}


async def test_a_refused_dispute_returns_to_the_form_and_names_its_subject(site: Site) -> None:
    """The form posts to its own anchor, the refused field takes the focus (the browser
    scrolls to it), and the message says which shift is refused."""
    login = (await site.login("worker")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        refused = await client.post(
            "/me/disputes",
            data={
                "csrf_token": login["csrf_token"],
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
    assert 'aria-describedby="err-reference" autofocus' in field[: field.index(">")]
