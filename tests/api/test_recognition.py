"""Recognition through the API: the foreman registers an attempt, an outside auditor decides."""

from __future__ import annotations

import pytest

from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts
from tests.api.conftest import PASSWORD, Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

ATTEMPT = {
    "worker_id": "H1",
    "operation": "hewing",
    "date": "1935-08-31",
    "shift_id": "S1",
    "crew": [
        {"worker_id": "T1", "operation": "timbering"},
        {"worker_id": "T2", "operation": "timbering"},
        {"worker_id": "P1", "operation": "assist"},
    ],
    "conditions": "prepared",
    "witnesses": ["the mine's party committee"],
}


async def test_an_auditor_in_the_crew_cannot_verify_the_record(site: Site) -> None:
    async with site.client("foreman") as foreman:
        registered = await foreman.post("/api/records/claims", json=ATTEMPT)
        elsewhere = await foreman.post(
            "/api/records/claims", json={**ATTEMPT, "worker_id": "H3", "shift_id": "S5"}
        )
    assert registered.status_code == 201, registered.text
    claim_id = registered.json()["claim_id"]
    assert registered.json()["registered_by"] == "foreman"
    assert elsewhere.status_code == 403
    # T1 timbered the record shift and is also an auditor: he may not decide it.
    accounts.add_user(
        site.engine,
        "timberer-auditor",
        PASSWORD,
        author="test",
        display_name="Timberer One",
        worker_id="T1",
        grants=[Grant(Role.AUDITOR)],
    )
    token = (await site.login("timberer-auditor")).json()["token"]
    async with site.client() as insider:
        refused = await insider.post(
            f"/api/records/claims/{claim_id}/verify",
            json={"evidence": "I was there"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert refused.status_code == 403
    assert "crew of this record" in refused.json()["detail"]
    async with site.client("auditor") as auditor:
        queue = (await auditor.get("/api/records/claims")).json()
        decided = await auditor.post(
            f"/api/records/claims/{claim_id}/verify",
            json={"evidence": "weighbridge slips and the witnesses' statements"},
        )
    assert [c["claim_id"] for c in queue] == [claim_id]
    assert decided.status_code == 200, decided.text
    # Two timberers and an assistant did work the hewing norm includes: an assisted record.
    assert decided.json()["status"] == "assisted"
    async with site.client("worker") as worker:
        registry = (await worker.get("/api/records")).json()
        titles = await worker.get("/api/me/titles")
    assert any(r.get("claim_id") == claim_id for r in registry)
    assert titles.status_code == 200


async def test_the_honour_board_ranks_by_the_fair_figure(site: Site) -> None:
    async with site.client("worker") as client:
        board = await client.get(
            "/api/honour", params={"unit": "Mine", "period": "1935-09", "workers": "true"}
        )
        teams = await client.get("/api/honour", params={"unit": "Mine", "period": "1935-09"})
        leaders = await client.get(
            "/api/honour", params={"unit": "Mine", "period": "1935-09", "top": "1"}
        )
        competitions = await client.get("/api/competitions")
    assert board.status_code == 200, board.text
    rows = board.json()
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert len(teams.json()) > 1 and leaders.json() == teams.json()[:1]  # as the whole has it
    assert "pay" not in str(rows).lower()
    assert competitions.status_code == 200


async def test_the_director_declares_a_competition_and_workers_may_leave_the_board(
    site: Site,
) -> None:
    competition = {
        "name": "Brigades, September",
        "units": ["Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2"],
        "metric": "average-fulfilment",
        "from": "1935-09-01",
        "to": "1935-09-30",
        "step": "week",
    }
    async with site.client("director") as director:
        declared = await director.post("/api/competitions", json=competition)
        standings = await director.get("/api/competitions/Brigades, September")
        unknown = await director.post(
            "/api/competitions", json={**competition, "name": "x", "units": ["Nowhere", "Mine"]}
        )
    async with site.client("foreman") as foreman:
        refused = await foreman.post("/api/competitions", json={**competition, "name": "y"})
    assert declared.status_code == 201, declared.text
    assert standings.status_code == 200 and standings.json()["overall"]
    assert unknown.status_code == 422 and refused.status_code == 403
    async with site.client("worker") as worker:
        hidden = await worker.put("/api/me/honour", json={"public": False, "reason": "modesty"})
        board = (
            await worker.get(
                "/api/honour", params={"unit": "Mine", "period": "1935-09", "workers": "true"}
            )
        ).json()
    assert hidden.status_code == 204
    assert "Hewer One" not in {r.get("name") for r in board}


async def test_a_claim_can_be_checked_before_it_is_decided(site: Site) -> None:
    async with site.client("foreman") as foreman:
        claim_id = (await foreman.post("/api/records/claims", json=ATTEMPT)).json()["claim_id"]
        checked = await foreman.get(f"/api/records/claims/{claim_id}")
        missing = await foreman.get("/api/records/claims/NO-SUCH")
    assert checked.status_code == 200
    assert checked.json()["status"] == "claimed"
    assert checked.json()["outcome_if_verified"] == "assisted"
    assert missing.status_code == 404


async def test_the_director_confers_what_the_rulebook_gives(site: Site) -> None:
    period = {"from": "1935-08-01", "to": "1935-09-30"}
    async with site.client("director") as director:
        proposed = await director.get("/api/titles/proposals", params=period)
        conferred = await director.post("/api/titles/conferrals", json=period)
    async with site.client("foreman") as foreman:
        refused = await foreman.post("/api/titles/conferrals", json=period)
    assert proposed.status_code == 200, proposed.text
    assert conferred.status_code == 201, conferred.text
    assert len(conferred.json()) == len(proposed.json()["proposals"])
    assert all(g["conferred_by"] == "director" for g in conferred.json())
    assert refused.status_code == 403


async def test_a_foreman_links_a_master_to_an_apprentice_in_his_brigade(site: Site) -> None:
    link = {"master_id": "H1", "apprentice_id": "H2", "from": "1935-09-01"}
    async with site.client("foreman") as foreman:
        made = await foreman.post("/api/mentoring", json=link)
        outside = await foreman.post("/api/mentoring", json={**link, "apprentice_id": "H3"})
        again = await foreman.post("/api/mentoring", json=link)
        report = (await foreman.get("/api/mentoring", params={"as_of": "1935-09-30"})).json()
        ended = await foreman.post(
            f"/api/mentoring/{made.json()['link_id']}/end", json={"on": "1935-09-30"}
        )
    assert made.status_code == 201, made.text
    assert outside.status_code == 403 and again.status_code == 422
    assert [m["apprentice_id"] for m in report["links"]] == ["H2"]
    assert ended.status_code == 200 and ended.json()["to"] == "1935-09-30"
