"""The main journey of each role, in Chromium, with screenshots as artefacts."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from stakhanov.domain.disputes import Subject
from stakhanov.services import disputes
from stakhanov.services.demo_accounts import BRIGADE
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.schema import batches
from tests.browser.conftest import SHOTS, Server, log_in, shoot

pytestmark = pytest.mark.e2e


def last_author(server: Server) -> tuple[str, str]:
    with server.engine.connect() as connection:
        row = connection.execute(
            select(batches.c.source, batches.c.author).order_by(batches.c.batch_id.desc())
        ).first()
    assert row is not None
    return row.source, row.author


def test_the_worker_sees_their_own_shifts_stated_and_fair(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "stakhanov")
    assert page.url.endswith("/me")
    page.get_by_label("Period", exact=True).fill("1935-08-31..1935-08-31")
    page.get_by_role("button", name="Show", exact=True).click()
    row = page.get_by_role("row", name=re.compile("^hewing"))
    # 102 t against 7 t per 6 h: 1457.1% as stated (in English figures, 1,457.1%), 364.3% for
    # the crew of four.
    expect(row).to_contain_text("1,457.1%")
    expect(row).to_contain_text("364.3%")
    expect(
        page.get_by_role("heading", name=re.compile("The norms that apply to you"))
    ).to_be_visible()
    expect(page.locator("ul.notice li").first).to_be_visible()
    shoot(page, "worker-my-work")
    # Other people's pages are not theirs.
    response = page.goto(f"{server.url}/workers")
    assert response is not None and response.status == 403
    exported = page.request.get(f"{server.url}/api/me/shifts?period=1935-08")
    assert exported.status == 200 and exported.json()[0]["crew"]
    # The pay slip of August, closed by the demo, every line explained, and as a PDF.
    page.goto(f"{server.url}/me?period=1935-08")
    slip = page.locator("section.slip")
    expect(slip).to_contain_text("Pay slip: Alexei Stakhanov")
    expect(slip).to_contain_text("closed")
    expect(slip.locator(".net")).to_contain_text("RUB")
    SHOTS.mkdir(parents=True, exist_ok=True)
    slip.screenshot(path=str(SHOTS / "worker-pay-slip.png"))
    # On a phone every line of the slip reads without sliding the table sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate(
        "[...document.querySelectorAll('section.slip .scroll')]"
        ".some(box => box.scrollWidth > box.clientWidth + 1)"
    )
    assert not wide
    page.evaluate("document.querySelector('section.slip').scrollIntoView()")
    shoot(page, "worker-pay-slip-phone", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})
    printed = page.request.get(f"{server.url}/api/me/payslip.pdf?period=1935-08")
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.body().startswith(b"%PDF")
    # He disputes the hewing norm; the rate-setter will answer it.
    page.get_by_label("What", exact=True).select_option("norm")
    page.get_by_label("Which (shift id, period:line key, or operation)").fill("hewing")
    page.get_by_label("What is wrong", exact=True).fill("the new faces are wetter")
    page.get_by_role("button", name="Open a dispute").click()
    expect(page.locator("#disputes-h ~ p").last).to_contain_text("norm hewing")
    shoot(page, "worker-dispute", full_page=False)


def test_the_foreman_enters_a_shift_checked_like_an_import(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "foreman")
    page.goto(f"{server.url}/shifts/new")
    page.get_by_label("Shift id", exact=True).fill("WEB-1")
    # November: the demo closes September, and the accountant's journey locks October.
    page.get_by_label("Date", exact=True).fill("1935-11-02")
    page.get_by_label("Hours", exact=True).fill("6")
    page.get_by_label("Workplace", exact=True).select_option(BRIGADE)
    page.get_by_label("Output line 1 operation", exact=True).fill("hewing")
    page.get_by_label("Output line 1 quantity", exact=True).fill("14")
    page.get_by_label("Output line 1 unit", exact=True).fill("t")
    page.get_by_label("Crew line 1 worker id", exact=True).fill("W001")
    page.get_by_label("Crew line 1 operation", exact=True).fill("hewing")
    page.get_by_label("Crew line 1 hours", exact=True).fill("26")
    page.get_by_role("button", name="Record the shift").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was written")
    expect(page.locator("#err-crew-0-hours")).to_contain_text("26 hours is more than the 6 hours")
    shoot(page, "foreman-entry-error")
    # On a phone the form's tables scroll inside their boxes: the page stays the screen's width.
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label("Crew line 1 hours", exact=True).fill("6")
    page.get_by_role("button", name="Record the shift").click()
    expect(page.get_by_role("status")).to_contain_text("Shift WEB-1 recorded")
    assert last_author(server) == ("shift form: WEB-1", "foreman")
    shoot(page, "foreman-entry-done", full_page=False)
    # A kiosk PIN for a timberer, then his own entry at the kiosk as a helper on that shift.
    page.goto(f"{server.url}/pins")
    page.get_by_label("Worker", exact=True).select_option("W003")
    page.get_by_label("New PIN (4 to 8 digits)", exact=True).fill("1935")
    page.get_by_role("button", name="Set the PIN").click()
    expect(page.get_by_role("status")).to_contain_text("PIN set")
    page.goto(f"{server.url}/kiosk")
    page.get_by_label("Worker number", exact=True).fill("W003")
    page.get_by_label("PIN", exact=True).fill("1935")
    page.get_by_label("Shift", exact=True).select_option("WEB-1")
    page.get_by_label("Work", exact=True).fill("timbering")
    page.get_by_label("Hours", exact=True).fill("6")
    page.get_by_role("button", name="Record my work").click()
    expect(page.get_by_role("status")).to_contain_text("W003 recorded on shift WEB-1")
    assert last_author(server) == ("kiosk: W003", "W003 by PIN at foreman's kiosk")
    shoot(page, "foreman-kiosk")
    # A record attempt registered before the shift, with its helpers declared.
    page.goto(f"{server.url}/records")
    page.get_by_label("Worker", exact=True).select_option("W001")
    page.get_by_label("Operation", exact=True).fill("hewing")
    page.get_by_label("Date", exact=True).fill("1935-10-05")
    page.get_by_label("Conditions", exact=True).select_option("prepared")
    page.get_by_label("Crew and helpers (WORKER:work, comma separated)").fill(
        "W003:timbering, W004:timbering"
    )
    page.get_by_label("Witnesses (comma separated)").fill("the section's party organiser")
    page.get_by_role("button", name="Register the attempt").click()
    expect(page.get_by_role("status")).to_contain_text("registered for Alexei Stakhanov")
    expect(page.get_by_role("row", name=re.compile(r"^C\d+ registered before"))).to_contain_text(
        "claimed"
    )
    shoot(page, "foreman-record-attempt", full_page=False)


def test_the_rate_setter_imports_a_norm_revision_with_progress(
    server: Server, context: BrowserContext, tmp_path: object
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    norms = folder / "norms.csv"
    norms.write_text(
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "loading,t,output,15,6,,,1935-12-01,time study,after notice\n",
        encoding="utf-8",
    )
    page = log_in(context, server, "rate-setter")
    page.goto(f"{server.url}/import")
    page.get_by_label("Files", exact=True).set_input_files(str(norms))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported as batch")
    expect(page.locator("#import-progress")).to_have_attribute("value", "1")
    shoot(page, "rate-setter-import")
    page.goto(f"{server.url}/norms")
    expect(page.get_by_role("row", name=re.compile("loading.*1935-12-01"))).to_be_visible()
    expect(page.locator("svg.chart.wide")).to_have_count(1)
    shoot(page, "rate-setter-norms")
    assert last_author(server) == ("upload: norms.csv", "rate-setter")
    # What would 8 t instead of 7 t have done to the first week of September's pay? The replay
    # runs as a job with progress, then its page shows the impact.
    page.get_by_role("link", name="Norm impact").click()
    page.get_by_label("Operation", exact=True).select_option("hewing")
    page.get_by_label("Proposed norm", exact=True).fill("8")
    page.get_by_label("Period", exact=True).fill("1935-09-01..1935-09-07")
    page.get_by_role("button", name="Show the impact").click()
    heading = page.get_by_role("heading", name=re.compile("hewing: 7 → 8 t per 6 h"))
    expect(heading).to_be_visible()
    assert "job=" in page.url
    expect(page.locator("svg.chart.wide")).to_have_count(2)
    losers = page.locator("dl.facts dd").nth(3).inner_text()
    assert int(losers.split(" of ")[0]) > 0
    shoot(page, "rate-setter-impact", full_page=False)
    # Norm disputes come to the rate-setter.
    page.goto(f"{server.url}/disputes")
    expect(page.get_by_role("heading", name="Disputes")).to_be_visible()


def test_a_rejected_import_lists_every_problem_and_writes_nothing(
    server: Server, context: BrowserContext, tmp_path: object
) -> None:
    from pathlib import Path

    crew = Path(str(tmp_path)) / "crew.csv"
    crew.write_text(
        "shift_id,worker_id,operation,hours\nNOPE,W001,hewing,6\nNOPE,W002,hewing,99\n",
        encoding="utf-8",
    )
    before = last_author(server)
    page = log_in(context, server, "foreman")
    page.goto(f"{server.url}/import")
    page.get_by_label("Files", exact=True).set_input_files(str(crew))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was written")
    expect(page.locator(".problems li")).to_have_count(3)
    expect(page.locator(".problems")).to_contain_text("crew.csv:2:shift_id: unknown shift")
    expect(page.locator(".problems")).to_contain_text(
        "crew.csv:3:hours: 99 hours is more than a shift lasts (24)"
    )
    assert last_author(server) == before


def open_october_dispute(server: Server, folder: Path) -> tuple[str, str]:
    """An October shift (imported) and its hewer's open dispute on it (through the service)."""
    worker_id, shift_id = "W001", "OCT-LOCK-1"
    files = {
        "shifts.csv": "shift_id,date,hours,workplace,conditions,note\n"
        f"{shift_id},1935-10-02,6,{BRIGADE},,",
        "output.csv": f"shift_id,operation,quantity,unit,rejected\n{shift_id},hewing,14,t,",
        "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient\n"
        f"{shift_id},{worker_id},hewing,6,,",
    }
    for name, text in files.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    import_batch(server.engine, read_source(folder, set(FORMATS)))
    disputes.open_dispute(server.engine, worker_id, Subject.SHIFT, shift_id, "short", worker_id)
    return worker_id, shift_id


