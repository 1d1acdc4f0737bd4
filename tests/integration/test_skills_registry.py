"""The skills-and-schools registry on SQLite and PostgreSQL: imports all or nothing and
idempotent, courses that grant certifications, what lapses, and a certification lapsing out of
a crew plan (docs/skills.md works the example)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands import cli, ok
from tests.integration.helpers import mini_copy, write

pytestmark = pytest.mark.storage

CERTIFICATIONS = """
worker_id,operation,level,certified_by,valid_from,valid_until
H1,hewing,master,mine inspector,1935-01-01,1935-09-30
H1,hewing,master,mine inspector,1935-10-01,1936-09-30
H1,drill,,mine inspector,1935-01-01,1935-09-30
H1,timbering,ordinary,foreman,1935-01-01,
H2,hewing,good,foreman,1935-01-01,
H2,timbering,good,foreman,1935-01-01,
T1,timbering,master,foreman,1935-01-01,
T1,loading,good,foreman,1935-01-01,
T2,loading,good,foreman,1935-01-01,
T2,haulage,good,foreman,1935-01-01,
"""
COURSES = """
course_id,name,operation,level,validity_days,teacher_id,curriculum
DRILL-35,Pneumatic drill technical minimum,drill,,365,H1,drill care; cutting in benches
"""
SESSIONS = """
course_id,date,topic,hours,attended
DRILL-35,1935-09-01,the drill and its care,2,H2;T1
DRILL-35,1935-09-03,cutting in benches,2,H2
"""
EXAMS = """
course_id,worker_id,date,examiner,result
DRILL-35,H2,1935-09-05,mine inspector,pass
DRILL-35,T1,1935-09-05,mine inspector,fail
"""


def registry(db_url: str, tmp_path: Path) -> None:
    assert cli(db_url, "import", str(mini_copy(tmp_path)))[0] == 0
    path = write(tmp_path / "skills", "certifications.csv", CERTIFICATIONS)
    assert ok(db_url, "skills", "import", str(path)) == {
        "certifications.csv": {"added": 10, "unchanged": 0}
    }
    folder = tmp_path / "courses"
    write(folder, "courses.csv", COURSES)
    write(folder, "course_sessions.csv", SESSIONS)
    write(folder, "examinations.csv", EXAMS)
    counts = ok(db_url, "courses", "import", str(folder))
    assert counts["examinations.csv"] == {"added": 2, "unchanged": 0}


def test_imports_are_idempotent_and_all_or_nothing(db_url: str, tmp_path: Path) -> None:
    registry(db_url, tmp_path)
    path = tmp_path / "skills" / "certifications.csv"
    assert ok(db_url, "skills", "import", str(path)) == {
        "certifications.csv": {"added": 0, "unchanged": 10}
    }
    assert ok(db_url, "courses", "import", str(tmp_path / "courses"))["courses.csv"] == {
        "added": 0,
        "unchanged": 1,
    }
    bad = write(
        tmp_path / "bad",
        "certifications.csv",
        "worker_id,operation,level,certified_by,valid_from,valid_until\n"
        "H3,hewing,good,foreman,1935-01-01,\n"
        "NOBODY,hewing,good,foreman,1935-01-01,\n"
        "H2,hewing,good,foreman,1935-13-01,\n"
        "H2,hewing,good,someone else,1935-01-01,\n"
        "H3,loading,good,foreman,1935-05-01,1935-04-01\n",
    )
    code, _, err = cli(db_url, "skills", "import", str(bad))
    assert code == 1
    assert "certifications.csv:3:worker_id: unknown worker 'NOBODY'" in err
    assert "certifications.csv:4:valid_from" in err
    assert "certifications.csv:5:valid_from: is stored with other content" in err
    assert "certifications.csv:6:valid_until" in err
    assert len(ok(db_url, "skills", "list", "--worker", "H3")) == 0  # nothing written
    exam = write(
        tmp_path / "exam",
        "examinations.csv",
        "course_id,worker_id,date,examiner,result\nDRILL-35,T2,1935-09-06,inspector,pass\n",
    )
    code, _, err = cli(db_url, "courses", "import", str(exam.parent))
    assert code == 1 and "examinations.csv:2:worker_id: T2 attended no session" in err


def test_a_passed_examination_grants_the_course_certification(db_url: str, tmp_path: Path) -> None:
    registry(db_url, tmp_path)
    drills = ok(db_url, "skills", "list", "--worker", "H2", "--on", "1935-09-10")
    granted = [c for c in drills if c["operation"] == "drill"]
    assert granted == [
        {
            "worker_id": "H2",
            "operation": "drill",
            "level": None,
            "certified_by": "mine inspector",
            "valid_from": "1935-09-05",
            "valid_until": "1936-09-03",
            "course_id": "DRILL-35",
        }
    ]
    assert not [c for c in ok(db_url, "skills", "list", "--worker", "T1") if c["course_id"]]
    (course,) = ok(db_url, "courses", "list", "--unit", "Mine/Section 1/Brigade 1")
    assert (course["sessions"], course["attendees"], course["passed"]) == (2, 2, ["H2"])


def test_what_lapses_counts_renewals(db_url: str, tmp_path: Path) -> None:
    registry(db_url, tmp_path)
    found = ok(db_url, "skills", "lapsing", "--within", "30d", "--on", "1935-09-10",
               "--unit", "Mine/Section 1/Brigade 1")  # fmt: skip
    # H1's hewing is renewed from 1 October; his drill certificate is not.
    assert [(f["worker_id"], f["operation"], f["last_day"], f["days_left"]) for f in found] == [
        ("H1", "drill", "1935-09-30", 20)
    ]
    assert ok(db_url, "skills", "lapsing", "--within", "19d", "--on", "1935-09-10") == []


def test_a_certification_lapsing_out_of_a_crew_plan(db_url: str, tmp_path: Path) -> None:
    registry(db_url, tmp_path)
    unit = "Mine/Section 1/Brigade 1"
    before = ok(db_url, "plan-crew", "central-irmino-1935", "--from-registry", unit,
                "--on", "1935-09-20")  # fmt: skip
    roles = {w["worker_id"]: w["role"] for w in before["workers"]}
    assert roles == {"H1": "hewing", "H2": "timbering", "T1": "loading", "T2": "haulage"}
    after = ok(db_url, "plan-crew", "central-irmino-1935", "--from-registry", unit,
               "--on", "1935-10-05")  # fmt: skip
    roles = {w["worker_id"]: w["role"] for w in after["workers"]}
    # H1's drill certificate has lapsed: H2, who passed the drill course, hews instead.
    assert roles == {"H1": "timbering", "H2": "hewing", "T1": "loading", "T2": "haulage"}
    assert (before["rate"], after["rate"]) == ("7.5", "7")
    code, _, _ = cli(db_url, "plan-crew", "central-irmino-1935", "--from-registry", "Nowhere")
    assert code == 1
    assert cli(db_url, "plan-crew", "central-irmino-1935")[0] == 2  # --crew or --from-registry
