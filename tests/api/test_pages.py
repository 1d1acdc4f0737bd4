"""The pages as a browser gets them, in process: what each viewer is offered opens, and what is
shown reads as a person expects (rounded figures, evidence in words, boards by short names)."""

from __future__ import annotations

import re
from decimal import Decimal

import httpx
import pytest

from stakhanov.api.security import COOKIE
from stakhanov.domain.access import Grant, Role
from stakhanov.domain.periods import parse_period
from stakhanov.i18n import number
from stakhanov.services import accounts
from tests.api.conftest import PASSWORD, USERS, Site, hero

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

SECTION = "Mine/Section 1"


async def page_client(site: Site, username: str) -> httpx.AsyncClient:
    token = (await site.login(username)).json()["token"]
    client = site.client()
    client.cookies.set(COOKIE, token)
    return client


def nav_links(html: str) -> list[str]:
    menu = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert menu is not None
    return re.findall(r'href="([^"]+)"', menu[1])


async def test_every_link_a_viewer_is_offered_opens(site: Site) -> None:
    """Including for grants on a subtree: pages that need the whole organisation (the ledger
    writes, the users) are not offered to them."""
    for role in Role:
        if role is Role.WORKER:
            continue
        accounts.add_user(
            site.engine, f"sub-{role.value}", PASSWORD, author="test", grants=[Grant(role, SECTION)]
        )
    usernames = [*USERS, *(f"sub-{r.value}" for r in Role if r is not Role.WORKER)]
    broken = []
    for username in usernames:
        async with await page_client(site, username) as client:
            start = await client.get("/", follow_redirects=True)
            assert start.status_code == 200, (username, start.text[:300])
            for href in nav_links(start.text):
                response = await client.get(href)
                if response.status_code != 200:
                    broken.append((username, href, response.status_code))
    assert broken == []
    async with await page_client(site, "director") as client:
        start = await client.get("/")
        assert "/import" in nav_links(start.text)  # the director imports plans and workers
    async with await page_client(site, "sub-auditor") as client:
        start = await client.get("/")
        assert "/batches" not in nav_links(start.text)
        assert "/audit" in nav_links(start.text)


def add_shift(
    site: Site, shift_id: str, date: str, hours: str, worker_id: str, tonnes: str
) -> None:
    """One hewing shift of one worker at Brigade 1, written as the shift form writes it."""
    from stakhanov.services.entry import ShiftForm
    from stakhanov.services.importing import import_batch

    form = ShiftForm(
        shift={
            "shift_id": shift_id,
            "date": date,
            "hours": hours,
            "workplace": "Mine/Section 1/Brigade 1",
            "conditions": "standard",
        },
        outputs=[{"operation": "hewing", "quantity": tonnes, "unit": "t"}],
        crew=[{"worker_id": worker_id, "operation": "hewing", "hours": hours}],
    )
    import_batch(site.engine, form.batch(f"test: {shift_id}"), author="test")


async def test_a_prorated_norm_is_shown_rounded_with_its_unit(site: Site) -> None:
    # 5.75 h against 8 t per 6 h (from 1935-09-01) asks 7.666... t; with S3's 6 h, 15.666... t.
    add_shift(site, "S9", "1935-09-04", "5.75", "H1", "8")
    async with await page_client(site, "worker") as client:
        page = (await client.get("/me", params={"period": "1935-09"})).text
    row = re.search(r"<th scope=\"row\">hewing</th>(.*?)</tr>", page, re.S)
    assert row is not None
    assert "15.667 t" in row[1]
    assert "15.6666" not in page


async def test_a_title_is_explained_in_words(site: Site) -> None:
    hero(site)
    async with await page_client(site, "worker") as client:
        page = (await client.get("/me", params={"period": "1935-08"})).text
    titles_section = page[page.index('id="t-h"') :]
    titles_section = titles_section[: titles_section.index("</section>")]
    assert "authority: Mine committee" in titles_section
    assert "over 1935-08-01..1935-08-31" in titles_section
    assert "{" not in titles_section and "Decimal(" not in titles_section


