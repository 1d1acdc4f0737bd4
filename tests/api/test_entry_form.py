"""The shift form and the sign-off of the day, as a browser gets them, in process: lists from
the foreman's scope, the proposed id, lines added and removed without the script, the
percentages after saving, and a worker's confirmation or dispute seen by the foreman."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from stakhanov.api.security import COOKIE
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from tests.api.conftest import BRIGADE, Site, without_noise

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def logged_in(site: Site, username: str) -> tuple[httpx.AsyncClient, str]:
    login = (await site.login(username)).json()
    client = site.client()
    client.cookies.set(COOKIE, login["token"])
    return client, login["csrf_token"]


def options(html: str, datalist: str) -> list[str]:
    found = re.search(rf'<datalist id="{datalist}">(.*?)</datalist>', html, re.S)
    assert found is not None
    return re.findall(r'<option value="([^"]*)"', found[1])


async def test_the_form_offers_the_foremans_workers_and_the_norms_in_force(site: Site) -> None:
    client, _ = await logged_in(site, "foreman")
    async with client:
        page = (await client.get("/shifts/new")).text
    assert options(page, "workers") == ["H1", "H2", "T1", "T2"]  # Brigade 1 only
    assert options(page, "operations") == ["hewing", "timbering", "turning", "assist"]
    assert 'value="hewing" data-unit="t"' in page
    today = dt.date.today().isoformat()
    assert f'name="proposed_id" value="{today}-B1-1"' in page  # his workplace, Brigade 1
    assert '<script src="/static/entry.js" defer></script>' in page


async def test_the_form_and_its_refusal_speak_the_foremans_language(site: Site) -> None:
    """Labels, headings, the lines' accessible names and the count of problems come from the
    catalogs: a foreman reading Russian meets no English word of the form."""
    client, csrf = await logged_in(site, "foreman")
    client.cookies.set(LANGUAGE_COOKIE, "ru")
    async with client:
        page = (await client.get("/shifts/new")).text
        refused = await client.post("/shifts/new", data={**_shift(csrf, "R-1"), "date": ""})
    assert "Записать смену" in page and "Измеренная выработка" in page
    assert 'aria-label="Строка бригады 1 табельный номер"' in page
    for english in (">Record the shift<", ">Crew<", ">Hours<", "Crew line 1", "Output line 1"):
        assert english not in page
    assert re.search(r"Ничего не записано: \d+ ошиб\w+, отмечено ниже", refused.text)


async def test_the_proposed_id_is_the_next_free_one_of_the_day_and_workplace(site: Site) -> None:
    client, csrf = await logged_in(site, "foreman")
    ask = {"date": "1935-11-02", "workplace": BRIGADE}
    async with client:
        first = (await client.get("/shifts/new/proposal", params=ask)).json()
        await client.post("/shifts/new", data={**_shift(csrf, first["shift_id"])})
        second = (await client.get("/shifts/new/proposal", params=ask)).json()
        elsewhere = await client.get(
            "/shifts/new/proposal", params={**ask, "workplace": "Mine/Section 1/Brigade 2"}
        )
        bad = await client.get("/shifts/new/proposal", params={"date": "2.11.1935"})
    assert first == {"shift_id": "1935-11-02-B1-1"}
    assert second == {"shift_id": "1935-11-02-B1-2"}
    assert elsewhere.status_code == 403 and bad.status_code == 422


async def test_lines_are_added_and_removed_without_the_script(site: Site) -> None:
    client, csrf = await logged_in(site, "foreman")
    typed = {
        "csrf_token": csrf,
        "crew_lines": "4",
        "crew.0.worker_id": "H1",
        "crew.1.worker_id": "H2",
        "crew.2.worker_id": "T1",
    }
    async with client:
        more = await client.post("/shifts/new", data={**typed, "more": "crew"})
        fewer = await client.post(
            "/shifts/new", data={**typed, "crew.1.remove": "on", "more": "crew"}
        )
        batches = (await client.get("/batches")).status_code
    assert more.status_code == 200 and 'name="crew.6.worker_id"' in more.text
    assert 'name="crew.7.worker_id"' not in more.text
    crew = re.findall(r'name="crew\.\d+\.worker_id"[^>]*value="(\w*)"', fewer.text)
    assert crew[:3] == ["H1", "T1", ""]  # H2's line is gone, the others kept in order
    assert "recorded as batch" not in more.text + fewer.text and batches in (200, 403)


async def test_after_saving_the_shift_shows_its_stated_and_fair_percentages(site: Site) -> None:
    """No workplace, no unit and the id left as proposed for another day: the crew's unit,
    the norm's unit and the day's id are used. 16 t in 6 h against 8 t per 6 h: H1 200%
    stated; with the timberer's 6 h the fair figure halves. The shift's figures sum the normed
    lines, as every page does: the timbering has no norm of its own."""
    client, csrf = await logged_in(site, "foreman")
    form = {
        **_shift(csrf, "2026-01-01-M-1"),
        "proposed_id": "2026-01-01-M-1",
        "workplace": "",
        "outputs.0.unit": "",
        "crew.1.worker_id": "T1",
        "crew.1.operation": "timbering",
        "crew.1.hours": "6",
    }
    async with client:
        saved = await client.post("/shifts/new", data=form)
        again = await client.post("/shifts/new", data={**form, "shift_id": "1935-11-02-B1-1"})
    assert saved.status_code == 201, saved.text[:500]
    assert "Shift 1935-11-02-B1-1 recorded as batch" in saved.text
    outcome = saved.text[saved.text.index('id="outcome"') : saved.text.index("</table>")]
    h1 = re.search(r"H1</span></th><td>hewing</td>(.*?)</tr>", outcome, re.S)
    assert h1 is not None and re.findall(r">([\d.]+)%<", h1[1]) == ["200", "100"]
    total = outcome[outcome.index('id="outcome-total"') :]
    assert re.findall(r">([\d.]+)%<", total) == ["200", "100"]
    # The next form keeps the day and workplace and proposes the next id.
    assert 'name="proposed_id" value="1935-11-02-B1-2"' in saved.text
    assert "already recorded exactly so" in again.text


async def test_a_worker_signs_his_day_and_the_foreman_and_auditor_see_it(site: Site) -> None:
    worker, csrf = await logged_in(site, "worker")  # H1
    async with worker:
        day = (await worker.get("/my-day", params={"day": "1935-08-30"})).text
        refused = await worker.post(
            "/my-day",
            data={
                "csrf_token": csrf,
                "day": "1935-08-30",
                "shift.0": "S2",
                "verdict.0": "disputed",
            },
        )
        signed = await worker.post(
            "/my-day",
            data={
                "csrf_token": csrf,
                "day": "1935-08-30",
                "shift.0": "S2",
                "verdict.0": "confirmed",
            },
        )
        shown = (await worker.get(signed.headers["location"])).text
    assert 'name="shift.0" value="S2"' in day and "unconfirmed" in day
    assert refused.status_code == 422 and "Nothing was recorded" in refused.text
    assert signed.status_code == 303 and "Your sign-off is recorded." in shown
    for username in ("foreman", "auditor"):
        client, _ = await logged_in(site, username)
        async with client:
            shifts = (await client.get("/shifts", params={"period": "1935-08-30"})).text
        h1 = re.search(r"H1</span></th>.*?</tr>", shifts, re.S)
        h2 = re.search(r"H2</span></th>.*?</tr>", shifts, re.S)
        assert h1 is not None and 'class="signoff-confirmed">confirmed' in h1[0]
        assert h2 is not None and 'class="signoff-unconfirmed">unconfirmed' in h2[0]


async def test_at_the_kiosk_a_dispute_by_pin_appears_among_the_disputes(site: Site) -> None:
    client, csrf = await logged_in(site, "foreman")
    who = {"csrf_token": csrf, "worker_id": "H2", "day": "1935-08-30"}
    async with client:
        kiosk = (await client.get("/kiosk")).text
        await client.post("/pins", data={"csrf_token": csrf, "worker_id": "H2", "pin": "2468"})
        wrong = await client.post("/kiosk/day", data={**who, "pin": "1111"})
        shown = await client.post("/kiosk/day", data={**who, "pin": "2468"})
        signed = await client.post(
            "/kiosk/day",
            data={
                **who,
                "pin": "2468",
                "step": "sign",
                "shift.0": "S2",
                "verdict.0": "disputed",
                "reason.0": "my coefficient is 1.5, I cut more",
            },
        )
        listed = (await client.get("/disputes")).text
    assert 'href="/kiosk/day"' in kiosk
    assert wrong.status_code == 401 and "S2" not in without_noise(wrong.text)
    assert shown.status_code == 200 and "Dispute shift S2" in shown.text
    assert signed.status_code == 201 and "0 confirmed, 1 disputed" in signed.text
    assert "my coefficient is 1.5, I cut more" in listed
    assert 'aria-label="Main"' not in signed.text  # the kiosk stays a kiosk


def _shift(csrf: str, shift_id: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "shift_id": shift_id,
        "date": "1935-11-02",
        "hours": "6",
        "workplace": BRIGADE,
        "conditions": "standard",
        "outputs.0.operation": "hewing",
        "outputs.0.quantity": "16",
        "outputs.0.unit": "t",
        "crew.0.worker_id": "H1",
        "crew.0.operation": "hewing",
        "crew.0.hours": "6",
    }


async def test_the_form_takes_hours_of_thirds_exactly(site: Site) -> None:
    """A shift of 1 h with three crew lines of 20min, written three ways: 16 t against 8 t per
    6 h (4/3 t in the hour) is 1200% of the norm, the crew's thirds summing to exactly 1 h."""
    client, csrf = await logged_in(site, "foreman")
    form = {
        **_shift(csrf, "1935-11-03-B1-1"),
        "hours": "1h",
        "crew.0.hours": "20min",
        "crew.1.worker_id": "H2",
        "crew.1.operation": "hewing",
        "crew.1.hours": "0:20",
        "crew.2.worker_id": "T1",
        "crew.2.operation": "hewing",
        "crew.2.hours": "1/3",
    }
    async with client:
        saved = await client.post("/shifts/new", data=form)
    assert saved.status_code == 201, saved.text[:500]
    outcome = saved.text[saved.text.index('id="outcome"') : saved.text.index("</table>")]
    assert outcome.count(">1/3<") == 3
    total = outcome[outcome.index('id="outcome-total"') :]
    assert re.findall(r">([\d.,]+)%<", total)[0] == "1,200"  # in the reader's locale
