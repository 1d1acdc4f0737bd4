"""Accessibility of the main pages: labels, landmarks, names, contrast and keyboard use.

The checks run inside Chromium on the rendered page (tests/browser/a11y.js), so they see the
computed colours and the real label associations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from stakhanov.services.demo_accounts import BRIGADE, PASSWORD
from tests.browser.conftest import Server, log_in

pytestmark = pytest.mark.e2e

CHECKS = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")
PAGES = {
    "director": [
        "/?period=1935-09",
        f"/units?unit={BRIGADE}&period=1935-09",
        "/workers",
        "/workers/W001?period=1935-08-31..1935-09-02",
        "/audit?period=1935-09",
        "/norms",
        "/shifts?period=1935-09-30..1935-09-30",
        "/batches",
        "/history",
        "/revisions",
        "/revisions/1",
        "/payroll?period=1935-09",
        "/records",
        "/honour?period=1935-09",
        "/honour?period=1935-09&wall=1",
        "/competitions",
    ],
    "foreman": [
        "/shifts/new",
        "/kiosk",
        "/kiosk/day",
        "/pins",
        "/import",
        "/records",
        "/disputes",
        "/skills",
        "/methods",
    ],
    "rate-setter": [
        "/norms/impact?operation=loading&norm=15&period=1935-09-01..1935-09-03",
        "/revisions",
    ],
    "admin": ["/admin/users"],
    "auditor": ["/audit", "/audit?status=any&sort=kind&order=desc&page=2"],
    "stakhanov": ["/me?period=1935-09", "/my-day?day=1935-09-02"],
}


def problems_on(page: Page) -> list[str]:
    found: list[str] = page.evaluate(CHECKS)
    return found


@pytest.mark.parametrize("username", sorted(PAGES))
def test_main_pages_pass_the_checks(server: Server, context: BrowserContext, username: str) -> None:
    page = log_in(context, server, username)
    failures = {}
    for path in PAGES[username]:
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        found = problems_on(page)
        if found:
            failures[path] = found[:10]
    assert failures == {}


def test_the_login_page_passes_the_checks(server: Server, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/login")
    assert problems_on(page) == []


def test_the_checks_catch_what_they_look_for(server: Server, context: BrowserContext) -> None:
    """A page with an unlabelled input and grey-on-white text fails, so a pass means something."""
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.evaluate(
        """() => {
            const input = document.createElement('input');
            document.querySelector('main').append(input);
            const faint = document.createElement('p');
            faint.textContent = 'hard to read';
            faint.style.color = '#bbbbbb';
            document.querySelector('main').append(faint);
        }"""
    )
    found = " | ".join(problems_on(page))
    assert "has no label" in found and "'hard to read' contrast" in found


def focus_path(page: Page, presses: int) -> list[dict[str, object]]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const style = getComputedStyle(el);
                    const box = el.getBoundingClientRect();
                    return {
                        tag: el.tagName.toLowerCase(),
                        text: (el.textContent || el.name || '').trim().slice(0, 40),
                        visible: box.width > 0 && box.height > 0,
                        ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
                    };
                }"""
            )
        )
    return seen


def test_everything_is_reachable_by_keyboard_with_a_visible_focus(
    server: Server, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/login")
    # The username field has the focus; log in with the keyboard alone.
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type("director")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/")
    path = focus_path(page, 24)
    assert path[0]["text"] == "Skip to content"
    assert all(step["visible"] and step["ring"] for step in path), path
    names = [step["text"] for step in path]
    assert "Audit" in names and "Log out" in names
    # The skip link takes the focus past the navigation to the page's content.
    page.goto(f"{server.url}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_form_error_is_announced_and_tied_to_its_field(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "foreman")
    page.goto(f"{server.url}/pins")
    page.get_by_label("New PIN (4 to 8 digits)", exact=True).fill("12")
    page.get_by_role("button", name="Set the PIN").click()
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "must be 4 to 8 digits"
