"""The command line and the API write the same value as the same JSON: counts as integers,
every other number as the decimal string the domain rounded (one policy, domain.numbers)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from stakhanov.data import preset_scales
from stakhanov.services.scales import import_scales
from tests.api.conftest import Site
from tests.commands import ok
from tests.integration.helpers import write
from tests.integration.test_exact_hours_import import SCALE as THIRDS_SCALE
from tests.integration.test_exact_hours_import import imported, month

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

AUGUST = {"from": "1935-08-01", "to": "1935-08-31"}
FLAGS = ("--from", AUGUST["from"], "--to", AUGUST["to"])
DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def url(site: Site) -> str:
    return site.engine.url.render_as_string(hide_password=False)


def numbers_in(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_in(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


async def test_fulfilment_is_written_alike_by_the_cli_and_the_api(site: Site) -> None:
    async with site.client("director") as director:
        for by in ("worker", "shift", "unit"):
            answered = await director.get("/api/fulfilment", params={**AUGUST, "by": by})
            printed = ok(url(site), "fulfilment", *FLAGS, "--by", by)
            assert answered.status_code == 200, answered.text
            assert printed and len(printed) == len(answered.json())
            for cli_row, api_row in zip(printed, answered.json(), strict=True):
                for key in ("shifts", "hours", "output", "norm_output", "percent", "fair_percent"):
                    assert cli_row[key] == api_row[key], (by, key)
                assert isinstance(cli_row["shifts"], int)
                for key in ("hours", "output"):
                    assert DECIMAL.fullmatch(cli_row[key]), cli_row[key]
                for key in ("percent", "fair_percent"):  # one decimal, as rounded
                    assert cli_row[key] is None or re.fullmatch(r"\d+\.\d", cli_row[key])


async def test_audit_findings_are_written_alike(site: Site) -> None:
    async with site.client("auditor") as auditor:
        answered = await auditor.get("/api/audit", params=AUGUST)
    printed = ok(url(site), "audit", *FLAGS)
    assert answered.status_code == 200 and printed
    assert [(f["kind"], f["shift_id"], f["message"]) for f in printed] == [
        (f["kind"], f["shift_id"], f["message"]) for f in answered.json()
    ]


async def test_a_pay_slip_is_written_alike_with_money_in_its_minor_unit(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    async with site.client("accountant") as accountant:
        answered = await accountant.get("/api/payroll/slips", params=AUGUST)
    assert answered.status_code == 200 and answered.json()
    for slip in answered.json():
        printed = ok(url(site), "payroll", "show", "--worker", slip["worker_id"], *FLAGS)
        assert printed["gross"] == slip["gross"] and printed["net"] == slip["net"]
        assert re.fullmatch(r"\d+\.\d\d", printed["gross"])  # kopecks kept: "12.50"
        pairs = zip(printed["lines"], slip["lines"], strict=True)
        for cli_line, api_line in pairs:
            for key in ("quantity", "rate", "amount"):
                assert cli_line[key] == api_line[key], key
        assert numbers_in(printed) == [] or all(isinstance(n, int) for n in numbers_in(printed))


async def test_hours_of_thirds_are_written_alike(site: Site, tmp_path: Path) -> None:
    """20-minute shares: the fraction `1/3` per shift, a whole `1` summed, in both."""
    scales = write(tmp_path, "mine.toml", THIRDS_SCALE)
    imported(url(site), month(tmp_path / "thirds", "20min", "20min"), scales)
    february = {"from": "2026-02-01", "to": "2026-02-28"}
    async with site.client("director") as director:
        for by, hours in (("worker", "1"), ("shift", "1/3")):
            answered = await director.get("/api/fulfilment", params={**february, "by": by})
            printed = ok(
                url(site),
                "fulfilment",
                "--from",
                "2026-02-01",
                "--to",
                "2026-02-28",
                "--by",
                by,
                "--unit",
                "Mine/Section 1",
            )
            rows = [r for r in answered.json() if r.get("worker_id") in ("P", "Q", "R")]
            assert [r["hours"] for r in rows] == [r["hours"] for r in printed]
            assert {r["hours"] for r in printed} == {hours}
        slips = await director.get(
            "/api/payroll/slips", params={"period": "2026-02", "worker_id": "P"}
        )
    assert slips.status_code == 200, slips.text
    printed_slip = ok(url(site), "payroll", "show", "--worker", "P", "--period", "2026-02")
    (answered_slip,) = slips.json()
    assert [line["quantity"] for line in answered_slip["lines"]] == [
        line["quantity"] for line in printed_slip["lines"]
    ]
    assert "1/3" in [line["quantity"] for line in printed_slip["lines"]]
