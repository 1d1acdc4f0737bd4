"""Pay through the API: the accountant closes a period and prints slips; a worker reads theirs."""

from __future__ import annotations

import pytest

from stakhanov.data import preset_scales
from stakhanov.services.scales import import_scales
from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

AUGUST = {"from": "1935-08-01", "to": "1935-08-31"}


@pytest.fixture
def paid(site: Site) -> Site:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    return site


async def test_the_accountant_closes_a_period_once_and_is_its_author(paid: Site) -> None:
    async with paid.client("accountant") as client:
        closed = await client.post("/api/payroll/close", params=AUGUST)
        again = await client.post("/api/payroll/close", params=AUGUST)
        periods = (await client.get("/api/payroll/periods")).json()
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["already_closed"] is False and body["slips"] >= 1
    assert again.json()["already_closed"] is True and again.json()["digest"] == body["digest"]
    assert [(p["from"], p["to"], p["digest"]) for p in periods] == [
        ("1935-08-01", "1935-08-31", body["digest"])
    ]
    async with paid.client("director") as director:
        refused = await director.post("/api/payroll/close", params={"period": "1935-09"})
        unchecked = await director.get("/api/payroll/check", params={"period": "1935-09"})
        seen = await director.get("/api/payroll/slips", params=AUGUST)
    assert refused.status_code == 403 and seen.status_code == 200
    assert unchecked.status_code == 403


async def test_closing_a_later_month_first_names_the_unpaid_work_before_it(paid: Site) -> None:
    async with paid.client("accountant") as client:
        check = await client.get("/api/payroll/check", params={"period": "1935-09"})
        pages = [
            (
                await client.get(
                    "/api/payroll/check", params={"period": "1935-09", "page": n, "page_size": 1}
                )
            ).json()
            for n in (1, 2)
        ]
        past = await client.get(
            "/api/payroll/check", params={"period": "1935-09", "page": 999, "page_size": 1}
        )
        blocked = await client.post("/api/payroll/close", params={"period": "1935-09"})
        september = await client.post(
            "/api/payroll/close", params={"period": "1935-09", "override": "checked by hand"}
        )
        august = await client.post("/api/payroll/close", params=AUGUST)
        part = await client.get("/api/payroll/slips", params={"period": "1935-09-01..1935-09-10"})
    # September has open findings: the lock is refused, naming them, until overridden.
    assert check.status_code == 200 and check.json()["clear"] is False
    kinds = {b["kind"] for b in check.json()["blockers"]}
    # One page of the check: the same items, counted whole, and the whole check's `clear`.
    every = check.json()["blockers"]
    assert check.json()["total"] == len(every) > 1
    assert [p["blockers"] for p in pages] == [every[:1], every[1:2]]
    assert all(p["total"] == len(every) and p["clear"] is False for p in pages)
    assert past.json()["blockers"] == [] and past.json()["total"] == len(every)
    assert blocked.status_code == 409 and all(k in blocked.text for k in kinds)
    assert september.status_code == 200, september.text
    unpaid = september.json()["unpaid_before"]
    assert unpaid["to"] == "1935-08-31" and unpaid["days"] >= 1
    # The earlier month still closes (a gap before a closed period), and nothing is left.
    assert august.status_code == 200, august.text
    assert august.json()["slips"] >= 1 and august.json()["unpaid_before"] is None
    assert part.status_code == 422 and "overlaps the closed period" in part.text


async def test_slips_add_up_and_print_as_pdf(paid: Site) -> None:
    async with paid.client("accountant") as client:
        slips = (await client.get("/api/payroll/slips", params=AUGUST)).json()
        pdf = await client.get("/api/payroll/slips.pdf", params={**AUGUST, "worker_id": "H1"})
        open_ended = await client.get("/api/payroll/slips", params={"from": "1935-08-01"})
    from decimal import Decimal

    by_worker = {s["worker_id"]: s for s in slips}
    h1 = by_worker["H1"]
    assert h1["status"] == "open" and h1["currency"] == "RUB"
    assert sum(Decimal(line["amount"]) for line in h1["lines"]) == Decimal(h1["gross"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert open_ended.status_code == 422
    assert open_ended.json()["detail"][0]["loc"] == ["query", "from"]


async def test_a_worker_reads_only_their_own_slip(paid: Site) -> None:
    async with paid.client("worker") as worker:
        mine = await worker.get("/api/me/payslip", params=AUGUST)
        printed = await worker.get("/api/me/payslip.pdf", params=AUGUST)
        others = await worker.get("/api/payroll/slips", params=AUGUST)
    assert mine.status_code == 200 and mine.json()["worker_id"] == "H1"
    assert printed.content.startswith(b"%PDF")
    assert others.status_code == 403


async def test_closing_in_the_background_reports_its_result(paid: Site) -> None:
    import asyncio

    async with paid.client("accountant") as client:
        started = await client.post("/api/payroll/close-jobs", params=AUGUST)
        assert started.status_code == 202
        for _ in range(200):
            job = (await client.get(f"/api/jobs/{started.json()['job_id']}")).json()
            if job["state"] != "running":
                break
            await asyncio.sleep(0.05)
    assert job["state"] == "done", job
    assert job["result"]["from"] == "1935-08-01" and job["result"]["slips"] >= 1


async def test_scales_are_imported_all_or_nothing_by_the_accountant(site: Site) -> None:
    good = preset_scales()["coal-1935"].read_bytes()
    bad = b'name = "broken"\neffective_from = "1935-01-01"\ncurrency = "RUB"\ncolour = "red"\n'
    async with site.client("accountant") as client:
        rejected = await client.post(
            "/api/scales", files=[("files", ("a.toml", good)), ("files", ("b.toml", bad))]
        )
        none_yet = (await client.get("/api/scales")).json()
        accepted = await client.post("/api/scales", files=[("files", ("a.toml", good))])
        listed = (await client.get("/api/scales")).json()
    async with site.client("rate-setter") as other:
        refused = await other.post("/api/scales", files=[("files", ("a.toml", good))])
    assert rejected.status_code == 422 and none_yet == []
    assert "colour" in " ".join(rejected.json()["problems"])
    assert accepted.status_code == 200 and accepted.json()["batch_id"] is not None
    assert [s["name"] for s in listed] == ["coal-1935"]
    assert refused.status_code == 403


async def test_a_proposed_norm_is_replayed_over_a_period(paid: Site) -> None:
    norms = (
        b"operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from\n"
        b"hewing,t,output,14,6,timbering,40,1935-08-01\n"
    )
    async with paid.client("rate-setter") as client:
        response = await client.post(
            "/api/payroll/whatif", params=AUGUST, files={"norms": ("norms.csv", norms)}
        )
        nothing = await client.post("/api/payroll/whatif", params=AUGUST)
    assert response.status_code == 200, response.text
    body = response.json()
    h1 = next(w for w in body["workers"] if w["worker_id"] == "H1")
    # Twice the norm halves the stated fulfilment: August's 771.4% becomes 385.7%.
    assert (h1["old_percent"], h1["new_percent"]) == ("771.4", "385.7")
    assert body["losers"] >= 1 and body["change"].startswith("-")
    assert body["falls"] == []  # no proposed scale: nothing can fall
    assert nothing.status_code == 422


async def test_the_preset_scales_are_offered_to_adapt(site: Site) -> None:
    async with site.client("accountant") as client:
        presets = (await client.get("/api/scales/presets")).json()
    assert 'name = "coal-1935"' in presets["coal-1935"]
