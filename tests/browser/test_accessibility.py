"""Accessibility of every page each role reaches: labels, landmarks, names, contrast, keyboard.

The checks run inside Chromium on the rendered page (tests/browser/a11y.js), so they see the
computed colours and the real label associations. Each role's pages are the links of its own
navigation (so a page added to the navigation is checked without a word here) and the pages
those lead to (DETAILS); `test_every_page_is_checked` holds the two against the app's routes.

Keyboard: a11y.js focuses every Tab stop and wants a ring of 3:1 against what is around it, no
positive tabindex (so the Tab order is the page's order) and no control left out of the order;
here the Tab key itself walks the first stops of each page and must meet them in that order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import BrowserContext, Page

from stakhanov.services.demo_accounts import BRIGADE, PASSWORD, PEOPLE
from stakhanov.web.app import create_app
from tests.browser.conftest import Server, log_in

pytestmark = pytest.mark.e2e

CHECKS = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")
STOPS = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
ROLES = sorted(username for username, *_ in PEOPLE)
PERIOD = "period=1935-09"
"""The month every page looks at, whatever the journeys have added since (pages that take no
period ignore it)."""
QUERIES = {"/shifts": "period=1935-09-30..1935-09-30", "/audit/chain": ""}
DETAILS: dict[str, list[str]] = {
    "director": [
        f"/units?unit={BRIGADE}&period=1935-09",
        "/workers/W001?period=1935-08-31..1935-09-02",
        "/revisions/1",
        "/honour?period=1935-09&wall=1",
        "/audit?status=any&sort=kind&order=desc&page=2",
        "/titles?period=1935-08",
        "/titles/1/revoke",
    ],
    "foreman": [f"/tickets/badges?unit={BRIGADE}", "/kiosk/day"],
    "rate-setter": ["/norms/impact?operation=loading&norm=15&period=1935-09-01..1935-09-03"],
    "stakhanov": ["/me?period=1935-08", "/my-day?day=1935-09-02"],
}
NOT_PAGES = {
    "/login": "checked by itself, before anyone logs in",
    "/language": "answers with a redirect back to the page",
    "/payroll/slips.csv": "a file",
    "/payroll/slips.xlsx": "a file",
    "/shifts.csv": "a file",
    "/shifts.xlsx": "a file",
    "/history.csv": "a file",
    "/history.xlsx": "a file",
    "/batches.csv": "a file",
    "/batches.xlsx": "a file",
    "/pins.csv": "a file",
    "/pins.xlsx": "a file",
    "/admin/users.csv": "a file",
    "/admin/users.xlsx": "a file",
    "/audit.csv": "a file",
    "/audit.xlsx": "a file",
    "/tickets/sheet": "needs printed tickets: tests/browser/test_tickets.py checks it",
    "/tickets/sheet.pdf": "a file",
    "/tickets/badges.pdf": "a file",
    "/tickets/{ticket_id}.png": "an image",
    "/offline-sw.js": "a script (the service worker)",
    "/shifts/new/proposal": "answers JSON to the shift form's script",
}
TAB_STOPS = 40
"""How many stops of each page the Tab key walks; a11y.js checks the rest stand in the order."""


def problems_on(page: Page) -> list[str]:
    page.evaluate(STOPS)
    found: list[str] = page.evaluate(CHECKS)
    return found


def nav_links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "header.top nav a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return hrefs


def with_period(href: str) -> str:
    query = QUERIES.get(href, PERIOD)
    return f"{href}?{query}" if query else href


def pages_of(page: Page, username: str) -> list[str]:
    return [with_period(href) for href in nav_links(page)] + DETAILS.get(username, [])


def web_pages(server: Server) -> set[str]:
    """The GET routes of the app's own pages (web/), as app.py assembles them."""
    app = create_app(server.engine)
    found = set()
    for included in app.routes:
        router = getattr(included, "original_router", None)
        routes = router.routes if router is not None else [included]
        for route in routes:
            if (
                isinstance(route, APIRoute)
                and "GET" in route.methods
                and route.endpoint.__module__.startswith("stakhanov.web")
            ):
                found.add(route.path)
    return found


def route_of(path: str, routes: set[str]) -> str | None:
    bare = path.split("?")[0]
    for route in routes:
        if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", route), bare):
            return route
    return None


def keyboard_problems(page: Page) -> list[str]:
    """Tab from where the page starts (its first stop, or past an autofocused field): the key
    must meet the next stops in order, each with its ring. Run before anything moves the focus.
    """
    stops: int = page.evaluate(STOPS)
    first: int = page.evaluate(
        "() => { const at = document.activeElement && document.activeElement.dataset;"
        " return at && at.a11yStop !== undefined ? Number(at.a11yStop) + 1 : 0; }"
    )
    expected = list(range(first, min(stops, first + TAB_STOPS)))
    walked: list[dict[str, Any]] = []
    presses = 0
    # A table too wide for the screen is a stop of its own (so that its scroll can be reached):
    # press on until the stops are met, or far beyond them.
    while presses < 2 * len(expected) + 10:
        for _ in range(len(expected) - sum(w["stop"] is not None for w in walked) or 1):
            page.keyboard.press("Tab")
            presses += 1
        walked = page.evaluate("() => window.__a11yFocus")
        if sum(w["stop"] is not None for w in walked) >= len(expected):
            break
    problems = [f"<{w['tag']}> '{w['text']}' shows no focus ring" for w in walked if not w["ring"]]
    met = [w["stop"] for w in walked if w["stop"] is not None][: len(expected)]
    if met != expected:
        problems.append(f"the Tab key met stops {met}, not {expected}")
    return problems


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_each_role_passes_the_checks(
    server: Server, context: BrowserContext, username: str
) -> None:
    page = log_in(context, server, username)
    failures = {}
    for path in pages_of(page, username):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        found = keyboard_problems(page) + problems_on(page)
        if found:
            failures[path] = found[:10]
    assert failures == {}


def test_every_page_is_checked(server: Server, context: BrowserContext) -> None:
    """Each page of the app is reached by some role's navigation or DETAILS, or said why not."""
    routes = web_pages(server)
    checked = set()
    for username in ROLES:
        page = log_in(context, server, username)
        checked |= {route_of(path, routes) for path in pages_of(page, username)}
        page.close()
    assert None not in checked  # every listed path is a page of the app
    assert routes - checked == set(NOT_PAGES)


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
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const ringless = document.createElement('button');
            ringless.textContent = 'no ring';
            ringless.style.outline = 'none';
            ringless.style.boxShadow = 'none';
            const jumper = document.createElement('a');
            jumper.href = '#';
            jumper.textContent = 'jumps ahead';
            jumper.tabIndex = 2;
            const fake = document.createElement('div');
            fake.setAttribute('role', 'button');
            fake.textContent = 'not focusable';
            main.append(ringless, jumper, fake);
        }"""
    )
    found = " | ".join(problems_on(page))
    assert "has no label" in found and "'hard to read' contrast" in found
    assert "'no ring' has no visible focus" in found
    assert "'jumps ahead' has a positive tabindex" in found
    assert "'not focusable' acts as a control but takes no focus" in found


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
