"""Norm governance through the API: each step taken by its own role, in order."""

from __future__ import annotations

import pytest

from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

PROPOSAL = {
    "operation": "hewing",
    "basis": "technical",
    "norm": "8.5",
    "evidence": "new pneumatic drills in every face",
    "reason": "re-equipment of the faces",
    "from": "1935-08-01",
    "to": "1935-09-30",
}


async def decide(site: Site, username: str, revision_id: int, step: str, decision: str = "approve"):  # type: ignore[no-untyped-def]
    async with site.client(username) as client:
        return await client.post(
            f"/api/revisions/{revision_id}/decisions",
            json={"step": step, "decision": decision, "reason": f"{username} agrees"},
        )


async def test_a_revision_goes_through_every_step_by_its_own_role(site: Site) -> None:
    async with site.client("rate-setter") as client:
        dry = await client.post("/api/revisions", json={**PROPOSAL, "dry_run": True})
        made = await client.post("/api/revisions", json=PROPOSAL)
    assert dry.status_code == 201 and dry.json()["revision_id"] is None
    assert made.status_code == 201, made.text
    revision = made.json()
    number = revision["revision_id"]
    assert (revision["status"], revision["next_step"]) == ("pending", "rate-setter")
    assert (revision["current_norm"], revision["proposed_norm"]) == ("8", "8.5")
    assert revision["proposed_by"] == "rate-setter"
    assert revision["evidence"]["impact"]["workers"]
    # Out of turn, or not one's own step: refused.
    assert (await decide(site, "director", number, "director")).status_code == 422
    assert (await decide(site, "director", number, "representatives")).status_code == 403
    assert (await decide(site, "rate-setter", number, "rate-setter")).status_code == 200
    assert (await decide(site, "representative", number, "representatives")).status_code == 200
    done = await decide(site, "director", number, "director")
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "approved" and body["effective_from"] is not None
    assert [(d["step"], d["by"]) for d in body["decisions"]] == [
        ("rate-setter", "rate-setter"),
        ("representatives", "representative"),
        ("director", "director"),
    ]
    # Everyone may see revisions, including the workers whose norm it is.
    async with site.client("worker") as worker:
        listed = (await worker.get("/api/revisions")).json()
        notice = (await worker.get("/api/me/notice", params={"on": "1935-09-15"})).json()
        data = (await worker.get("/api/me/data")).json()
    assert [r["status"] for r in listed] == ["approved"]
    assert notice["worker_id"] == "H1" and notice["lines"]
    assert data["worker_id"] == "H1" and data["shifts"]


async def test_a_proposal_without_its_evidence_names_the_field(site: Site) -> None:
    async with site.client("rate-setter") as client:
        response = await client.post("/api/revisions", json={**PROPOSAL, "evidence": None})
        basis = await client.post("/api/revisions", json={**PROPOSAL, "basis": "hunch"})
    assert response.status_code == 422
    assert "evidence" in response.json()["detail"][0]["msg"]
    assert basis.json()["detail"][0]["loc"] == ["body", "basis"]


async def test_only_a_rate_setter_proposes(site: Site) -> None:
    for username in ("director", "foreman", "representative"):
        async with site.client(username) as client:
            response = await client.post("/api/revisions", json=PROPOSAL)
        assert response.status_code == 403, username


async def test_policy_provenance_and_a_workers_notice_and_data_in_scope(site: Site) -> None:
    async with site.client("director") as director:
        policy = (await director.get("/api/policy")).json()
        provenance = await director.get("/api/norms/provenance")
        notice = await director.get("/api/workers/H1/notice", params={"on": "1935-09-02"})
        data = await director.get("/api/workers/H1/data")
    assert [s["role"] for s in policy["steps"]] == ["rate-setter", "representatives", "director"]
    assert provenance.status_code == 200
    assert notice.json()["worker_id"] == "H1" and data.json()["worker_id"] == "H1"
    async with site.client("foreman") as foreman:
        outside = await foreman.get("/api/workers/H3/data")
    assert outside.status_code == 403


async def test_the_director_sets_the_policy_and_a_bad_one_names_its_fault(site: Site) -> None:
    policy = 'notice_days = 90\n[[steps]]\nrole = "rate-setter"\n[[steps]]\nrole = "director"\n'
    async with site.client("director") as director:
        done = await director.put("/api/policy", json={"text": policy, "reason": "union accord"})
        bad = await director.put("/api/policy", json={"text": "notice_days = -1\n"})
    async with site.client("rate-setter") as rate_setter:
        refused = await rate_setter.put("/api/policy", json={"text": policy})
    assert done.status_code == 200, done.text
    assert done.json()["notice_days"] == 90 and done.json()["author"] == "director"
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "text"]
    assert refused.status_code == 403
