"""The published schema tells the truth: every answer a route gives is documented, what it
refuses by schema is refused, and what it sends back matches its response models.

These are the checks schemathesis runs beyond "no 5xx" (undocumented status codes, schema
violations accepted, responses off their schema, wrong Allow headers)."""

from __future__ import annotations

import datetime as dt

import pytest

from stakhanov.api.auth import PUBLIC
from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_every_refusal_a_route_can_give_is_documented(site: Site) -> None:
    paths = site.app.openapi()["paths"]
    missing = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            wanted = set() if (method.upper(), path) in PUBLIC else {"401", "403"}
            if operation.get("requestBody"):
                wanted |= {"400", "422"}
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                wanted |= {"404"}
            if wanted - answers:
                missing.append((method, path, sorted(wanted - answers)))
    assert missing == []


async def test_a_date_is_written_as_a_date(site: Site) -> None:
    """`to=0` is not the first of January 1970, and `public: 0` is not false."""
    async with site.client("worker") as client:
        shifts = await client.get("/api/me/shifts", params={"to": "0"})
        honour = await client.put("/api/me/honour", json={"public": 0})
    assert shifts.status_code == 422 and shifts.json()["detail"][0]["loc"] == ["query", "to"]
    assert honour.status_code == 422 and honour.json()["detail"][0]["loc"] == ["body", "public"]


async def test_moments_carry_their_offset(site: Site) -> None:
    async with site.client("director") as client:
        written = (await client.get("/api/batches")).json()
    moment = dt.datetime.fromisoformat(written[0]["written_at"].replace("Z", "+00:00"))
    assert moment.utcoffset() == dt.timedelta(0)


async def test_a_wrong_method_names_every_method_the_path_has(site: Site) -> None:
    async with site.client("director") as client:
        answer = await client.request("OPTIONS", "/api/competitions")
        fixed = await client.request("OPTIONS", "/api/records/claims/results")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, POST"
    assert fixed.headers["Allow"] == "POST"


async def test_choices_are_published_as_choices(site: Site) -> None:
    schemas = site.app.openapi()["components"]["schemas"]

    def choices(model: str, field: str) -> list[str]:
        ref = schemas[model]["properties"][field]
        target = ref.get("$ref") or ref["allOf"][0]["$ref"] if "enum" not in ref else None
        return ref["enum"] if target is None else schemas[target.rsplit("/", 1)[1]]["enum"]

    assert choices("DecisionIn", "decision") == ["approve", "reject", "withdraw"]
    assert choices("DisputeIn", "subject") == ["shift", "pay line", "norm"]
    assert "average-fulfilment" in choices("CompetitionIn", "metric")