def test_the_accountant_closes_a_period_and_prints_slips(
    server: Server, context: BrowserContext, tmp_path: Path
) -> None:
    page = log_in(context, server, "accountant")
    page.goto(f"{server.url}/?period=1935-09")  # other journeys add shifts after September
    expect(page.locator("svg.chart.wide")).to_have_count(3)
    page.goto(f"{server.url}/payroll?period=1935-09")
    expect(page.get_by_role("heading", name=re.compile("Slips, 1935-09"))).to_contain_text("closed")
    page.get_by_role("link", name="Alexei Stakhanov").click()
    expect(page.locator("section.slip")).to_contain_text("Pay slip: Alexei Stakhanov")
    page.locator("section.slip").scroll_into_view_if_needed()
    shoot(page, "accountant-pay", full_page=False)
    printed = page.request.get(f"{server.url}/api/payroll/slips.pdf?period=1935-09&worker_id=W001")
    assert printed.body().startswith(b"%PDF")
    journal = page.get_by_role("link", name="the journal (CSV)")
    exported = page.request.get(f"{server.url}{journal.get_attribute('href')}")
    assert exported.text().startswith("date,reference,cost_centre,account,code")
    # A worker disputes an October shift: the check lists it, and the lock needs an override.
    worker_id, shift_id = open_october_dispute(server, tmp_path)
    page.goto(f"{server.url}/payroll?period=1935-10")
    expect(page.locator("#lock-check")).to_contain_text(f"by {worker_id} on {shift_id} is open")
    ask = page.get_by_role("button", name="Close and lock…")
    ask.focus()
    page.keyboard.press("Enter")  # the confirmation opens, by keyboard, with focus in it
    expect(page.locator("#close-confirm-h")).to_be_focused()
    page.keyboard.press("Escape")  # and closes again without locking
    expect(page.locator("#close-confirm")).to_be_hidden()
    ask.click()
    page.get_by_role("button", name="Yes, close and lock").click()
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"\d+ problems?; nothing was written")
    )
    expect(page.locator("#close-result .problems")).to_contain_text(f"dispute: {shift_id}")
    page.get_by_label(re.compile("Lock over the items above")).fill("dispute heard at the pit")
    ask.click()
    page.get_by_role("button", name="Yes, close and lock").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1935-10-01 to 1935-10-31 is closed and locked"
    )
    shoot(page, "accountant-close", full_page=False)
    page.goto(f"{server.url}/payroll?period=1935-10&worker_id={worker_id}")
    expect(page.locator("section.slip")).to_contain_text(
        "locked with override: dispute heard at the pit"
    )
    page.goto(f"{server.url}/batches")
    expect(page.get_by_role("row", name=re.compile("stakhanov demo")).first).to_be_visible()
    shoot(page, "accountant-ledger-writes")
    response = page.goto(f"{server.url}/audit")
    assert response is not None and response.status == 403


