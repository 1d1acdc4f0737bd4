"""Defects found on a new user's walk that lived in the browser (issue 12), retried in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import Server, log_in

pytestmark = pytest.mark.e2e


def test_a_refused_dispute_opens_at_its_form_with_the_message_in_view(
    server: Server, context: BrowserContext
) -> None:
    """The page was reloaded at its top, the message thousands of pixels below."""
    page = log_in(context, server, "stakhanov")
    page.goto(f"{server.url}/me?period=1935-08")
    page.get_by_label("What", exact=True).select_option("shift")
    page.get_by_label("Which (shift id, period:line key, or operation)").fill("NO-SUCH-SHIFT")
    page.get_by_label("What is wrong", exact=True).fill("my tonnes are missing")
    page.get_by_role("button", name="Open a dispute").click()
    message = page.locator("#err-reference")
    expect(message).to_have_text(
        "The dispute was not opened: NO-SUCH-SHIFT is not a shift you worked."
    )
    expect(message).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
