"""The command line's remaining use cases through the API: a title's history, innovations, the
rulebook, awards, the plan cascade, the ratchet simulation, and a worker's wish about boards.

Each is checked for what it writes, who wrote it, and who is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from stakhanov.domain.periods import parse_period
from stakhanov.services import honour, plans
from stakhanov.services.rulebooks import bundled_text
from stakhanov.store.schema import batches
from tests.api.conftest import Site, hero

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_a_title_is_revoked_appealed_and_reinstated_by_the_right_people(
    site: Site,
) -> None:
    title_id = hero(site)
    async with site.client("foreman") as foreman:
        refused = await foreman.post(f"/api/titles/{title_id}/revoke", json={"reason": "no"})
    assert refused.status_code == 403
    async with site.client("director") as director:
        revoked = await director.post(
            f"/api/titles/{title_id}/revoke", json={"reason": "the output was pooled"}
        )
        early = await director.post(
            f"/api/titles/{title_id}/appeal-decision", json={"reason": "x", "reinstate": True}
        )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["history"][-1]["by"] == "director"
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "reason"]
    async with site.client("worker") as worker:  # H1 appeals his own title
        appealed = await worker.post(
            f"/api/titles/{title_id}/appeal", json={"reason": "the timberers were declared"}
        )
    assert appealed.status_code == 200, appealed.text
    assert appealed.json()["history"][-1] == {
        "event": "appealed",
        "date": appealed.json()["history"][-1]["date"],
        "reason": "the timberers were declared",
        "by": "worker",
    }
    async with site.client("director") as director:
        reinstated = await director.post(
            f"/api/titles/{title_id}/appeal-decision",
            json={"reason": "declared help is not pooling", "reinstate": True},
        )
        missing = await director.post("/api/titles/999/revoke", json={"reason": "x"})
    assert reinstated.json()["status"] == "held"
    assert missing.status_code == 404


async def test_only_the_worker_or_his_foreman_appeals(site: Site) -> None:
    title_id = hero(site)
    async with site.client("director") as director:
        await director.post(f"/api/titles/{title_id}/revoke", json={"reason": "pooled"})
    async with site.client("representative") as other:
        refused = await other.post(f"/api/titles/{title_id}/appeal", json={"reason": "x"})
    assert refused.status_code == 403
    async with site.client("foreman") as foreman:  # H1 is in his brigade
        appealed = await foreman.post(
            f"/api/titles/{title_id}/appeal", json={"reason": "for H1, who has no login"}
        )
    assert appealed.status_code == 200 and appealed.json()["history"][-1]["by"] == "foreman"


async def test_an_innovation_is_recorded_for_a_worker_in_scope(site: Site) -> None:
    body = {"worker_id": "H1", "date": "1935-09-01", "description": "two-level undercut"}
    async with site.client("foreman") as foreman:
        made = await foreman.post("/api/innovations", json=body)
        outside = await foreman.post("/api/innovations", json={**body, "worker_id": "H3"})
        unknown = await foreman.post("/api/innovations", json={**body, "worker_id": "NOPE"})
    assert made.status_code == 201, made.text
    assert outside.status_code == 403
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == [
        "body",
        "worker_id",
    ]


async def test_the_rulebook_is_read_by_all_and_replaced_by_the_director(site: Site) -> None:
    async with site.client("worker") as worker:
        shown = await worker.get("/api/rulebook")
        refused = await worker.post("/api/rulebook", json={"text": bundled_text()})
    assert shown.json()["version"] == 1
    assert {t["title"] for t in shown.json()["titles"]} >= {"shock-worker", "stakhanovite"}
    assert refused.status_code == 403
    newer = bundled_text().replace("version = 1", "version = 2", 1)
    async with site.client("director") as director:
        broken = await director.post("/api/rulebook", json={"text": "version = "})
        stored = await director.post("/api/rulebook", json={"text": newer, "name": "v2.toml"})
        again = await director.post("/api/rulebook", json={"text": newer, "name": "v2.toml"})
        older = await director.post("/api/rulebook", json={"text": bundled_text()})
        shown = await director.get("/api/rulebook")
    assert broken.status_code == 422 and "not valid TOML" in broken.json()["detail"][0]["msg"]
    assert stored.status_code == 201 and stored.json()["stored"] is True
    assert again.json()["stored"] is False
    assert older.status_code == 422 and "must be above 2" in older.json()["detail"][0]["msg"]
    assert (shown.json()["version"], shown.json()["source"]) == (2, "v2.toml")


async def test_awards_are_granted_listed_paid_and_cancelled(site: Site) -> None:
    title_id = hero(site)
    body = {"worker_id": "H1", "title_id": title_id, "amount": "250.00", "date": "1935-09-05"}
    async with site.client("director") as director:
        both = await director.post("/api/awards", json={**body, "in_kind": "a gramophone"})
        wrong = await director.post("/api/awards", json={**body, "worker_id": "H2"})
        granted = await director.post("/api/awards", json=body)
    assert both.status_code == 422 and both.json()["detail"][0]["loc"] == ["body", "amount"]
    assert wrong.status_code == 422 and "belongs to H1" in wrong.json()["detail"][0]["msg"]
    assert granted.status_code == 201, granted.text
    award_id = granted.json()["award_id"]
    async with site.client("accountant") as accountant:
        listed = await accountant.get("/api/awards", params={"period": "1935-09"})
        bonuses = await accountant.get("/api/awards/bonuses", params={"period": "1935-09"})
        refused = await accountant.post(f"/api/awards/{award_id}/cancel", json={"reason": "x"})
    # The title's own award (in kind: the Order of Lenin) came with it; ours is money.
    money = [(a["award_id"], a["amount"]) for a in listed.json() if a["kind"] == "money"]
    assert money == [(award_id, "250.00")]
    assert [(b["worker_id"], b["amount"]) for b in bonuses.json()] == [("H1", "250.00")]
    assert refused.status_code == 403
    async with site.client("foreman") as foreman:
        assert (await foreman.get("/api/awards")).status_code == 403
    async with site.client("director") as director:
        cancelled = await director.post(
            f"/api/awards/{award_id}/cancel", json={"reason": "granted twice"}
        )
        again = await director.post(f"/api/awards/{award_id}/cancel", json={"reason": "again"})
        listed = await director.get("/api/awards", params={"period": "1935-09"})
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert again.status_code == 404
    assert [a["kind"] for a in listed.json()] == ["in-kind"]


async def test_a_plan_is_cascaded_by_capacity_and_recorded_by_its_author(site: Site) -> None:
    """Mine's 100 t of hewing in September over its one section, then over the brigades."""
    body = {
        "unit": "Mine/Section 1",
        "operation": "hewing",
        "period": "1935-09",
        "target": "100",
        "unit_of_measure": "t",
        "reference": "1935-08",
    }
    async with site.client("director") as director:
        preview = await director.post("/api/plans/cascade", json=body)
        applied = await director.post("/api/plans/cascade", json={**body, "apply": True})
        unknown = await director.post("/api/plans/cascade", json={**body, "unit": "Mine/Nope"})
        bad = await director.post("/api/plans/cascade", json={**body, "period": "1935-13"})
    assert preview.status_code == 200, preview.text
    expected = plans.plan_cascade(
        site.engine,
        "Mine/Section 1",
        "hewing",
        parse_period("1935-09"),
        target=Decimal(100),
        unit_of_measure="t",
        reference=parse_period("1935-08"),
    )
    assert [(r["unit"], Decimal(r["target"])) for r in preview.json()["rows"]] == [
        (r.allocation.unit, r.allocation.target) for r in expected.rows
    ]
    assert sum(Decimal(r["target"]) for r in preview.json()["rows"]) == 100
    assert preview.json()["recorded"] is None
    assert applied.json()["recorded"]["changed"] is True
    with site.engine.connect() as connection:
        author = connection.scalar(select(batches.c.author).order_by(batches.c.batch_id.desc()))
    assert author == "director"
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "unit"]
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "period"]
    async with site.client("foreman") as foreman:
        assert (await foreman.post("/api/plans/cascade", json=body)).status_code == 403