def test_the_auditor_works_the_audit_queue(server: Server, context: BrowserContext) -> None:
    page = log_in(context, server, "auditor")
    page.goto(f"{server.url}/audit?period=1935-09&kind=pooled&status=any")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("output pooled onto")
    assert all("pooled" in text for text in rows.all_inner_texts())
    # The auditor upholds the finding: the pooled result is not what it claims to be.
    rows.first.get_by_role("textbox").fill("credits moved onto one hewer; brigade told")
    rows.first.get_by_role("button", name="Uphold").click()
    expect(page.get_by_role("status")).to_contain_text("1 finding upheld")
    shoot(page, "auditor-audit-queue")
    page.get_by_role("link", name=re.compile(r"^upheld \(\d+\)")).click()
    expect(page.locator("tbody")).to_contain_text("credits moved onto one hewer")
    page.goto(f"{server.url}/audit?period=1935-09&kind=implausible&status=any")
    expect(page.locator("tbody tr").first).to_contain_text("physical maximum")
    # The records registry: Stakhanov's three record shifts stand as assisted records.
    page.goto(f"{server.url}/records")
    claims = page.get_by_role("row", name=re.compile(r"^R-1935-0"))
    expect(claims).to_have_count(3)
    expect(claims.first).to_contain_text("assisted")
    shoot(page, "auditor-records", full_page=False)


