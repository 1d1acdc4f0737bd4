"""Hostile files at every door: the API's uploads and the command line give located refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakhanov.cli.main import app
from tests.api.conftest import Site
from tests.bombs import comment_in_sheet

pytestmark = [pytest.mark.anyio, pytest.mark.storage]
AUGUST = {"from": "1935-08-01", "to": "1935-08-31"}
DEEP = (
    b'name = "bomb"\neffective_from = "1935-01-01"\ncurrency = "RUB"\n[grades]\n"4" = '
    + b"[" * 5000
    + b"]" * 5000
    + b"\n"
)
LOCATED = "bomb.toml:5:grades.4: nested deeper than 16 levels"


async def test_a_nested_scale_is_refused_located_by_the_api(site: Site) -> None:
    async with site.client("accountant") as client:
        imported = await client.post("/api/scales", files=[("files", ("bomb.toml", DEEP))])
        whatif = await client.post(
            "/api/payroll/whatif", params=AUGUST, files={"scale": ("bomb.toml", DEEP)}
        )
    assert imported.status_code == 422, imported.text
    assert any(p.endswith(LOCATED) for p in imported.json()["problems"])
    assert whatif.status_code == 422, whatif.text
    assert whatif.json()["problems"] == [LOCATED]


async def test_numbers_and_short_rows_are_refused_as_the_readme_says(site: Site) -> None:
    norms = (
        b"operation,unit,kind,norm,norm_hours,effective_from\nhewing,t,output,1e3,6,1935-08-01\n"
    )
    shifts = b"shift_id,date,hours,workplace,conditions\nS99,1935-09-01,+6,Mine\n"
    async with site.client("director") as client:
        whatif = await client.post(
            "/api/payroll/whatif", params=AUGUST, files={"norms": ("norms.csv", norms)}
        )
        short = await client.post(
            "/api/imports", files=[("files", ("shifts.csv", shifts))], data={"check": "true"}
        )
    assert whatif.status_code == 422
    assert whatif.json()["problems"] == [
        "norms.csv:2:norm: is not a plain decimal: write it without an exponent"
    ]
    assert short.status_code == 422
    assert short.json()["problems"] == ["shifts.csv:2:-: 4 cells but the header has 5"]


async def test_a_workbook_bomb_is_refused_in_process_too(site: Site) -> None:
    async with site.client("director") as client:
        response = await client.post(
            "/api/imports", files=[("files", ("workers.xlsx", io.BytesIO(comment_in_sheet())))]
        )
    assert response.status_code == 422
    assert response.json()["problems"][0].startswith(
        "workers.xlsx:0:-: xl/worksheets/sheet1.xml: unpacks to"
    )


def test_the_command_line_refuses_the_same_files(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    scale = tmp_path / "bomb.toml"
    scale.write_bytes(DEEP)
    result = runner.invoke(app, ["--db", db_url, "scales", "import", str(scale)])
    assert result.exit_code == 1
    assert LOCATED in result.stderr and "Traceback" not in result.stderr
    workbook = tmp_path / "workers.xlsx"
    workbook.write_bytes(comment_in_sheet())
    result = runner.invoke(app, ["--db", db_url, "import", str(workbook)])
    assert result.exit_code == 1
    assert "workers.xlsx:0:-: xl/worksheets/sheet1.xml: unpacks to" in result.stderr
