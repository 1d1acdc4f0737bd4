"""Disputes through the API: a worker contests their own work; its owner answers."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from stakhanov.data import preset_scales
from stakhanov.services.scales import import_scales
from stakhanov.store.dispute_tables import disputes
from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_a_worker_disputes_a_shift_and_the_foreman_answers(site: Site) -> None:
    async with site.client("worker") as worker:
        opened = await worker.post(
            "/api/me/disputes",
            json={"subject": "shift", "reference": "S3", "text": "I hewed more than 18 t"},
        )
        not_mine = await worker.post(
            "/api/me/disputes",
            json={"subject": "shift", "reference": "S4", "text": "not my shift"},
        )
        bad = await worker.post(
            "/api/me/disputes", json={"subject": "mood", "reference": "S3", "text": "x"}
        )
    assert opened.status_code == 201, opened.text
    assert opened.json()["status"] == "open" and opened.json()["opened_by"] == "worker"
    assert not_mine.status_code == 422
    assert not_mine.json()["detail"][0]["loc"] == ["body", "reference"]
    assert bad.json()["detail"][0]["loc"] == ["body", "subject"]
    number = opened.json()["dispute_id"]
    # S3 was at Brigade 2: the foreman of Brigade 1 may neither see nor answer it.
    async with site.client("foreman") as foreman:
        seen = (await foreman.get("/api/disputes")).json()
        refused = await foreman.post(
            f"/api/disputes/{number}/answers", json={"verdict": "upheld", "text": "yes"}
        )
    assert seen == [] and refused.status_code == 403
    async with site.client("auditor") as auditor:
        assert [d["dispute_id"] for d in (await auditor.get("/api/disputes")).json()] == [number]
    async with site.client("director") as director:
        not_his = await director.post(
            f"/api/disputes/{number}/answers", json={"verdict": "upheld", "text": "yes"}
        )
    assert not_his.status_code == 403


async def test_pay_line_and_norm_disputes_go_to_their_owners(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    async with site.client("worker") as worker:
        slip = (await worker.get("/api/me/payslip", params={"period": "1935-08"})).json()
        key = slip["lines"][0]["key"]
        line = await worker.post(
            "/api/me/disputes",
            json={"subject": "pay line", "reference": f"1935-08:{key}", "text": "rate too low"},
        )
        norm = await worker.post(
            "/api/me/disputes",
            json={"subject": "norm", "reference": "hewing", "text": "8 t is too much"},
        )
    assert line.status_code == 201, line.text
    assert line.json()["reference"] == f"1935-08-01..1935-08-31:{key}"
    async with site.client("accountant") as accountant:
        answered = await accountant.post(
            f"/api/disputes/{line.json()['dispute_id']}/answers",
            json={"verdict": "rejected", "text": "the tier is applied as the scale says"},
        )
    async with site.client("rate-setter") as rate_setter:
        explained = await rate_setter.post(
            f"/api/disputes/{norm.json()['dispute_id']}/answers",
            json={"verdict": "answered", "text": "see the revision's evidence"},
        )
    assert answered.status_code == 200 and answered.json()["status"] == "rejected"
    assert explained.json()["answers"][0]["by"] == "rate-setter"
    async with site.client("worker") as worker:
        mine = (await worker.get("/api/me/disputes")).json()
    assert {d["status"] for d in mine} == {"rejected", "answered"}


async def test_disputes_cannot_be_edited_in_the_database(site: Site) -> None:
    async with site.client("worker") as worker:
        await worker.post(
            "/api/me/disputes", json={"subject": "norm", "reference": "hewing", "text": "too much"}
        )
    with pytest.raises(DBAPIError), site.engine.begin() as connection:
        connection.execute(update(disputes).values(text="changed"))
