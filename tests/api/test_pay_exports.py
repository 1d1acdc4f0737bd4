"""The accountant downloads a closed period's exports; others are refused."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from stakhanov.data import preset_scales
from stakhanov.services.scales import import_scales
from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]
AUGUST = {"from": "1935-08-01", "to": "1935-08-31"}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_accountant_downloads_lines_journal_and_bank_list(site: Site) -> None:
    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    async with site.client("accountant") as client:
        early = await client.get("/api/payroll/exports/journal.csv", params=AUGUST)
        closed = (await client.post("/api/payroll/close", params=AUGUST)).json()
        slips = (await client.get("/api/payroll/slips", params=AUGUST)).json()
        lines = await client.get("/api/payroll/exports/lines.csv", params=AUGUST)
        journal = await client.get("/api/payroll/exports/journal.csv", params=AUGUST)
        refs = "worker_id,bank_reference\n" + "".join(
            f"{s['worker_id']},REF-{s['worker_id']}\n" for s in slips
        )
        bank = await client.post(
            "/api/payroll/exports/bank.csv",
            params=AUGUST,
            files={"references": ("refs.csv", refs.encode(), "text/csv")},
        )
        missing = await client.post(
            "/api/payroll/exports/bank.csv",
            params=AUGUST,
            files={"references": ("refs.csv", b"worker_id,bank_reference\n", "text/csv")},
        )
    assert early.status_code == 404 and "not a closed pay period" in early.text
    assert lines.status_code == 200, lines.text
    assert lines.headers["content-type"].startswith("text/csv")
    expected = sum(len(s["lines"]) + len(s["deductions"]) for s in slips)
    assert len(_rows(lines.text)) == expected
    rows = _rows(journal.text)
    debit = sum(Decimal(r["debit"] or 0) for r in rows)
    assert debit == sum(Decimal(r["credit"] or 0) for r in rows) == Decimal(closed["gross"])
    assert bank.status_code == 200, bank.text
    assert sum(Decimal(r["amount"]) for r in _rows(bank.text)) == Decimal(closed["net"])
    assert missing.status_code == 422 and "no bank reference for worker" in missing.text


async def test_only_who_closes_periods_organisation_wide_may_export(site: Site) -> None:
    for username in ("director", "foreman", "worker"):
        async with site.client(username) as client:
            refused = await client.get("/api/payroll/exports/journal.csv", params=AUGUST)
        assert refused.status_code == 403, username


async def test_the_pay_page_links_a_closed_periods_exports_for_the_accountant(site: Site) -> None:
    from tests.api.test_pages import page_client

    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    link = "/api/payroll/exports/journal.csv?from=1935-08-01&amp;to=1935-08-31"
    async with await page_client(site, "accountant") as client:
        before = (await client.get("/payroll", params={"period": "1935-08"})).text
    async with site.client("accountant") as api:
        assert (await api.post("/api/payroll/close", params=AUGUST)).status_code == 200
    async with await page_client(site, "accountant") as client:
        after = (await client.get("/payroll", params={"period": "1935-08"})).text
    async with await page_client(site, "director") as client:
        director = (await client.get("/payroll", params={"period": "1935-08"})).text
    assert link not in before and link in after and link not in director


async def test_the_fair_rate_check_through_the_api_is_the_commands(site: Site) -> None:
    import datetime as dt

    from stakhanov.domain.periods import Period
    from stakhanov.services import fair_rate

    import_scales(site.engine, [preset_scales()["coal-1935"]], author="test")
    query = {**AUGUST, "operation": "hewing", "minimum_wage": "1.11"}
    async with site.client("accountant") as client:
        found = await client.get("/api/payroll/fair-rate", params=query)
        no_wage = await client.get(
            "/api/payroll/fair-rate", params={**AUGUST, "operation": "hewing"}
        )
        bad = await client.get("/api/payroll/fair-rate", params={**query, "minimum_wage": "1e3"})
    async with site.client("foreman") as client:
        refused = await client.get("/api/payroll/fair-rate", params=query)
    assert found.status_code == 200, found.text
    august = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))
    expected = fair_rate.check(site.engine, "hewing", august, Decimal("1.11"))
    body = found.json()
    assert body["fair_rate"] == str(expected.as_dict()["fair_rate"])
    assert isinstance(body["mean_hourly_output"], str) and body["minimum_wage"] == "1.11"
    assert (
        no_wage.status_code == 422 and "give the minimum wage" in no_wage.text
    )  # coal-1935 has none
    assert bad.status_code == 422 and refused.status_code == 403
