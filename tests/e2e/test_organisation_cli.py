from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from stakhanov.cli.main import app

runner = CliRunner()
CREW = Path(__file__).parents[2] / "docs" / "examples" / "organisation" / "irmino-crew.csv"


def test_plan_crew_prints_a_proved_plan_as_json_and_as_a_table() -> None:
    shown = runner.invoke(app, ["plan-crew", "central-irmino-1935", "--crew", str(CREW), "--json"])
    assert shown.exit_code == 0, shown.output
    plan = json.loads(shown.output)
    assert plan["status"] == "optimal"
    assert plan["bottleneck"] in {"hewing", "timbering", "loading", "haulage"}
    assert {w["worker_id"] for w in plan["workers"]} >= {"W001", "W014"}
    table = runner.invoke(app, ["plan-crew", "central-irmino-1935", "--crew", str(CREW)])
    assert table.exit_code == 0
    assert "proved optimal" in table.output and "bottleneck" in table.output


def test_balance_line_from_a_demand() -> None:
    shown = runner.invoke(app, ["balance-line", "garment-line", "--demand", "105", "--json"])
    assert shown.exit_code == 0, shown.output
    line = json.loads(shown.output)
    assert Decimal(line["takt_minutes"]) == 4  # 7 working hours x 60 / 105, a decimal string
    assert line["stations"] >= line["minimum_stations"]
    assert sum(len(s["operations"]) for s in line["line"]) == 6


def test_the_favoured_face_report_and_its_charts(tmp_path: Path) -> None:
    shown = runner.invoke(
        app,
        ["simulate", "site", "central-irmino-1935", "-o", "brigade", "--favoured", "1",
         "--favoured-organisation", "record", "--runs", "3", "--charts", str(tmp_path), "--json"],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    favoured = report["favoured"]
    assert [f["favoured"] for f in favoured["faces"]] == [True, False, False]
    assert Decimal(favoured["favoured_face_gains"]) > 0
    assert Decimal(favoured["other_faces_lose"]) > 0
    for name in ("output.png", "workers-baseline.png", "workers-favoured.png", "favoured.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


def test_a_bad_workplace_is_refused_with_located_lines(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('name = "x"\nunit = "t"\nbatch = 1\nshift_hours = 6\nlength = 3\n')
    shown = runner.invoke(app, ["simulate", "site", str(path)])
    assert shown.exit_code == 1
    assert f"{path}:5:length: unknown key 'length'" in shown.output
    unknown = runner.invoke(app, ["simulate", "site", "garment-line", "-o", "nobody"])
    assert unknown.exit_code == 2


def test_the_planned_crew_is_simulated_beside_the_shipped_organisations() -> None:
    shown = runner.invoke(
        app,
        ["simulate", "site", "central-irmino-1935", "--crew", str(CREW), "-o", "planned",
         "--faces", "1", "--runs", "2", "--json"],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    planned = json.loads(shown.output)["scenarios"]["planned"]
    plan = json.loads(
        runner.invoke(
            app, ["plan-crew", "central-irmino-1935", "--crew", str(CREW), "--json"]
        ).output
    )
    assert {w["worker_id"]: w["roles"] for w in planned["workers"]} == {
        w["worker_id"]: [w["role"]] for w in plan["workers"] if w["role"]
    }
