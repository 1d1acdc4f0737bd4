"""Tickets end to end in Chromium: print, scan pictures of the codes, lose the network, sync.

The pictures are the PNGs the server's segno draws, chosen in the page's camera input, as a
phone's camera would hand them over; jsQR decodes them in the page.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import BrowserContext, Page, Request, expect

from stakhanov.domain.ledger import CrewEntry, MeasuredOutput
from stakhanov.domain.tickets import Badge
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from stakhanov.services import ticket_sheets
from stakhanov.services.demo_accounts import BRIGADE
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, OUTPUT
from tests.browser.conftest import Server, log_in, shoot
from tests.browser.test_accessibility import problems_on

DAY = "1935-11-01"  # the foreman's journey writes 2 November, within the kiosk's week


def ledger(server: Server, shift_ids: set[str]) -> tuple[list[MeasuredOutput], list[CrewEntry]]:
    with server.engine.connect() as connection:
        store = LedgerStore(connection)
        return (
            store.records(OUTPUT, MeasuredOutput, "shift_id", shift_ids),
            store.records(CREW, CrewEntry, "shift_id", shift_ids),
        )


def test_tickets_are_printed_scanned_and_kept_offline(
    server: Server, context: BrowserContext, tmp_path: Path
) -> None:
    page = log_in(context, server, "foreman")
    page.goto(f"{server.url}/tickets")
    page.get_by_label("Workplace", exact=True).select_option(BRIGADE)
    page.get_by_label("Operation", exact=True).fill("hewing")
    page.get_by_label("Quantity on each ticket", exact=True).fill("3")
    page.get_by_label("Unit of the quantity", exact=True).fill("t")
    page.get_by_label("Order or bundle", exact=True).fill("Face 12")
    page.get_by_label("How many tickets", exact=True).fill("2")
    page.get_by_role("button", name="Print tickets").click()
    page.wait_for_url("**/tickets/sheet?ids=*")
    expect(page.locator(".card-cut")).to_have_count(2)
    first, second = page.locator(".ticket-id").all_inner_texts()
    shoot(page, "foreman-ticket-sheet", full_page=False)
    pdf = page.request.get(page.url.replace("/sheet?", "/sheet.pdf?"))
    assert pdf.body().startswith(b"%PDF")
    pictures = {}
    for ticket_id in (first, second):
        png = page.request.get(f"{server.url}/tickets/{ticket_id}.png")
        assert png.headers["content-type"] == "image/png"
        pictures[ticket_id] = tmp_path / f"{ticket_id}.png"
        pictures[ticket_id].write_bytes(png.body())
    badge = tmp_path / "badge.png"
    badge.write_bytes(ticket_sheets.png(Badge("W001").payload))

    synced: list[str] = []

    def keep(request: Request) -> None:
        if request.url.endswith("/scan/sync") and request.method == "POST":
            synced.append(request.post_data or "")

    page.on("request", keep)
    page.goto(f"{server.url}/scan")
    page.set_input_files("#badge-photo", str(badge))
    expect(page.locator("#worker")).to_have_text("W001")
    page.get_by_label("Hours on each ticket", exact=True).fill("3")
    page.get_by_label("Date of the work", exact=True).fill(DAY)
    page.set_input_files("#ticket-photo", str(pictures[first]))
    expect(page.locator("#recorded")).to_contain_text(f"ticket {first}")
    expect(page.locator("#waiting")).to_have_text("0")
    outputs, crew = ledger(server, {first})
    assert [(c.worker_id, c.credited) for c in crew] == [("W001", outputs[0].quantity)]
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")

    # No network: the entry waits on the phone and nothing reaches the ledger.
    context.set_offline(True)
    expect(page.locator("#network")).to_contain_text("Offline")
    page.set_input_files("#ticket-photo", str(pictures[second]))
    expect(page.locator("#waiting")).to_have_text("1")
    expect(page.locator("#queue")).to_contain_text(second)
    assert ledger(server, {second}) == ([], [])
    # The page opens again without a network (the service worker kept it), queue and all.
    page.reload()
    expect(page.locator("#queue")).to_contain_text(second)
    expect(page.locator("#worker")).to_have_text("W001")
    shoot(page, "scan-offline-queue", full_page=False)
    context.set_offline(False)
    expect(page.locator("#waiting")).to_have_text("0")
    expect(page.locator("#recorded")).to_contain_text(f"ticket {second}")

    # The same batch sent again (an answer lost on the way) writes nothing twice.
    csrf = page.locator("#scanner").get_attribute("data-csrf") or ""
    replayed = page.request.post(
        f"{server.url}/scan/sync",
        data=synced[-1],
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    assert [o["status"] for o in replayed.json()["outcomes"]] == ["replayed"]
    assert [e["ticket"].split("&")[0] for e in json.loads(synced[-1])["entries"]] == [
        f"stk1:ticket?id={second}"
    ]
    outputs, crew = ledger(server, {first, second})
    assert sorted(o.shift_id for o in outputs) == sorted([first, second])
    assert sorted(c.shift_id for c in crew) == sorted([first, second])

    # A ticket scanned a second time comes back refused, with the reason, to who scanned it.
    page.set_input_files("#ticket-photo", str(pictures[first]))
    expect(page.locator("#refused")).to_contain_text(f"ticket {first} is already credited")
    expect(page.locator("#waiting")).to_have_text("0")
    shoot(page, "scan-refused", full_page=False)
    assert len(ledger(server, {first})[1]) == 1

    # The kiosk keeps entries too, but never a PIN (decision 0866): an entry made online leaves
    # an entry token for its worker; offline, his next entry is kept with that token and sent
    # when the network returns; another worker's, made without a token, waits for his PIN.
    page.goto(f"{server.url}/pins")
    for worker, pin in (("W003", "4826"), ("W001", "7391")):
        page.get_by_label("Worker", exact=True).select_option(worker)
        page.get_by_label("New PIN (4 to 8 digits)", exact=True).fill(pin)
        page.get_by_role("button", name="Set the PIN").click()
        expect(page.get_by_role("status")).to_contain_text("PIN set")
    page.goto(f"{server.url}/kiosk")

    def record(worker: str, pin: str, work: str, shift: str = first) -> None:
        page.get_by_label("Worker number", exact=True).fill(worker)
        page.get_by_label("PIN", exact=True).fill(pin)
        page.get_by_label("Shift", exact=True).select_option(shift)
        page.get_by_label("Work", exact=True).fill(work)
        page.get_by_label("Hours", exact=True).fill("1")
        page.get_by_role("button", name="Record my work").click()

    record("W003", "4826", "timbering")
    expect(page.get_by_role("status").first).to_contain_text("Thank you")
    context.set_offline(True)
    record("W003", "4826", "assist")
    expect(page.locator("#kiosk-note")).to_contain_text("your entry is kept on this terminal")
    record("W001", "7391", "timbering", second)
    expect(page.locator("#kiosk-note")).to_contain_text("but not your PIN")
    expect(page.locator("#kiosk-waiting")).to_have_text("1")
    expect(page.locator("#kiosk-needs-pin li")).to_have_count(1)
    kept = _browser_storage(page)
    assert "4826" not in kept and "7391" not in kept and '"pin"' not in kept, kept
    assert '"token"' in kept  # W003's entry is kept with his token
    assert len(ledger(server, {first})[1]) == 2
    context.set_offline(False)
    expect(page.locator("#kiosk-waiting")).to_have_text("0")
    # W001's entry is sent only with his PIN, typed now; a wrong one is asked for again.
    asked = page.locator("#kiosk-needs-pin li")
    asked.get_by_label("PIN W001").fill("0000")
    asked.get_by_role("button", name="Send").click()
    expect(asked).to_contain_text("wrong worker number or PIN")
    shoot(page, "kiosk-offline-needs-pin", full_page=False)
    asked.get_by_label("PIN W001").fill("7391")
    asked.get_by_role("button", name="Send").click()
    expect(page.locator("#kiosk-needs-pin li")).to_have_count(0)
    expect(page.locator("#kiosk-refused")).to_have_text("")
    kept = _browser_storage(page)
    assert "4826" not in kept and "7391" not in kept and '"pin"' not in kept, kept
    _, crew = ledger(server, {first, second})
    assert sorted((c.shift_id, c.worker_id, c.operation) for c in crew) == sorted(
        [
            (first, "W001", "hewing"),
            (first, "W003", "assist"),
            (first, "W003", "timbering"),
            (second, "W001", "hewing"),
            (second, "W001", "timbering"),
        ]
    )


def _browser_storage(page: Page) -> str:
    """Everything the page's origin keeps: local and session storage, and IndexedDB's names
    (the pages keep nothing there; a database appearing would be looked at)."""
    return str(
        page.evaluate(
            """async () => {
              const parsed = (store) => Object.fromEntries(Object.entries(store).map(([k, v]) => {
                try { return [k, JSON.parse(v)]; } catch (err) { return [k, v]; }
              }));
              return JSON.stringify({
                local: parsed(localStorage),
                session: parsed(sessionStorage),
                indexed: indexedDB.databases ? await indexedDB.databases() : [],
                caches: await Promise.all((await caches.keys()).map(async (name) =>
                    (await (await caches.open(name)).keys()).map((r) => r.url))),
              });
            }"""
        )
    )


def test_the_ticket_pages_pass_the_accessibility_checks(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "foreman")
    failures = {}
    for path in ("/tickets", "/scan", f"/tickets/badges?unit={quote(BRIGADE)}"):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        found = problems_on(page)
        if found:
            failures[path] = found[:10]
    assert failures == {}
    # The scanning page is a phone's: nothing wider than its screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/scan")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow


def test_the_kiosk_shows_the_server_s_answer_in_its_language(
    server: Server, context: BrowserContext
) -> None:
    """An entry kept offline without a token comes back `needs_pin`: a Russian kiosk shows why
    in Russian (the answer's `said`), though the answer's `message` is English."""
    page = log_in(context, server, "foreman")
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "ru", "url": server.url}])
    page.goto(f"{server.url}/kiosk")
    account = page.locator("#kiosk-offline").get_attribute("data-account")
    entry = {
        "client_id": "k-ru-1",
        "worker_id": "W001",
        "shift_id": "S-nowhere",
        "operation": "hewing",
        "hours": "1",
    }
    page.evaluate(
        "([key, entry]) => localStorage.setItem(key, JSON.stringify([entry]))",
        [f"stakhanov.kiosk.queue.{account}", entry],
    )
    page.reload()
    asked = page.locator("#kiosk-needs-pin li")
    expect(asked).to_contain_text("сделано без сети и без токена: введите PIN-код")
    expect(asked).not_to_contain_text("enter the PIN")