def test_the_auditor_explains_routine_findings_in_bulk_and_keeps_the_place(
    server: Server, context: BrowserContext
) -> None:
    """Open findings of every period, filtered to a brigade's assisted shifts: two ticked and
    explained with one reason; the page comes back to the same filters, at the next finding."""
    page = log_in(context, server, "auditor")
    page.goto(f"{server.url}/audit?kind=assisted&unit={quote(BRIGADE)}&sort=shift")
    rows = page.locator("tbody tr")
    expect(rows.nth(2)).to_contain_text("assisted")
    picked = [rows.nth(n).get_attribute("id") for n in (0, 1)]
    following = rows.nth(2).get_attribute("id")
    for n in (0, 1):
        rows.nth(n).get_by_role("checkbox").check()
    page.get_by_label("Reason", exact=True).fill("routine help at the face, planned")
    page.get_by_role("button", name="Explain these").click()
    expect(page.get_by_role("status")).to_contain_text("2 findings explained")
    assert page.url.endswith(f"#{following}") and "kind=assisted" in page.url
    expect(page.locator(f"#{following}")).to_be_in_viewport()
    for anchor in picked:
        expect(page.locator(f"#{anchor}")).to_have_count(0)


def test_the_director_sees_the_mine_on_a_wall_screen_and_a_phone(
    server: Server, context: BrowserContext, browser: object
) -> None:
    page = log_in(context, server, "director")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    # The plan of September 1935 over the tree, then the norm fulfilment and its trend. Named:
    # the overview opens on the latest month with shifts, and other journeys add October's.
    page.goto(f"{server.url}/?period=1935-09")
    expect(page.get_by_role("heading", name="Plan fulfilment")).to_be_visible()
    mine = page.get_by_role("row", name=re.compile(r"^Central-Irmino hewing 1935-09"))
    expect(mine).to_contain_text(re.compile(r"14,650 t.*8\d\.\d%"))
    expect(page.locator("svg.chart.wide")).to_have_count(3)
    page.get_by_role("link", name=BRIGADE).click()
    stakhanov = page.get_by_role("row", name=re.compile("Alexei Stakhanov"))
    expect(stakhanov).to_contain_text("%")
    shoot(page, "director-brigade")
    for name, size in (("wall", (1920, 1080)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{server.url}/?period=1935-09")
        # Nothing spills sideways out of the page at either size.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
        # On a phone the charts are the compact drawings, their text as large as the page's.
        shown = "compact" if name == "phone" else "wide"
        expect(page.locator(f"svg.chart.{shown}").first).to_be_visible()
        shoot(page, f"director-overview-{name}", full_page=False)
        wall = "&wall=1" if name == "wall" else ""
        page.goto(f"{server.url}/honour?period=1935-09{wall}")
        expect(page.locator("ol.honour li").first).to_contain_text("%")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
        if wall:
            # Both lists of twelve fit on the wall screen: nothing below the fold.
            assert page.locator("ol.honour li").count() == 24
            below = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
            assert below <= 1, below
        shoot(page, f"director-honour-{name}", full_page=False)
    # The competition's chart on a phone: every unit's figure inside the screen.
    page.goto(f"{server.url}/competitions")
    chart = page.locator("svg.chart.compact")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server.url}/competitions")
    expect(page.get_by_role("table")).to_contain_text("Section")
    expect(page.locator("svg.chart.wide")).to_have_count(1)
    shoot(page, "director-competitions", full_page=False)


def test_the_admin_creates_a_worker_account_and_revokes_a_role(
    server: Server, context: BrowserContext
) -> None:
    page = log_in(context, server, "admin")
    assert page.url.endswith("/admin/users")
    new = page.get_by_role("region", name="New user")
    new.get_by_label("Username", exact=True).fill("busygin")
    new.get_by_label("Name", exact=True).fill("Alexander Busygin")
    new.get_by_label("Password (10 or more characters)", exact=True).fill("forge hammer 1935")
    new.get_by_label("Role", exact=True).select_option("worker")
    new.get_by_label("Worker id (for the worker role)", exact=True).fill("W003")
    new.get_by_role("button", name="Create the user").click()
    expect(page.get_by_role("status")).to_contain_text("User busygin created")
    card = page.locator("form.user", has_text="busygin")
    expect(card).to_contain_text("worker on the whole organisation")
    card.get_by_role("button", name="Revoke worker from busygin").click()
    expect(page.locator("form.user", has_text="busygin")).to_contain_text("no roles")
    shoot(page, "admin-users")
    response = page.goto(f"{server.url}/")
    assert response is not None and page.url.endswith("/admin/users")


def test_a_norm_revision_is_decided_step_by_step_by_its_own_roles(
    server: Server, context: BrowserContext
) -> None:
    """The demo's hewing proposal: rate-setter, then the representatives, then the director."""
    for username, step in (
        ("rate-setter", "rate-setter"),
        ("representative", "representatives"),
        ("director", "director"),
    ):
        page = log_in(context, server, username)
        page.goto(f"{server.url}/revisions")
        page.get_by_role("link", name="hewing").first.click()
        if username == "director":
            expect(page.locator("svg.chart.wide")).to_have_count(2)
            shoot(page, "director-revision-before", full_page=False)
        page.get_by_label("Reason (kept with the decision)").fill(f"{username}: the evidence holds")
        page.get_by_role("button", name=f"Approve as {step}").click()
        expect(page.get_by_role("status")).to_contain_text(f"{step}: approve recorded")
        page.close()
    page = log_in(context, server, "stakhanov")
    response = page.goto(f"{server.url}/revisions/1")
    assert response is not None and response.status == 200
    expect(page.locator("dl.facts")).to_contain_text("approved")
    expect(page.get_by_role("button", name=re.compile("Approve"))).to_have_count(0)
    shoot(page, "worker-revision-approved", full_page=False)
