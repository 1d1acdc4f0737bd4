"""The director declares a competition and confers, then revokes, a title from the pages.

Names its own period (August 1935, whose titles the demo does not confer) and its own
competition, so that it does not depend on the order of the other journeys."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import Server, log_in, shoot

SECTION = "Central-Irmino/Section 6"
BRIGADE = f"{SECTION}/Brigade 1"
pytestmark = pytest.mark.e2e


def test_the_director_declares_a_competition_and_confers_and_revokes_a_title(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "director")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Declare a competition"
    ).click()
    page.get_by_label("Name").fill("Brigades of Section 6, August 1935")
    page.get_by_label("Units that compete (two or more)").select_option(
        [BRIGADE, f"{SECTION}/Brigade 2"]
    )
    page.get_by_label("Metric").select_option("average-fulfilment")
    page.get_by_label("From", exact=True).fill("1935-08-01")
    page.get_by_label("To", exact=True).fill("1935-08-31")
    page.get_by_label("Rounds of a").select_option("week")
    page.get_by_role("button", name="Declare the competition").click()
    expect(page.get_by_role("status")).to_contain_text("declared")
    shoot(page, "director-declare", full_page=False)
    page.get_by_role("link", name="See its standings").click()
    expect(page.get_by_role("table").first).to_contain_text(BRIGADE)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Titles").click()
    page.get_by_label("Period").fill("1935-08")
    page.get_by_label("Unit", exact=True).select_option(BRIGADE)
    page.get_by_role("button", name="Show the proposals").click()
    expect(page.get_by_role("checkbox").first).to_be_checked()
    page.get_by_role("button", name="Confer the titles picked").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("conferred")
    found = re.search(r"\(no\. (\d+)\)", status.inner_text())
    assert found is not None
    title_id = found[1]
    page.locator(f'a[href="/titles/{title_id}/revoke"]').click()
    page.get_by_role("button", name="Revoke the title").click()
    # Nothing is revoked without a reason and a confirmation: the browser asks for both.
    expect(page.get_by_role("status")).to_have_count(0)
    page.get_by_label("Reason (required)").fill("the shifts were recounted")
    page.get_by_label(re.compile("I confirm")).check()
    page.get_by_role("button", name="Revoke the title").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked: the shifts were recounted")
    shoot(page, "director-revoke", full_page=False)
