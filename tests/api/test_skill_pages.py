"""The skills and methods pages: the foreman sees what lapses in his units and enters
certifications; a worker submits his method from the methods page."""

from __future__ import annotations

import datetime as dt

import pytest

from stakhanov.api.security import COOKIE
from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_the_foreman_sees_lapsing_certifications_and_enters_one(site: Site) -> None:
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    login = (await site.login("foreman")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        form = {
            "csrf_token": login["csrf_token"],
            "worker_id": "H1",
            "operation": "drill",
            "level": "",
            "certified_by": "mine inspector",
            "valid_from": "1935-01-01",
            "valid_until": soon,
        }
        entered = await client.post("/skills", data=form)
        outside = await client.post("/skills", data={**form, "worker_id": "H3"})
        bad = await client.post("/skills", data={**form, "valid_from": "1935-13-01"})
        forged = await client.post("/skills", data={**form, "csrf_token": "forged"})
        page = await client.get("/skills")
        start = await client.get("/")
    assert entered.status_code == 201, entered.text[:500]
    assert outside.status_code == 403
    assert bad.status_code == 422 and 'id="err-valid_from"' in bad.text
    assert forged.status_code == 403
    lapsing = page.text.split("certifications</caption>")[0]
    assert "drill" in lapsing and soon in lapsing and ">10<" in lapsing
    assert 'href="/skills"' in start.text


async def test_a_worker_submits_his_method_from_the_page(site: Site) -> None:
    login = (await site.login("worker")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        form = {
            "csrf_token": login["csrf_token"],
            "author": "H1",
            "operation": "hewing",
            "title": "two benches",
            "change": "hew in two benches",
            "evidence": "",
            "time_study": "",
        }
        made = await client.post("/methods", data=form)
        others = await client.post("/methods", data={**form, "author": "H3"})
        unknown = await client.post("/methods", data={**form, "operation": "flying"})
        page = await client.get("/methods")
    assert made.status_code == 201, made.text[:500]
    assert others.status_code == 403
    assert unknown.status_code == 422 and 'id="err-operation"' in unknown.text
    assert "two benches" in page.text and "submitted" in page.text


async def test_the_foreman_records_an_examination_on_the_skills_page(site: Site) -> None:
    from stakhanov.services import skills

    skills.import_courses(
        site.engine,
        {
            "courses.csv": "course_id,name,operation,level,validity_days,teacher_id,curriculum\n"
            "C1,Drill minimum,drill,,,H1,care\n",
            "course_sessions.csv": "course_id,date,topic,hours,attended\nC1,1935-09-01,care,2,H2\n",
        },
        "test",
    )
    login = (await site.login("foreman")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        assert "Record an examination" in (await client.get("/skills")).text
        form = {
            "csrf_token": login["csrf_token"],
            "course_id": "C1",
            "worker_id": "H2",
            "date": "1935-09-05",
            "examiner": "inspector",
            "result": "pass",
        }
        passed = await client.post("/skills/examinations", data=form)
        absent = await client.post("/skills/examinations", data={**form, "worker_id": "T1"})
        undated = await client.post("/skills/examinations", data={**form, "date": ""})
    assert passed.status_code == 201, passed.text[:500]
    assert "C1" in passed.text.split('id="certifications"')[1]  # H2's drill, from C1
    assert absent.status_code == 422 and 'id="err-exam_worker_id"' in absent.text
    assert undated.status_code == 422 and 'id="err-exam_date"' in undated.text
