"""The equity report and the organisation tools over the API: answers equal to the command
line's, problems located, and the roles that may ask."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakhanov.sim import tools as organisation
from tests.api.conftest import Site
from tests.commands import cli

pytestmark = [pytest.mark.anyio, pytest.mark.storage]
CREW = Path(__file__).parents[2] / "docs" / "examples" / "organisation" / "irmino-crew.csv"


async def test_equity_answers_as_the_command_line(site: Site, db_url: str) -> None:
    async with site.client("auditor") as client:
        answer = await client.get("/api/equity", params={"period": "1935", "by": "group"})
        bad = await client.get("/api/equity", params={"by": "colour"})
    assert answer.status_code == 200, answer.text
    code, out, err = cli(db_url, "equity", "--period", "1935", "--by", "group", "--json")
    assert code == 0, err
    assert answer.json() == json.loads(out)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "by"]


async def test_equity_stays_within_a_unit_asked_for(site: Site) -> None:
    async with site.client("director") as client:
        answer = await client.get("/api/equity", params={"unit": "Works"})
    assert [r["key"] for r in answer.json()["rows"]] == ["L1"]


async def test_the_crew_plan_equals_the_command_line(site: Site) -> None:
    body = {"workplace": "central-irmino-1935", "crew": CREW.read_text(encoding="utf-8")}
    async with site.client("foreman") as client:
        answer = await client.post("/api/organisation/plan-crew", json=body)
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["status"] == "optimal"
    assert {w["worker_id"]: w["role"] for w in plan["workers"]} == {
        w["worker_id"]: w["role"]
        for w in json.loads(
            cli("sqlite://", "plan-crew", "central-irmino-1935", "--crew", str(CREW), "--json")[1]
        )["workers"]
    }


async def test_problems_are_located_in_the_files_sent(site: Site) -> None:
    text = organisation.bundled("garment-line")
    assert text is not None
    broken = text.replace("[operations.", "[operations.x]\ncolour = 1\n[operations.", 1)
    async with site.client("director") as client:
        toml = await client.post(
            "/api/organisation/balance-line", json={"toml": broken, "takt": "1"}
        )
        crew = await client.post(
            "/api/organisation/plan-crew",
            json={"workplace": "central-irmino-1935", "crew": "worker_id\nX\n"},
        )
        both = await client.post("/api/organisation/balance-line", json={"takt": "1"})
        neither = await client.post(
            "/api/organisation/balance-line", json={"workplace": "garment-line"}
        )
        unknown = await client.post(
            "/api/organisation/simulate-site",
            json={"workplace": "central-irmino-1935", "organisations": ["dancers"], "runs": 2},
        )
        too_many = await client.post(
            "/api/organisation/simulate-site",
            json={"workplace": "central-irmino-1935", "runs": 100000},
        )
    assert toml.status_code == 422
    assert any(d["loc"][0] == "workplace.toml" and "colour" in str(d["loc"][2])
               for d in toml.json()["detail"])  # fmt: skip
    assert crew.status_code == 422 and crew.json()["detail"][0]["loc"][0] == "crew.csv"
    assert both.status_code == 422 and both.json()["detail"][0]["loc"] == ["body", "workplace"]
    assert neither.status_code == 422 and neither.json()["detail"][0]["loc"] == ["body", "takt"]
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "organisations"]
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["loc"] == ["body", "runs"]


async def test_the_line_and_the_site_equal_the_command_line(site: Site) -> None:
    async with site.client("director") as client:
        line = await client.post(
            "/api/organisation/balance-line", json={"workplace": "garment-line", "demand": "100"}
        )
        simulated = await client.post(
            "/api/organisation/simulate-site",
            json={"workplace": "central-irmino-1935", "runs": 3, "seed": 7, "favoured": 1},
        )
    assert line.status_code == 200, line.text
    assert simulated.status_code == 200, simulated.text
    code, out, err = cli("sqlite://", "balance-line", "garment-line", "--demand", "100", "--json")
    assert code == 0, err
    assert line.json() == json.loads(out)
    code, out, err = cli(
        "sqlite://", "simulate", "site", "central-irmino-1935",
        "--runs", "3", "--seed", "7", "--favoured", "1", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert simulated.json() == json.loads(out)
    assert simulated.json()["favoured"]["section_change"] is not None


async def test_a_shift_shows_its_declared_resources(
    site: Site, db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "shifts.csv").write_text(
        "shift_id,date,hours,workplace,conditions,note,resources\n"
        "S9,1935-09-04,6,Mine/Section 1/Brigade 1,standard,,air;carts\n",
        encoding="utf-8",
    )
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 0, err
    async with site.client("director") as client:
        shifts = (await client.get("/api/shifts", params={"period": "1935-09-04"})).json()
    assert [(s["shift_id"], s["resources"]) for s in shifts] == [("S9", ["air", "carts"])]
