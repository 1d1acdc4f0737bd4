"""Skills and methods over HTTP: who sees and enters which certifications, who submits and who
judges methods."""

from __future__ import annotations

import pytest

from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


def cert(worker_id: str, until: str | None = "1935-09-30") -> dict[str, object]:
    return {
        "worker_id": worker_id,
        "operation": "drill",
        "certified_by": "mine inspector",
        "valid_from": "1935-01-01",
        "valid_until": until,
    }


async def test_a_foreman_enters_and_sees_only_his_units_certifications(site: Site) -> None:
    async with site.client("foreman") as foreman:
        entered = await foreman.post("/api/skills", json=cert("H1"))
        again = await foreman.post("/api/skills", json=cert("H1"))
        outside = await foreman.post("/api/skills", json=cert("H3"))
        edited = await foreman.post("/api/skills", json=cert("H1", until=None))
    assert entered.status_code == 201, entered.text
    assert (entered.json()["added"], again.json()["added"]) == (True, False)
    assert outside.status_code == 403
    assert edited.status_code == 422 and "never edited" in edited.text
    async with site.client("director") as director:
        assert (await director.post("/api/skills", json=cert("H3"))).status_code == 201
        everyone = (await director.get("/api/skills")).json()
        lapsing = await director.get("/api/skills/lapsing?within=30&on=1935-09-10")
    assert {c["worker_id"] for c in everyone} == {"H1", "H3"}
    assert [(x["worker_id"], x["days_left"]) for x in lapsing.json()] == [("H1", 20), ("H3", 20)]
    async with site.client("foreman") as foreman:
        mine = (await foreman.get("/api/skills")).json()
        lapsing = await foreman.get("/api/skills/lapsing?within=30&on=1935-09-10")
    assert {c["worker_id"] for c in mine} == {"H1"}
    assert [x["worker_id"] for x in lapsing.json()] == ["H1"]
    async with site.client("worker") as worker:
        assert (await worker.get("/api/skills")).status_code == 403


async def test_a_worker_submits_his_method_and_only_the_rate_setter_judges_it(
    site: Site,
) -> None:
    body = {
        "operation": "hewing",
        "title": "two benches",
        "change": "hew in two benches",
        "authors": ["H1"],
        "on": "1935-09-04",
    }
    async with site.client("worker") as worker:
        made = await worker.post("/api/methods", json=body)
        others = await worker.post("/api/methods", json={**body, "authors": ["H3"]})
    assert made.status_code == 201, made.text
    assert others.status_code == 403
    method_id = made.json()["method_id"]
    step = {"reason": "study it", "on": "1935-09-05"}
    async with site.client("foreman") as foreman:
        refused = await foreman.post(f"/api/methods/{method_id}/evaluate", json=step)
    assert refused.status_code == 403
    async with site.client("rate-setter") as setter:
        judged = await setter.post(f"/api/methods/{method_id}/evaluate", json=step)
        missing = await setter.post("/api/methods/999/evaluate", json=step)
        listed = (await setter.get("/api/methods")).json()
    assert judged.status_code == 200 and judged.json()["state"] == "under evaluation"
    assert missing.status_code == 404
    assert [(m["method_id"], m["steps"][-1]["by"]) for m in listed] == [(method_id, "rate-setter")]


async def test_the_foreman_records_an_examination_that_grants_a_certification(
    site: Site,
) -> None:
    from stakhanov.services import skills

    skills.import_courses(
        site.engine,
        {
            "courses.csv": "course_id,name,operation,level,validity_days,teacher_id,curriculum\n"
            "C1,Drill minimum,drill,,365,H1,care\n",
            "course_sessions.csv": "course_id,date,topic,hours,attended\n"
            "C1,1935-09-01,care,2,H2;H3\n",
        },
        "test",
    )
    exam = {"worker_id": "H2", "date": "1935-09-05", "examiner": "inspector", "result": "pass"}
    async with site.client("foreman") as foreman:
        passed = await foreman.post("/api/courses/C1/examinations", json=exam)
        outside = await foreman.post(
            "/api/courses/C1/examinations", json={**exam, "worker_id": "H3"}
        )
        absent = await foreman.post(
            "/api/courses/C1/examinations", json={**exam, "worker_id": "H1"}
        )
        unknown = await foreman.post("/api/courses/NO/examinations", json=exam)
        granted = (await foreman.get("/api/skills?worker_id=H2")).json()
        courses = (await foreman.get("/api/courses")).json()
    assert passed.status_code == 201 and passed.json()["added"] is True
    assert outside.status_code == 403
    assert absent.status_code == 422 and "attended no session" in absent.text
    assert unknown.status_code == 404
    assert [(c["operation"], c["valid_until"], c["course_id"]) for c in granted] == [
        ("drill", "1936-09-03", "C1")
    ]
    assert [(c["course_id"], c["passed"]) for c in courses] == [("C1", ["H2"])]
