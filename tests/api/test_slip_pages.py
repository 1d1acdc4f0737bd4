"""The pay page's slip list a page at a time (decision 0875): a closed period's pages are the
slices of the whole list as the page used to sort it, an open period's page slips are the
full computation's, and its totals come from the background computation."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from sqlalchemy import Engine

from stakhanov.data import preset_scales
from stakhanov.domain.access import Grant, Role, within_any
from stakhanov.domain.periods import Period
from stakhanov.domain.slip_lists import SORTS, SlipHead, matching, sorted_by, totals
from stakhanov.services import accounts, payroll, reports, slip_pages
from stakhanov.services.pay_totals import Computation, PayTotals
from stakhanov.services.scales import import_scales
from stakhanov.services.slip_pages import Asked
from tests.api.conftest import BRIGADE, PASSWORD, Site
from tests.api.test_pages import page_client

pytestmark = pytest.mark.anyio
AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))
SEARCHES = ("", "h", "H1", "one", "zzz", "o_")
OPEN_SEARCHES = ("", "two")
SCOPES: tuple[list[str] | None, ...] = (None, [BRIGADE], ["Mine"], ["Works"], [])
OPEN_SCOPES: tuple[list[str] | None, ...] = (None, [BRIGADE])
PER_PAGE = 2


class Whole:
    """The slips in scope as the page listed them before 0875: every one, then filtered."""

    def __init__(self, engine: Engine) -> None:
        self.units = {w.worker_id: w.unit for w in reports.workers(engine)}
        self.every = [SlipHead.of(s) for s in payroll.slips(engine, AUGUST).slips]

    def __call__(self, scope: list[str] | None, search: str) -> list[SlipHead]:
        units = self.units
        shown = [s for s in self.every if within_any(units.get(s.worker_id, ""), scope)]
        return matching(shown, search)


def _cases(searches: tuple[str, ...] = SEARCHES) -> list[tuple[str, bool, str]]:
    return list(itertools.product(SORTS, (False, True), searches))


def _close(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    payroll.close(site.engine, AUGUST, author="test")


def _computed(site: Site) -> Computation:
    found = PayTotals().compute(site.engine, AUGUST)
    assert found is not None
    found.wait(120)
    assert not found.running and found.error is None, found.error
    return found


async def test_a_closed_period_s_pages_are_slices_of_the_whole_list(site: Site) -> None:
    _close(site)
    closed = next(c for c in payroll.periods(site.engine) if c.period == AUGUST)
    _whole = Whole(site.engine)
    for scope in SCOPES:
        for sort, descending, search in _cases():
            whole = sorted_by(_whole(scope, search), sort, descending)
            pages = max(1, -(-len(whole) // PER_PAGE))
            for number in range(1, pages + 2):  # one past the last: the last again
                asked = Asked(search, sort, descending, PER_PAGE, number)
                found = slip_pages.closed_list(site.engine, closed, scope, asked)
                start = (min(number, pages) - 1) * PER_PAGE
                case = (scope, sort, descending, search, number)
                assert found.rows == whole[start : start + PER_PAGE], case
                assert found.found == len(whole) and found.page == min(number, pages), case
                assert found.totals == totals(whole), case
            everyone = _whole(scope, "")
            assert found.everyone == len(everyone)
            exported = slip_pages.exported(site.engine, AUGUST, closed, scope, asked)
            assert list(exported) == whole


async def test_an_open_period_s_page_slips_are_the_full_computation_s(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    computation = _computed(site)
    with site.engine.connect() as connection:
        every = payroll.compute(connection, AUGUST)
    assert computation.slips == [SlipHead.of(s) for s in every.slips]
    _whole = Whole(site.engine)
    for scope in OPEN_SCOPES:
        for sort, descending, search in _cases(OPEN_SEARCHES):
            whole = sorted_by(_whole(scope, search), sort, descending)
            pages = max(1, -(-len(whole) // PER_PAGE))
            for number in range(1, pages + 1):
                asked = Asked(search, sort, descending, PER_PAGE, number)
                start = (number - 1) * PER_PAGE
                case = (scope, sort, descending, search, number)
                found = slip_pages.open_list(site.engine, AUGUST, scope, asked, computation)
                assert found.rows == whole[start : start + PER_PAGE], case
                assert found.found == len(whole) and found.totals == totals(whole), case
                waiting = slip_pages.open_list(site.engine, AUGUST, scope, asked, None)
                assert waiting.totals is None and waiting.found == len(whole), case
                if sort in ("worker", "name"):
                    assert waiting.rows == found.rows, case
                else:  # by worker until every slip is computed
                    by_worker = sorted_by(whole, "worker")[start : start + PER_PAGE]
                    assert waiting.rows == by_worker and not waiting.sorted_as_asked, case
            exported = slip_pages.exported(site.engine, AUGUST, None, scope, asked)
            assert list(exported) == whole


async def test_the_totals_are_computed_once_until_asked_again(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    jobs = PayTotals()
    first = jobs.compute(site.engine, AUGUST)
    assert first is not None
    first.wait(120)
    assert jobs.compute(site.engine, AUGUST) is first and jobs.latest(AUGUST) is first
    again = jobs.compute(site.engine, AUGUST, again=True)
    assert again is not None and again is not first
    again.wait(120)
    assert again.slips == first.slips and again.finished_at is not None
    assert jobs.running() is None


async def test_the_page_shows_totals_once_computed_and_recomputes_on_request(
    site: Site,
) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    jobs: PayTotals = site.app.state.pay_totals
    july = Period(dt.date(1935, 7, 1), dt.date(1935, 7, 31))
    jobs._latest[july] = Computation(july)  # one at a time: July's, never started, "runs"
    async with await page_client(site, "accountant") as client:
        waiting = (await client.get("/payroll", params={"period": "1935-08"})).text
        jobs._latest[july]._done.set()
        await client.get("/payroll", params={"period": "1935-08"})
        started = jobs.latest(AUGUST)
        assert started is not None
        started.wait(120)
        shown = (await client.get("/payroll", params={"period": "1935-08"})).text
        form = re.search(r'name="csrf_token" value="([^"]+)"', shown)
        assert form is not None
        posted = await client.post(
            "/payroll/totals", params={"period": "1935-08"}, data={"csrf_token": form[1]}
        )
    assert "The totals are being computed" in waiting and "data-reload" in waiting
    assert "the computation of another period" in waiting and "Total," not in waiting
    assert f"Total, {len(started.slips)} slips" in shown and "Recompute now" in shown
    assert "data-reload" not in shown
    assert posted.status_code == 303 and posted.headers["location"] == "/payroll?period=1935-08"
    assert jobs.latest(AUGUST) is not started


async def test_the_list_keeps_to_the_reader_s_scope(site: Site) -> None:
    _close(site)
    grant = Grant(Role.ACCOUNTANT, BRIGADE)  # pay seen over one brigade only
    accounts.add_user(site.engine, "brigade-pay", PASSWORD, author="test", grants=[grant])
    async with await page_client(site, "brigade-pay") as client:
        page = (await client.get("/payroll", params={"period": "1935-08"})).text
        other = await client.get("/payroll", params={"period": "1935-08", "worker_id": "H3"})
        own = await client.get("/payroll", params={"period": "1935-08", "worker_id": "H1"})
        exported = (await client.get("/payroll/slips.csv", params={"period": "1935-08"})).text
    listed = re.search(r'<table id="slip-list">.*?</table>', page, re.S)
    assert listed is not None
    brigade = {s.worker_id for s in Whole(site.engine)([BRIGADE], "")}
    assert brigade and "H3" not in brigade
    assert set(re.findall(r'<span class="id">([^<]+)</span>', listed[0])) == brigade
    assert {r.split(",")[0] for r in exported.strip().splitlines()[1:]} == brigade
    assert "Pay slip: Hewer Three" not in other.text and "Pay slip: Hewer One" in own.text
