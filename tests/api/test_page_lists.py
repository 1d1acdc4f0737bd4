"""The long lists of the ledger, kiosk and admin pages: searched, sorted and paged on the
server, each choice kept in the links, and what the search finds exported as CSV and xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from stakhanov.domain.disputes import Subject
from stakhanov.domain.periods import Period
from stakhanov.domain.title_grants import Grant
from stakhanov.store.disputes import write_dispute
from stakhanov.store.titles import write_grant
from stakhanov.web.exports import export_link, like, offset, order, page_of
from stakhanov.web.listing import Listing
from tests.api.conftest import Site, without_noise
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


def shift_ids(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="shift_id" value="([^"]+)">', html)


async def test_shifts_are_searched_sorted_and_paged_in_the_store(site: Site) -> None:
    period = {"period": "1935-08-01..1935-09-30"}
    async with await page_client(site, "director") as client:
        newest = (await client.get("/shifts", params=period)).text
        oldest = (await client.get("/shifts", params={**period, "sort": "date"})).text
        by_id = (await client.get("/shifts", params={**period, "sort": "shift"})).text
        t2 = (await client.get("/shifts", params={**period, "q": "t2"})).text
        works = (await client.get("/shifts", params={**period, "q": "WORKS"})).text
        exported = await client.get("/shifts.csv", params={**period, "q": "t2"})
        workbook = await client.get("/shifts.xlsx", params=period)
    summaries = re.findall(r"<summary><strong>([^<]+)</strong> (S\d)", newest)
    assert [s for _, s in summaries] == [
        "S5",
        "S3",
        "S1",
        "S4",
        "S2",
    ]  # newest first, id breaks ties
    assert [s for _, s in re.findall(r"<summary><strong>([^<]+)</strong> (S\d)", oldest)] == [
        "S2",
        "S4",
        "S1",
        "S3",
        "S5",
    ]
    assert re.findall(r"</strong> (S\d)", by_id) == ["S1", "S2", "S3", "S4", "S5"]
    assert re.findall(r"</strong> (S\d)", t2) == ["S1"]  # a crew member's worker number
    assert "1 shift matching “t2”" in t2
    assert re.findall(r"</strong> (S\d)", works) == ["S4"]  # the workplace, any case
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:3] == ["shift_id", "date", "workplace"]
    assert {r[0] for r in rows[1:]} == {"S1"} and {r[4] for r in rows[1:]} == {
        "H1",
        "T1",
        "T2",
        "P1",
    }
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


async def test_a_foremans_shifts_and_pins_stay_in_his_scope(site: Site) -> None:
    async with await page_client(site, "foreman") as client:
        shifts = (await client.get("/shifts", params={"period": "1935-08-01..1935-09-30"})).text
        pins = without_noise((await client.get("/pins")).text)
        found = (await client.get("/pins", params={"q": "timberer", "sort": "name"})).text
        exported = (await client.get("/pins.csv")).text
    assert set(re.findall(r"</strong> (S\d)", shifts)) == {"S1", "S2"}
    assert "4 workers" in pins and "H3" not in pins and "L1" not in pins
    assert re.findall(r'<td><a href="[^"]*">(\w\d)</a></td>', found) == ["T1", "T2"]
    # The party organiser is at home in the mine, above the brigade: not the foreman's.
    assert [r.split(",")[0] for r in exported.strip().splitlines()[1:]] == ["H1", "H2", "T1", "T2"]


async def test_the_writes_and_the_users_are_paged_and_searched(site: Site) -> None:
    async with await page_client(site, "admin") as client:
        users = (await client.get("/admin/users", params={"q": "OR", "sort": "username"})).text
        backwards = await client.get("/admin/users", params={"sort": "username", "order": "desc"})
        backwards = backwards.text
        exported = (await client.get("/admin/users.csv", params={"q": "worker"})).text
    names = re.findall(r'<h3>[^<]*<span class="id">([^<]+)</span>', users)
    assert names == ["auditor", "director", "foreman", "worker"]
    every = re.findall(r'<h3>[^<]*<span class="id">([^<]+)</span>', backwards)
    assert every == sorted(every, reverse=True) and len(every) == 8
    assert exported.splitlines()[1].startswith("worker,") and "worker on *" in exported
    async with await page_client(site, "accountant") as client:
        writes = (await client.get("/batches", params={"q": "test", "sort": "batch"})).text
        none = (await client.get("/batches", params={"q": "100%_"})).text
        exported = (await client.get("/batches.csv")).text
    assert "1 write matching “test”" in writes
    assert "No write matches “100%_”." in none  # % and _ are taken literally
    assert exported.splitlines()[0] == "batch_id,kind,source,author,reason,written_at"


async def test_the_lists_speak_the_readers_language(site: Site) -> None:
    russian = {"Accept-Language": "ru"}
    async with await page_client(site, "director") as client:
        shifts = await client.get("/shifts", params={"period": "1935-08"}, headers=russian)
    assert "3 смены" in shifts.text and "Найти" in shifts.text and ">Смены</h1>" in shifts.text


def test_a_page_beyond_the_rows_is_the_last_and_an_export_keeps_the_choices() -> None:
    params = (("period", "1935-08"), ("q", "h1"), ("sort", "date"), ("page", "9"))
    asked = Listing("/shifts", params, ("date", "shift"), "h1", "date", True, 9, 50)
    shown = page_of(asked, 120)
    assert (shown.page, offset(shown)) == (3, 100)
    assert page_of(asked, 0).page == 1 and offset(page_of(asked, 0)) == 0
    assert export_link(asked, "csv") == "/shifts.csv?period=1935-08&q=h1&sort=date"
    assert order(asked, "shift") == ("date", True)
    unsorted = Listing("/shifts", (), ("date",), descending=True)
    assert order(unsorted, "date", descending=True) == ("date", True)  # the list's own order
    assert like("100%_a\\") == "%100\\%\\_a\\\\%"


async def test_the_disputes_page_is_scoped_searched_sorted_and_paged_in_the_store(
    site: Site,
) -> None:
    opened = [("H1", "S1"), ("H3", "S3"), ("T1", "S1"), ("L1", "S4")] * 15
    with site.engine.begin() as connection:
        for n, (worker, shift) in enumerate(opened):
            write_dispute(connection, worker, Subject.SHIFT, shift, f"count {n} short", "test")

    def ids(html: str) -> list[int]:
        return [int(i) for i in re.findall(r'<tr id="d-(\d+)">', html)]

    async with await page_client(site, "foreman") as client:
        mine = (await client.get("/disputes")).text
        second = (await client.get("/disputes", params={"page": "2"})).text
        past = (await client.get("/disputes", params={"page": "99"})).text
        found = (await client.get("/disputes", params={"q": "TIMBERER 3", "sort": "opened"})).text
    # The foreman sees the 30 disputes of his brigade's shift, 50 a page, newest first.
    assert "30 disputes in your scope" in mine and ids(mine) == list(range(59, 0, -2))
    assert ids(second) == ids(mine)  # one page: a page past it is that page
    assert ids(past) == ids(mine)
    # Worker T1's name, one word per term, any case; sorted by when opened, oldest first.
    assert ids(found) == [
        n + 1 for n, (w, _) in enumerate(opened) if w == "T1" and "3" in f"{n} {n + 1}"
    ]
    async with await page_client(site, "auditor") as client:
        first = (await client.get("/disputes")).text
        rest = (await client.get("/disputes", params={"page": "2"})).text
    assert "60 disputes in your scope" in first
    assert ids(first) + ids(rest) == list(range(60, 0, -1))


async def test_the_titles_api_lists_those_in_scope_from_the_store(site: Site) -> None:
    day = dt.date(1935, 9, 1)
    with site.engine.begin() as connection:
        for worker in ("H1", "H3", "H1"):
            grant = Grant(
                0, worker, "udarnik", "Udarnik", day, None, "r", {}, Period(day, day), "t"
            )
            write_grant(connection, grant, "{}")
    async with site.client("foreman") as foreman, site.client("director") as director:
        brigade = (await foreman.get("/api/titles")).json()
        everyone = (await director.get("/api/titles")).json()
        one = (await director.get("/api/titles", params={"worker_id": "H3"})).json()
        outside = (await foreman.get("/api/titles", params={"worker_id": "H3"})).json()
    assert [(t["title_id"], t["worker_id"]) for t in brigade] == [(1, "H1"), (3, "H1")]
    assert [t["worker_id"] for t in everyone] == ["H1", "H3", "H1"]
    assert [t["title_id"] for t in one] == [2] and outside == []


async def test_the_overview_charts_the_units_its_table_shows(site: Site) -> None:
    """The chart draws the table's page, in its search and order, not every unit: an
    enterprise of thousands of brigades would be megabytes of bars (decision 0896)."""
    pages = {}
    async with await page_client(site, "director") as client:
        for q in ("", "Brigade"):
            params = {"period": "1935-08", "uq": q, "usort": "percent", "uorder": "desc"}
            pages[q] = (await client.get("/", params=params)).text
    for q, page in pages.items():
        listed = re.findall(r'<th scope="row"><a href="/units\?unit=[^"]*">([^<]*)</a>', page)
        chart = re.search(
            r'<svg[^>]*aria-label="Fulfilment of the norm by unit.*?</svg>', page, re.S
        )
        assert chart is not None and listed
        charted = re.findall(r"<title>([^<]*): stated", chart[0])
        assert charted == listed, q
    assert len(re.findall(r'<th scope="row"><a href="/units', pages[""])) > 1
    assert "Mine/Section 1: stated" not in pages["Brigade"]