async def test_a_workers_page_opens_on_the_month_of_their_own_newest_shift(site: Site) -> None:
    add_shift(site, "S10", "1935-10-02", "6", "H2", "7")  # the newest shift is H2's, in October
    async with await page_client(site, "worker") as client:
        page = (await client.get("/me")).text
    assert 'value="1935-09"' in page  # H1 last worked on 2 September


async def test_the_honour_board_names_units_from_the_boards_unit_and_fills_a_wall(
    site: Site,
) -> None:
    async with await page_client(site, "worker") as client:
        board = (await client.get("/honour", params={"unit": "Mine", "period": "1935-08"})).text
        wall = await client.get(
            "/honour", params={"unit": "Mine", "period": "1935-08", "wall": "true"}
        )
    ranked = board[board.index('<div class="board">') :]
    assert ">Section 1/Brigade 1<" in ranked and "Mine/Section 1/Brigade 1" not in ranked
    assert "/honour?unit=Mine&amp;period=1935-08&amp;wall=1" in board
    assert wall.status_code == 200
    assert '<body class="wall">' in wall.text
    assert 'aria-label="Main"' not in wall.text and 'class="filters"' not in wall.text
    assert "Honour board of Mine, 1935-08" in wall.text
    assert 'http-equiv="refresh"' in wall.text


