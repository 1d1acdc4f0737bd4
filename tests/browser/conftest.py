"""A real server on 127.0.0.1 (a free port) over the demo mine, and Debian's Chromium.

The server runs in this process on a thread; the browser is launched with a fresh profile and
no network besides the server. Screenshots go to artifacts/screenshots (or
STAKHANOV_SCREENSHOTS, which scripts/screenshots points at docs/images).

No test may depend on an idle machine: every wait is for an explicit condition (a URL, a
visible element, a text), bounded only by the one generous limit below, never by a sleep.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine

from stakhanov.services import demo_accounts
from stakhanov.services.demo import build
from stakhanov.services.demo_accounts import PASSWORD
from stakhanov.store.db import make_engine, upgrade
from stakhanov.web.app import create_app
from stakhanov.web.in_thread import served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("STAKHANOV_SCREENSHOTS", "artifacts/screenshots"))
PATIENCE_S = 60
"""How long any wait may take (navigation, an element, the server starting). Generous: a
loaded machine may be slow, and a passing test waits only as long as its condition needs."""
expect.set_options(timeout=PATIENCE_S * 1000)


def _required() -> bool:
    return bool(os.environ.get("STAKHANOV_REQUIRE_POSTGRES") or os.environ.get("CI"))


@dataclass
class Server:
    url: str
    engine: Engine


def _demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo mine, built once for all test processes of the run."""
    shared = tmp_path_factory.getbasetemp().parent / "stakhanov-web-demo.db"
    with (shared.parent / "stakhanov-web-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            building = shared.with_suffix(".building")
            _remove(building)  # what an interrupted build left would be built on again
            engine = make_engine(f"sqlite:///{building}")
            upgrade(engine)
            build(engine)
            demo_accounts.add(engine)
            engine.dispose()
            _copy(building, shared)
            _remove(building)
    private = tmp_path_factory.mktemp("web") / "demo.db"
    _copy(shared, private)
    # The shared copy may predate this checkout's newest migration (several checkouts share
    # it): bring the private copy up to date, which is nothing when it already is.
    engine = make_engine(f"sqlite:///{private}")
    upgrade(engine)
    engine.dispose()
    return private


def _remove(database: Path) -> None:
    for path in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        path.unlink(missing_ok=True)


def _copy(source: Path, target: Path) -> None:
    """SQLite's own backup, which carries what is still in the write-ahead log."""
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    engine = make_engine(f"sqlite:///{_demo_copy(tmp_path_factory)}")
    try:
        with served(create_app(engine), PATIENCE_S) as url:
            yield Server(url, engine)
    except RuntimeError as err:  # a hung or failed start
        pytest.fail(str(err))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium)"
        if _required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no cookies), desktop-sized."""
    created = browser.new_context(viewport={"width": 1366, "height": 900})
    created.set_default_timeout(PATIENCE_S * 1000)
    created.set_default_navigation_timeout(PATIENCE_S * 1000)
    yield created
    created.close()


def shoot(page: Page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def log_in(context: BrowserContext, server: Server, username: str) -> Page:
    """Log in through the form, as a person does; the page lands on the role's start."""
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait for the landing page itself, not merely for a load event of the login page.
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.get_by_role("navigation").first).to_be_visible()
    return page
