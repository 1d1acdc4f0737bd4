"""The shift form in the browser (lists, the proposed id, lines added and removed, the
percentages after saving; and without the script) and a worker's sign-off seen by his foreman.

Each journey names its own days in November 1935, a period no other journey closes or locks,
and none is later than the foreman's journey's shift of 2 November: the kiosk lists the week up
to the newest shift, and that journey picks its shift there.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from stakhanov.services import dashboard
from stakhanov.services.demo_accounts import BRIGADE
from stakhanov.services.entry import ShiftForm
from stakhanov.services.importing import import_batch
from stakhanov.web.pages import plain
from tests.browser.conftest import PATIENCE_S, Server, log_in, shoot

pytestmark = pytest.mark.e2e


def crew_lines(page: Page) -> int:
    return page.locator('tbody[data-lines="crew"] tr').count()


def test_the_foreman_chooses_from_lists_and_sees_the_shifts_percentages(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "foreman")
    page.goto(f"{server.url}/shifts/new")
    workers = page.locator("#workers option")
    assert workers.count() > 0
    for label in workers.all_text_contents():  # his brigade's workers only
        assert label.endswith(f"· {BRIGADE}"), label
    assert "hewing" in page.locator("#operations option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    # The id follows the day and the workplace while it is left as proposed.
    page.get_by_label("Date", exact=True).fill("1935-11-01")
    page.get_by_label("Workplace", exact=True).select_option(BRIGADE)
    expect(page.get_by_label("Shift id", exact=True)).to_have_value("1935-11-01-B1-1")
    page.get_by_label("Hours", exact=True).fill("6")
    # Lines are added and removed in the page; the labels follow the lines.
    before = crew_lines(page)
    page.get_by_role("button", name="More crew lines").click()
    assert crew_lines(page) == before + 1
    expect(page.get_by_label(f"Crew line {before + 1} worker id", exact=True)).to_be_focused()
    page.get_by_label("Crew line 2 worker id", exact=True).fill("gone")
    page.get_by_label("Remove crew line 2", exact=True).click()  # the line goes at once
    assert crew_lines(page) == before
    assert "gone" not in page.locator('tbody[data-lines="crew"]').inner_html()
    # The output's unit comes from the norm of the operation chosen.
    page.get_by_label("Output line 1 operation", exact=True).fill("hewing")
    page.get_by_label("Output line 1 operation", exact=True).press("Tab")
    expect(page.get_by_label("Output line 1 unit", exact=True)).to_have_value("t")
    page.get_by_label("Output line 1 quantity", exact=True).fill("14")
    page.get_by_label("Crew line 1 worker id", exact=True).fill("W001")
    page.get_by_label("Crew line 1 operation", exact=True).fill("hewing")
    page.get_by_label("Crew line 1 hours", exact=True).fill("6")
    page.get_by_role("button", name="Record the shift").click()
    expect(page.get_by_role("status")).to_contain_text("Shift 1935-11-01-B1-1 recorded")
    found = dashboard.shift_outcome(server.engine, "1935-11-01-B1-1")
    assert found is not None and found[1] is not None
    view, total = found
    row = page.locator("#outcome tbody tr").filter(has_text="W001")
    expect(row).to_contain_text(f"{plain(view.crew[0]['percent'])}%")
    expect(row).to_contain_text(f"{plain(view.crew[0]['fair_percent'])}%")
    expect(page.locator("#outcome-total")).to_contain_text(f"{plain(total.percent)}%")
    expect(page.locator("#outcome-total")).to_contain_text(f"{plain(total.fair_percent)}%")
    # The next form keeps the day and workplace, and proposes the next id.
    expect(page.get_by_label("Shift id", exact=True)).to_have_value("1935-11-01-B1-2")
    shoot(page, "foreman-entry-percentages")


def test_without_the_script_the_form_adds_and_removes_lines_through_the_server(
    server: Server, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(PATIENCE_S * 1000)
    try:
        page = log_in(context, server, "foreman")
        page.goto(f"{server.url}/shifts/new")
        before = crew_lines(page)
        page.get_by_label("Crew line 1 worker id", exact=True).fill("W001")
        page.get_by_label("Crew line 2 worker id", exact=True).fill("W003")
        page.get_by_role("button", name="More crew lines").click()
        expect(page.get_by_label("Crew line 1 worker id", exact=True)).to_have_value("W001")
        assert crew_lines(page) > before
        page.get_by_label("Remove crew line 1", exact=True).check()
        page.get_by_role("button", name="More crew lines").click()
        expect(page.get_by_label("Crew line 1 worker id", exact=True)).to_have_value("W003")
    finally:
        context.close()


def test_the_foreman_sees_what_a_worker_confirmed_on_his_day(
    server: Server, context: BrowserContext, browser: Browser
) -> None:
    made = ShiftForm(
        {"shift_id": "SIGN-1102", "date": "1935-11-02", "hours": "6", "workplace": BRIGADE},
        [{"operation": "hewing", "quantity": "15", "unit": "t"}],
        [
            {"worker_id": "W001", "operation": "hewing", "hours": "6"},
            {"worker_id": "W003", "operation": "timbering", "hours": "6"},
        ],
    )
    import_batch(server.engine, made.batch("sign-off journey"), author="test")
    worker = log_in(context, server, "stakhanov")
    worker.get_by_role("link", name="My day").click()
    worker.get_by_label("Day", exact=True).fill("1935-11-02")
    worker.get_by_role("button", name="Show", exact=True).click()
    expect(worker.locator("#signoff-SIGN-1102")).to_contain_text("unconfirmed")
    worker.get_by_label("Confirm shift SIGN-1102", exact=True).check()
    worker.get_by_role("button", name="Sign my day").click()
    expect(worker.get_by_role("status")).to_contain_text("Your sign-off is recorded.")
    expect(worker.locator("#signoff-SIGN-1102 .state strong")).to_have_text("confirmed")
    shoot(worker, "worker-day-signed", full_page=False)
    other = browser.new_context(viewport={"width": 1366, "height": 900})
    other.set_default_timeout(PATIENCE_S * 1000)
    try:
        foreman = log_in(other, server, "foreman")
        foreman.goto(f"{server.url}/shifts?period=1935-11-02")
        foreman.locator("summary").filter(has_text="SIGN-1102").click()
        crew = foreman.get_by_role("table", name=re.compile("The crew of SIGN-1102"))
        signed = crew.get_by_role("row").filter(has_text="W001").locator("td").last
        expect(signed).to_have_text("confirmed")
        unsigned = crew.get_by_role("row").filter(has_text="W003").locator("td").last
        expect(unsigned).to_have_text("unconfirmed")
        shoot(foreman, "foreman-shifts-signoff")
    finally:
        other.close()