async def test_the_ratchet_simulation_answers_as_the_command_line(site: Site) -> None:
    from stakhanov.sim.ratchet import Model
    from stakhanov.sim.report import ratchet

    params = {"seed": 7, "workers": 8, "months": 4, "enthusiasts": "0.25", "change_month": 2}
    async with site.client("rate-setter") as client:
        answered = await client.get("/api/simulations/ratchet", params=params)
        too_big = await client.get("/api/simulations/ratchet", params={"workers": 5000})
    async with site.client("accountant") as accountant:
        refused = await accountant.get("/api/simulations/ratchet", params=params)
    assert answered.status_code == 200, answered.text
    expected = ratchet(Model(7, 8, 4, Decimal("0.25"), change_month=2))
    got = answered.json()
    assert got["summary"]["governed"]["mean_pay"] == str(
        expected["summary"]["governed"]["mean_pay"]
    )
    assert len(got["months"]) == len(expected["months"]) == 8
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["loc"] == [
        "query",
        "workers",
    ]
    assert refused.status_code == 403


async def test_a_foreman_records_a_workers_wish_to_stay_off_the_board(site: Site) -> None:
    async with site.client("foreman") as foreman:
        hidden = await foreman.put(
            "/api/workers/H2/honour", json={"public": False, "reason": "asked at the face"}
        )
        outside = await foreman.put("/api/workers/H3/honour", json={"public": False})
        unknown = await foreman.put("/api/workers/NOPE/honour", json={"public": False})
    assert hidden.status_code == 204, hidden.text
    assert outside.status_code == 403 and unknown.status_code == 404
    with site.engine.connect() as connection:
        assert honour.opted_out(connection) == {"H2"}


async def test_the_written_notice_prints_as_a_pdf(site: Site) -> None:
    async with site.client("worker") as worker:
        mine = await worker.get("/api/me/notice.pdf", params={"on": "1935-09-01"})
        other = await worker.get("/api/workers/H3/notice.pdf")
    async with site.client("foreman") as foreman:
        his = await foreman.get("/api/workers/H1/notice.pdf")
        outside = await foreman.get("/api/workers/H3/notice.pdf")
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    assert mine.headers["content-type"] == "application/pdf"
    assert his.status_code == 200 and his.content.startswith(b"%PDF")
    assert other.status_code == 403 and outside.status_code == 403
