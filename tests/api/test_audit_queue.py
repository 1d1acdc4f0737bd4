"""The audit queue at volume: every period by default, filters, paging, and bulk decisions
that keep the page's place; the service, the API and the page on both databases."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.errors import Refused
from stakhanov.domain.periods import parse_period
from stakhanov.services import audit_queue, reviews
from tests.api.conftest import Site
from tests.api.test_pages import page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]

BOTH = [
    {"kind": "pooled", "shift_id": "S3", "operation": "hewing"},
    {"kind": "implausible", "shift_id": "S5", "operation": "hewing"},
]


def open_ids(site: Site, **query: object) -> list[str]:
    found = audit_queue.queue(site.engine, None, audit_queue.Query(**query))  # type: ignore[arg-type]
    return [f"{i.finding.kind.value}/{i.finding.shift_id}" for i in found.items]


async def test_the_queue_shows_open_findings_of_every_period(site: Site) -> None:
    august = ["assisted/S1", "prepared/S1"]
    assert open_ids(site) == [*august, "pooled/S3", "implausible/S5"]
    assert open_ids(site, period=parse_period("1935-08")) == august
    assert open_ids(site, kinds=frozenset({"implausible"})) == ["implausible/S5"]
    assert open_ids(site, worker="H2") == ["pooled/S3"]
    assert open_ids(site, unit="Mine/Section 2") == []
    assert open_ids(site, unit="Mine") == open_ids(site)
    assert open_ids(site, sort=audit_queue.Sort.SHIFT, descending=True) == [
        "implausible/S5",
        "pooled/S3",
        "prepared/S1",
        "assisted/S1",
    ]
    first = audit_queue.queue(site.engine, None, audit_queue.Query(size=1))
    last = audit_queue.queue(site.engine, None, audit_queue.Query(size=1, page=9))
    assert (first.total, first.pages, len(first.items)) == (4, 4, 1)
    assert last.page == 4 and last.items[0].finding.shift_id == "S5"
    # The counts say what each filter would show.
    assert first.kinds["assisted"] == 1 and first.statuses["open"] == 4


async def test_a_bulk_decision_is_all_or_nothing_and_each_is_recorded(site: Site) -> None:
    targets = [(FindingKind.POOLED, "S3", "hewing"), (FindingKind.IMPLAUSIBLE, "S9", None)]
    with pytest.raises(Refused, match="unknown shift 'S9'"):
        reviews.review_many(site.engine, targets, Decision.EXPLAINED, "routine", "a")
    with pytest.raises(Refused, match="no pooled finding on S5"):
        reviews.review_many(
            site.engine, [(FindingKind.POOLED, "S5", "hewing")], Decision.EXPLAINED, "r", "a"
        )
    with pytest.raises(Refused, match="reason"):
        reviews.review_many(site.engine, targets[:1], Decision.EXPLAINED, "  ", "a")
    assert len(open_ids(site)) == 4  # nothing was written by the refusals
    done = reviews.review_many(
        site.engine,
        [(FindingKind.POOLED, "S3", "hewing"), (FindingKind.IMPLAUSIBLE, "S5", "hewing")],
        Decision.EXPLAINED,
        "routine, checked with the brigade",
        "auditor-1",
    )
    assert [d.status for d in done] == ["explained", "explained"]
    assert open_ids(site) == ["assisted/S1", "prepared/S1"]
    found = reviews.reviewed_findings(site.engine, parse_period("1935-09"))
    assert {(f.status, f.review.reviewer) for f in found if f.review} == {
        ("explained", "auditor-1")
    }


async def test_the_bulk_route_has_the_rights_of_a_single_decision(site: Site) -> None:
    body = {"findings": BOTH, "decision": "upheld", "reason": "told the brigade"}
    async with site.client("director") as director:
        refused = await director.post("/api/audit/reviews/bulk", json=body)
    async with site.client("auditor") as auditor:
        wrong = await auditor.post(
            "/api/audit/reviews/bulk",
            json={**body, "findings": [*BOTH, {**BOTH[0], "shift_id": "S2"}]},
        )
        still = (await auditor.get("/api/audit", params={"status": "open"})).json()
        done = await auditor.post("/api/audit/reviews/bulk", json=body)
        after = (await auditor.get("/api/audit", params={"status": "upheld"})).json()
    assert refused.status_code == 403
    assert wrong.status_code == 422 and "no pooled finding on S2" in wrong.text
    assert len(still) == 4
    assert done.status_code == 201, done.text
    assert [f["review"]["reason"] for f in done.json()] == ["told the brigade"] * 2
    assert {f["shift_id"] for f in after} == {"S3", "S5"}


async def test_the_page_decides_in_bulk_and_keeps_its_place(site: Site) -> None:
    async with await page_client(site, "auditor") as client:
        page = await client.get("/audit")
        assert page.status_code == 200
        assert (
            'id="f-pooled-S3-hewing"' in page.text and 'id="f-implausible-S5-hewing"' in page.text
        )
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        back = "kind=pooled&kind=implausible&sort=shift"
        decided = await client.post(
            "/audit/bulk",
            data={
                "csrf_token": token[1],
                "back": back,
                "scope": "picked",
                "pick": ["pooled|S3|hewing"],
                "reason": "routine assisted work",
                "decision": "explained",
            },
        )
        assert decided.status_code == 303
        target = urlsplit(decided.headers["location"])
        assert target.fragment == "f-implausible-S5-hewing"
        assert parse_qs(target.query)["kind"] == ["pooled", "implausible"]
        shown = await client.get(decided.headers["location"])
        assert "1 finding explained." in shown.text
        assert 'id="f-pooled-S3-hewing"' not in shown.text  # no longer open
        everything = await client.get("/audit", params={"status": "any"})
        assert "routine assisted work" in everything.text
        every = {"csrf_token": token[1], "back": "", "scope": "all", "decision": "upheld"}
        empty = await client.post("/audit/bulk", data={**every, "reason": " "})
        assert empty.status_code == 422 and "a review needs a reason" in empty.text
        rest = await client.post("/audit/bulk", data={**every, "reason": "ok"})
        assert rest.status_code == 303 and "done=3" in rest.headers["location"]
        bad = await client.get("/audit", params={"period": "1935-13"})
        assert bad.status_code == 422
    async with await page_client(site, "director") as client:
        page = await client.get("/audit")
        assert page.status_code == 200 and 'action="/audit/bulk"' not in page.text