async def test_the_rate_setter_proposes_a_revision_from_the_revisions_page(site: Site) -> None:
    login = (await site.login("rate-setter")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        page = (await client.get("/revisions")).text
        assert "Propose the revision" in page
        form = {"csrf_token": login["csrf_token"], "operation": "hewing", "basis": "technical"}
        unexplained = await client.post("/revisions", data={**form, "norm": "9"})
        proposed = await client.post(
            "/revisions",
            data={
                **form,
                "norm": "9",
                "reason": "new pneumatic picks",
                "evidence": "trust order 14 on pneumatic picks",
                "window": "1935-08",
            },
        )
        forged = await client.post(
            "/revisions", data={**form, "csrf_token": "forged", "reason": "x", "norm": "9"}
        )
    assert unexplained.status_code == 422
    assert 'id="err-reason"' in unexplained.text and "Nothing was proposed" in unexplained.text
    assert proposed.status_code == 303, proposed.text[:500]
    assert forged.status_code == 403
    async with site.client("rate-setter") as api:
        (revision,) = (await api.get("/api/revisions")).json()
    assert proposed.headers["location"] == f"/revisions/{revision['revision_id']}"
    assert (revision["operation"], revision["proposed_by"]) == ("hewing", "rate-setter")
    async with await page_client(site, "representative") as other:
        assert "Propose the revision" not in (await other.get("/revisions")).text


async def test_the_records_registry_names_holders_places_and_units(site: Site) -> None:
    from tests.api.test_recognition import ATTEMPT

    async with site.client("foreman") as foreman:
        claim_id = (await foreman.post("/api/records/claims", json=ATTEMPT)).json()["claim_id"]
    async with site.client("auditor") as auditor:
        decided = await auditor.post(
            f"/api/records/claims/{claim_id}/verify", json={"evidence": "weighbridge slips"}
        )
    assert decided.status_code == 200, decided.text
    async with await page_client(site, "worker") as client:
        page = (await client.get("/records")).text
    standing = page[page.index('id="std-h"') : page.index('id="hist-h"')]
    # S1: 102 t in 6 h against 7 t per 6 h, by a crew of four: 1457.1% stated, 364.3% fair.
    assert "Hewer One" in standing and "Mine/Section 1/Brigade 1" in standing
    assert "1457.1%" in standing and "364.3%" in standing and "17 t/h" in standing
    assert ">t<" not in standing  # the unit of measure is not a place
    historical = page[page.index('id="hist-h"') :]
    row = re.search(r"Alexei Stakhanov</th><td[^>]*>1935-08-31</td>(.*?)</tr>", historical)
    assert row is not None and "102 t" in row[1]


async def test_the_kiosk_shows_no_way_into_the_foremans_pages(site: Site) -> None:
    async with await page_client(site, "foreman") as client:
        kiosk = (await client.get("/kiosk")).text
    assert 'aria-label="Main"' not in kiosk and 'href="/shifts/new"' not in kiosk
    assert 'action="/logout"' in kiosk and "Close the kiosk" in kiosk


async def test_the_pay_slip_marks_its_parts_for_a_phone(site: Site) -> None:
    """On a narrow screen each slip line becomes a block of code and amount, quantity at rate,
    and its explanation: the cells say which is which."""
    from stakhanov.data import preset_scales
    from stakhanov.services.scales import import_scales

    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    async with await page_client(site, "worker") as client:
        page = (await client.get("/me", params={"period": "1935-08"})).text
        css = (await client.get("/static/style.css")).text
    slip = page[page.index('<section class="slip') :]
    for part in ("code", "qty", "unit", "rate", "amount", "explain"):
        assert f'class="{part}"' in slip or f'class="n {part}"' in slip, part
    assert "table.slip-lines td.amount { grid-area: amount;" in css


async def test_a_refused_dispute_comes_back_with_the_problem_by_its_field(site: Site) -> None:
    """A worker who names a shift he did not work keeps what he typed, the problem beside the
    field; a dispute opened says so."""
    login = (await site.login("worker")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        form = {"csrf_token": login["csrf_token"], "subject": "shift", "period": "1935-08"}
        refused = await client.post(
            "/me/disputes", data={**form, "reference": "S4", "text": "my tonnes are missing"}
        )
        opened = await client.post(
            "/me/disputes", data={**form, "reference": "S2", "text": "my tonnes are missing"}
        )
        shown = await client.get(opened.headers["location"])
    assert refused.status_code == 422
    assert 'id="err-reference"' in refused.text and "is not a shift you worked" in refused.text
    assert 'value="S4"' in refused.text and 'value="my tonnes are missing"' in refused.text
    assert '<option value="shift" selected>' in refused.text
    assert opened.status_code == 303
    assert "Your dispute was opened." in shown.text and "shift S2" in shown.text


async def test_the_shift_form_and_the_kiosk_say_what_to_do_not_the_command_line(
    site: Site,
) -> None:
    """Re-entering a stored shift with other hours is refused; the form points at its own
    correction box, the kiosk at the foreman, never at `--correct`."""
    login = (await site.login("foreman")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        shift = {
            "csrf_token": login["csrf_token"],
            "shift_id": "S2",
            "date": "1935-08-30",
            "hours": "6",
            "workplace": "Mine/Section 1/Brigade 1",
            "conditions": "standard",
            "outputs.0.operation": "hewing",
            "outputs.0.quantity": "99",
            "outputs.0.unit": "t",
        }
        form = await client.post("/shifts/new", data=shift)
        await client.post(
            "/pins", data={"csrf_token": login["csrf_token"], "worker_id": "H2", "pin": "2468"}
        )
        kiosk = await client.post(
            "/kiosk",
            data={
                "csrf_token": login["csrf_token"],
                "worker_id": "H2",
                "pin": "2468",
                "shift_id": "S2",
                "operation": "hewing",
                "hours": "5",
            },
        )
    assert form.status_code == 422, form.text[:300]
    assert "--correct" not in form.text and "This corrects a shift already recorded" in form.text
    assert kiosk.status_code == 422, kiosk.text[:300]
    assert "--correct" not in kiosk.text and "ask the foreman to correct the shift" in kiosk.text


async def test_on_a_phone_nothing_is_wider_than_the_screen(site: Site) -> None:
    """Tables scroll inside their box (a fieldset no longer grows to its table, and what is
    visually hidden in a row stays inside the box); inputs never exceed their column."""
    async with await page_client(site, "foreman") as client:
        css = (await client.get("/static/style.css")).text
    assert re.search(r"\.scroll \{ overflow-x: auto; position: relative; \}", css)
    assert re.search(r"fieldset \{[^}]*min-width: 0;", css)
    assert "input, select { max-width: 100%; }" in css
    assert ".chart.compact { display: block; }" in css


async def test_the_close_form_lists_what_blocks_the_lock_and_asks_to_confirm(site: Site) -> None:
    from stakhanov.data import preset_scales
    from stakhanov.services.scales import import_scales

    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    async with await page_client(site, "accountant") as client:
        september = (await client.get("/payroll", params={"period": "1935-09"})).text
        august = (await client.get("/payroll", params={"period": "1935-08"})).text
    async with await page_client(site, "director") as client:
        director = (await client.get("/payroll", params={"period": "1935-09"})).text
    check = re.search(r'<div id="lock-check".*?</table>', september, re.S)
    assert check is not None and "implausible" in check[0] and "pooled" in check[0]
    assert 'name="override"' in september and 'id="close-confirm"' in september
    assert "Yes, close and lock" in september and "hidden" in september
    # Nothing to override: no reason is asked for.
    assert 'name="override"' not in august and 'id="close-confirm"' in august
    assert "lock-check" not in director and "close-form" not in director


async def test_the_check_on_the_pay_page_is_paged_with_what_blocks_first(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no scale every crew row is listed (blocking nothing): the page shows a page of the
    check, what blocks first, with the count and the next page (decision 0880)."""
    from stakhanov.services import lock_check
    from stakhanov.web import payroll_pages

    monkeypatch.setattr(payroll_pages, "BLOCKERS_PER_PAGE", 3)
    found = lock_check.check(site.engine, parse_period("1935-09"))
    blocking = [b for b in found.blockers if b.blocks]
    rest = [b for b in found.blockers if not b.blocks]
    assert 0 < len(blocking) < 3 < len(found.blockers) and rest

    def rows(text: str) -> list[str]:
        check = re.search(r'<div id="lock-check".*?</table>', text, re.S)
        assert check is not None
        body = check[0].split("<tbody>", 1)[1]
        return [re.sub(r"<[^>]+>", "|", r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]

    def shown(b: lock_check.Blocker) -> str:
        return f"{b.subject} {b.operation}" if b.operation else b.subject

    async with await page_client(site, "accountant") as client:
        first = (await client.get("/payroll", params={"period": "1935-09"})).text
        listed = rows(first)
        assert len(listed) == 3
        expected = blocking + rest
        assert [shown(b) in r for b, r in zip(expected, listed, strict=False)] == [True] * 3
        assert f"{len(found.blockers)} in all" in first
        link = re.search(r'href="([^"]*bpage=2[^"]*)" rel="next"', first)
        assert link is not None and "period=1935-09" in link[1]
        second = (await client.get(link[1].replace("&amp;", "&"))).text
        assert [shown(b) in r for b, r in zip(expected[3:], rows(second), strict=False)] == [
            True
        ] * min(3, len(expected) - 3)
        # A page past the last shows the last, as the other lists do (decision 0885).
        past = (await client.get("/payroll", params={"period": "1935-09", "bpage": 999})).text
        last = expected[(len(expected) - 1) // 3 * 3 :]
        assert [shown(b) in r for b, r in zip(last, rows(past), strict=True)] == [True] * len(last)
        worker = rest[0].worker_ids[0]
        searched = (await client.get("/payroll", params={"period": "1935-09", "bq": worker})).text
        assert rows(searched) and all(worker in r for r in rows(searched))


async def test_the_slip_list_has_totals_search_paging_and_exports(site: Site) -> None:
    from stakhanov.data import preset_scales
    from stakhanov.services.scales import import_scales

    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    period = {"period": "1935-08"}
    async with await page_client(site, "accountant") as client:
        await client.get("/payroll", params=period)
        computation = site.app.state.pay_totals.latest(parse_period("1935-08"))
        computation.wait(120)  # an open period's totals are computed in the background
        every = (await client.get("/payroll", params=period)).text
        found = (await client.get("/payroll", params={**period, "q": "H1"})).text
        csv_all = await client.get("/payroll/slips.csv", params=period)
        csv_found = await client.get("/payroll/slips.csv", params={**period, "q": "h1"})
        xlsx = await client.get("/payroll/slips.xlsx", params=period)
    listed = re.search(r'<table id="slip-list">.*?</table>', every, re.S)
    assert listed is not None and "Total," in listed[0] and "<tfoot>" in listed[0]
    rows = csv_all.text.strip().splitlines()
    assert rows[0] == "worker_id,name,currency,gross,deducted,net,lines" and len(rows) >= 3
    assert [r.split(",")[0] for r in csv_found.text.strip().splitlines()[1:]] == ["H1"]
    assert "matching “H1”" in found and "Total, 1 slip found" in found
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    net = sum(Decimal(r.split(",")[5]) for r in rows[1:] if r.split(",")[2] == "RUB")
    assert f">{number(net, 'en')}<" in listed[0]  # the reader's locale: 1,164.08
