"""Writes through the API: imports, the shift form and the kiosk, each with its author."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stakhanov.store.schema import LEDGER_TABLES, batches
from tests.api.conftest import BRIGADE, Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

SHIFT = {
    "shift_id": "F1",
    "date": "1935-09-05",
    "hours": "6",
    "workplace": BRIGADE,
    "outputs": [{"operation": "hewing", "quantity": "20", "unit": "t"}],
    "crew": [
        {"worker_id": "H1", "operation": "hewing", "hours": "6"},
        {"worker_id": "H2", "operation": "hewing", "hours": "6", "coefficient": "1.5"},
    ],
}


def ledger_rows(site: Site) -> int:
    with site.engine.connect() as connection:
        return sum(
            connection.scalar(select(func.count()).select_from(t)) or 0 for t in LEDGER_TABLES
        )


def authors(site: Site) -> list[tuple[str, str]]:
    with site.engine.connect() as connection:
        rows = connection.execute(select(batches.c.source, batches.c.author).order_by("batch_id"))
        return [(r.source, r.author) for r in rows]


async def test_a_foreman_enters_a_shift_and_is_its_author(site: Site) -> None:
    async with site.client("foreman") as client:
        response = await client.post("/api/shifts", json=SHIFT)
        again = await client.post("/api/shifts", json=SHIFT)
        shifts = (
            await client.get("/api/shifts", params={"period": "1935-09-05..1935-09-05"})
        ).json()
    assert response.status_code == 201, response.text
    assert {f["file"]: f["added"] for f in response.json()["files"]} == {
        "shifts.csv": 1,
        "output.csv": 1,
        "crew.csv": 2,
    }
    assert again.status_code == 201 and again.json()["changed"] is False
    assert authors(site)[-1] == ("shift form: F1", "foreman")
    # 20 t split 6 : 9 by hours x coefficient, in whole tonnes: 8 and 12.
    (f1,) = shifts
    assert {c["worker_id"]: c["credited"] for c in f1["crew"]} == {"H1": "8", "H2": "12"}


async def test_the_form_is_checked_as_strictly_as_an_import(site: Site) -> None:
    bad = {
        **SHIFT,
        "crew": [
            {"worker_id": "H1", "operation": "hewing", "hours": "25"},
            {"worker_id": "NOBODY", "operation": "hewing", "hours": "6"},
            {"worker_id": "H2", "operation": "loading", "hours": "6"},
        ],
    }
    before = ledger_rows(site)
    async with site.client("foreman") as client:
        response = await client.post("/api/shifts", json=bad)
    assert response.status_code == 422
    detail = {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}
    # A crew line is measured against its own shift, not against a day.
    assert detail[("body", "crew", 0, "hours")] == "25 hours is more than the 6 hours of shift F1"
    assert detail[("body", "crew", 1, "worker_id")] == "unknown worker 'NOBODY'"
    assert "'loading' is not measured" in detail[("body", "crew", 2, "operation")]
    assert "crew:4:operation: 'loading' is not measured" in " ".join(response.json()["problems"])
    assert ledger_rows(site) == before


async def test_a_typed_field_error_names_the_field(site: Site) -> None:
    async with site.client("foreman") as client:
        response = await client.post("/api/shifts", json={**SHIFT, "date": "31/08/1935"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "date"]


async def test_a_foreman_cannot_enter_a_shift_outside_his_brigade(site: Site) -> None:
    elsewhere = {**SHIFT, "workplace": "Mine/Section 1/Brigade 2"}
    async with site.client("foreman") as client:
        response = await client.post("/api/shifts", json=elsewhere)
        # Nor move another brigade's shift into his own by correcting it.
        moved = await client.post(
            "/api/shifts",
            json={**SHIFT, "shift_id": "S3", "date": "1935-09-02", "correct": True},
        )
    assert response.status_code == 403
    assert moved.status_code == 403
    assert "outside your scope" in " ".join(moved.json()["problems"])


async def test_an_api_import_is_all_or_nothing(site: Site, tmp_path: Path) -> None:
    before = ledger_rows(site)
    files = [
        (
            "files",
            (
                "shifts.csv",
                b"shift_id,date,hours,workplace\nN1,1935-09-10,6," + BRIGADE.encode() + b"\n",
            ),
        ),
        ("files", ("crew.csv", b"shift_id,worker_id,operation,hours\nN1,H1,hewing,30\n")),
    ]
    async with site.client("foreman") as client:
        response = await client.post("/api/imports", files=files)
    assert response.status_code == 422
    assert response.json()["problems"][0] == (
        "crew.csv:2:hours: 30 hours is more than the 6 hours of shift N1"
    )
    assert response.json()["detail"][0]["loc"] == ["crew.csv", 2, "hours"]
    assert ledger_rows(site) == before


async def test_norms_are_imported_only_by_an_organisation_wide_rate_setter(site: Site) -> None:
    norms = (
        b"operation,unit,kind,norm,norm_hours,effective_from\nloading,t,output,30,6,1935-10-01\n"
    )
    files = [("files", ("norms.csv", norms))]
    async with site.client("foreman") as client:
        refused = await client.post("/api/imports", files=files)
    async with site.client("rate-setter") as client:
        accepted = await client.post("/api/imports", files=files)
    assert refused.status_code == 403
    assert refused.json()["problems"] == [
        "norms.csv:2:operation: needs a grant to add and revise norms over the whole organisation"
    ]
    assert accepted.status_code == 200, accepted.text
    assert authors(site)[-1] == ("upload: norms.csv", "rate-setter")


async def test_an_import_job_reports_progress_and_its_result(site: Site) -> None:
    rows = "".join(f"J{i},1935-09-{1 + i % 28:02d},6,{BRIGADE}\n" for i in range(300))
    files = [("files", ("shifts.csv", ("shift_id,date,hours,workplace\n" + rows).encode()))]
    async with site.client("foreman") as client:
        started = await client.post("/api/import-jobs", files=files)
        assert started.status_code == 202
        job_id = started.json()["job_id"]
        for _ in range(200):
            job = (await client.get(f"/api/jobs/{job_id}")).json()
            if job["state"] != "running":
                break
            await asyncio.sleep(0.05)
    async with site.client("rate-setter") as other:
        hidden = await other.get(f"/api/jobs/{job_id}")
    assert job["state"] == "done" and job["fraction"] == "1.0"
    assert job["result"]["files"][0]["added"] == 300
    assert hidden.status_code == 404


async def test_a_worker_without_an_account_signs_in_at_the_kiosk(site: Site) -> None:
    async with site.client("foreman") as foreman:
        assert (await foreman.post("/api/shifts", json=SHIFT)).status_code == 201
        day = {"from": "1935-09-05", "to": "1935-09-05"}
        before = (await foreman.get("/api/shifts", params=day)).json()
        pin = await foreman.put("/api/workers/T1/pin", json={"pin": "4711"})
        assert pin.status_code == 204, pin.text
        entry = {"worker_id": "T1", "shift_id": "F1", "operation": "timbering", "hours": "6"}
        wrong = await foreman.post("/api/kiosk/crew", json={**entry, "pin": "0000"})
        signed = await foreman.post("/api/kiosk/crew", json={**entry, "pin": "4711"})
        shift = (await foreman.get("/api/shifts", params=day)).json()
    assert wrong.status_code == 401
    assert signed.status_code == 201, signed.text
    assert authors(site)[-1] == ("kiosk: T1", "T1 by PIN at foreman's kiosk")
    crew = {c["worker_id"]: c for c in shift[0]["crew"]}
    # Timbering is in the hewing norm (8 t per 6 h from 1 September): the fair figure counts
    # T1's six hours too: 20 t against 3 x 8 t = 83.3%, where H1's own 8 t in 6 h was 100%.
    assert crew["T1"]["operation"] == "timbering"
    assert before[0]["crew"][0]["fair_percent"] == "100.0"
    assert crew["H1"]["fair_percent"] == "83.3"


async def test_the_admin_manages_users_and_every_change_names_its_author(site: Site) -> None:
    async with site.client("admin") as admin:
        created = await admin.post(
            "/api/users",
            json={
                "username": "section-chief",
                "password": "a long enough password",
                "grants": [{"role": "director", "scope": "Mine/Section 1"}],
            },
        )
        short = await admin.post("/api/users", json={"username": "x", "password": "short"})
        bad_scope = await admin.post(
            "/api/users",
            json={
                "username": "y",
                "password": "long enough pw",
                "grants": [{"role": "worker", "scope": "Mine"}],
            },
        )
    assert created.status_code == 201, created.text
    grant = created.json()["grants"][0]
    assert (grant["role"], grant["scope"], grant["granted_by"]) == (
        "director",
        "Mine/Section 1",
        "admin",
    )
    assert created.json()["created_by"] == "admin"
    assert short.status_code == 422 and short.json()["detail"][0]["loc"] == ["body", "password"]
    assert bad_scope.json()["detail"][0]["loc"] == ["body", "grants", 0, "scope"]


async def test_the_auditor_explains_a_finding_and_the_queue_shows_it(site: Site) -> None:
    review = {
        "kind": "implausible",
        "shift_id": "S5",
        "operation": "hewing",
        "decision": "explained",
        "reason": "weighbridge slip checked",
    }
    async with site.client("auditor") as auditor:
        before = (await auditor.get("/api/audit", params={"status": "open"})).json()
        done = await auditor.post("/api/audit/reviews", json=review)
        wrong = await auditor.post("/api/audit/reviews", json={**review, "shift_id": "S2"})
        after = (await auditor.get("/api/audit", params={"kind": "implausible"})).json()
    async with site.client("director") as director:
        refused = await director.post("/api/audit/reviews", json=review)
    assert ("implausible", "S5") in {(f["kind"], f["shift_id"]) for f in before}
    assert done.status_code == 201, done.text
    assert done.json()["review"] == {
        "decision": "explained",
        "reason": "weighbridge slip checked",
        "reviewer": "auditor",
    }
    assert wrong.status_code == 422 and "no implausible finding on S2" in wrong.text
    assert [(f["shift_id"], f["status"]) for f in after] == [("S5", "explained")]
    assert refused.status_code == 403


async def test_a_foreman_voids_a_shift_of_his_own_brigade_only(site: Site) -> None:
    async with site.client("foreman") as foreman:
        assert (await foreman.post("/api/shifts", json=SHIFT)).status_code == 201
        voided = await foreman.post("/api/shifts/F1/void", json={"reason": "entered twice"})
        elsewhere = await foreman.post("/api/shifts/S3/void", json={"reason": "not mine"})
        gone = (await foreman.get("/api/shifts", params={"period": "1935-09"})).json()
    assert voided.status_code == 200, voided.text
    assert (voided.json()["output_rows"], voided.json()["crew_rows"]) == (1, 2)
    assert authors(site)[-1] == ("void F1", "foreman")
    assert elsewhere.status_code == 403
    assert "F1" not in {s["shift_id"] for s in gone}


async def test_an_import_can_be_checked_without_writing(site: Site) -> None:
    before = ledger_rows(site)
    shifts = f"shift_id,date,hours,workplace\nC1,1935-09-10,6,{BRIGADE}\n".encode()
    async with site.client("foreman") as client:
        response = await client.post(
            "/api/imports", files=[("files", ("shifts.csv", shifts))], data={"check": "true"}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["checked_only"] is True and body["batch_id"] is None
    assert body["files"][0]["added"] == 1
    assert ledger_rows(site) == before


async def test_every_kind_of_import_file_is_checked_against_the_scope(site: Site) -> None:
    """Plans, time sheets and incidents are scoped too; no file kind escapes the check."""
    plans = b"unit,operation,period_start,period_end,target,unit_of_measure\n"
    plans += b"Mine/Section 1/Brigade 2,hewing,1935-10-01,1935-10-31,500,t\n"
    time = b"worker_id,date,kind,operation,hours,note\nH3,1935-09-02,idle,hewing,2,\n"
    async with site.client("foreman") as foreman:
        refused_plans = await foreman.post("/api/imports", files=[("files", ("plans.csv", plans))])
        refused_time = await foreman.post("/api/imports", files=[("files", ("time.csv", time))])
    async with site.client("director") as director:
        accepted = await director.post("/api/imports", files=[("files", ("plans.csv", plans))])
    assert refused_plans.status_code == 403
    assert refused_plans.json()["detail"][0]["loc"] == ["plans.csv", 2, "unit"]
    assert refused_time.status_code == 403
    assert "Brigade 2' is outside your scope" in refused_time.json()["problems"][0]
    assert accepted.status_code == 200, accepted.text


async def test_the_api_takes_hours_in_every_written_form_and_keeps_them_exact(site: Site) -> None:
    thirds = {
        **SHIFT,
        "hours": "6:20",
        "crew": [
            {"worker_id": "H1", "operation": "hewing", "hours": "6h20min"},
            {"worker_id": "H2", "operation": "hewing", "hours": "19/3"},
        ],
    }
    wrong = {**thirds, "shift_id": "F2", "crew": [{**thirds["crew"][0], "hours": "6h61min"}]}
    async with site.client("foreman") as client:
        entered = await client.post("/api/shifts", json=thirds)
        refused = await client.post("/api/shifts", json=wrong)
        day = {"period": "1935-09-05..1935-09-05"}
        (shift,) = (await client.get("/api/shifts", params=day)).json()
    assert entered.status_code == 201, entered.text
    # 6 h 20 min is 19/3 h however it is written; the two split 20 t evenly.
    assert {c["worker_id"]: (c["hours"], c["credited"]) for c in shift["crew"]} == {
        "H1": ("19/3", "10"),
        "H2": ("19/3", "10"),
    }
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "crew", 0, "hours"]
    assert problem["msg"].startswith("is not a number of hours: write decimal hours")
