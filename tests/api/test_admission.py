"""Admission and the pool: a process lets in as many requests as it has connections, queues the
rest in order, answers 503 with Retry-After when overloaded, and a report reads on one
connection. No timing is asserted: a held request blocks the others until it is released."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import Receive, Scope, Send

from stakhanov.api.admission import RETRY_AFTER_S, Admission, slots_of
from stakhanov.api.app import create_api
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import parse_period
from stakhanov.services import dashboard, reports
from stakhanov.store.db import ENV_POOL, make_engine, pool_size, reading
from tests.api.conftest import populate

pytestmark = pytest.mark.anyio
PG_URL = "postgresql+psycopg://postgres@127.0.0.1/not_connected"


class Held:
    """An application whose requests wait until released, recording the order they entered."""

    def __init__(self) -> None:
        self.entered: list[str] = []
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.entered.append(scope["path"])
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})


def client_of(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def settle() -> None:
    for _ in range(20):  # let every started request run as far as it can
        await asyncio.sleep(0)


async def test_requests_beyond_the_slots_wait_their_turn() -> None:
    held = Held()
    async with client_of(Admission(held, slots=1)) as client:
        first = asyncio.create_task(client.get("/first"))
        await settle()
        second = asyncio.create_task(client.get("/second"))
        await settle()
        assert held.entered == ["/first"] and not second.done()
        held.release.set()
        answers = await asyncio.gather(first, second)
    assert [a.status_code for a in answers] == [200, 200]
    assert held.entered == ["/first", "/second"]


async def test_overload_answers_503_with_retry_after_and_health_passes() -> None:
    held = Held()
    async with client_of(Admission(held, slots=1, wait_s=0.01)) as client:
        first = asyncio.create_task(client.get("/first"))
        await settle()
        refused = await client.get("/second")
        health = asyncio.create_task(client.get("/api/health"))
        await settle()
        assert held.entered == ["/first", "/api/health"]  # health is not queued
        held.release.set()
        assert (await first).status_code == 200 and (await health).status_code == 200
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
    assert "busy" in refused.json()["detail"]


async def test_an_empty_pool_answers_503_not_500(tmp_path: Any) -> None:
    app = create_api(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))

    @app.get("/api/pool-empty")
    def pool_empty() -> None:
        raise PoolTimeout("QueuePool limit reached")

    async with client_of(app) as client:
        response = await client.get("/api/pool-empty")
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_the_pool_is_sized_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_POOL, raising=False)
    assert pool_size() == 10
    monkeypatch.setenv(ENV_POOL, "7")
    engine = make_engine(PG_URL)  # connects only when asked to
    assert engine.pool.size() == 7  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 7  # type: ignore[attr-defined]
    assert slots_of(engine) == 7  # the server lets in as many requests as the pool holds
    for bad in ("0", "many", "-3"):
        monkeypatch.setenv(ENV_POOL, bad)
        with pytest.raises(ValueError, match=ENV_POOL):
            pool_size()


@pytest.mark.storage
def test_a_report_reads_on_the_connection_it_is_given(engine: Engine) -> None:
    populate(engine)
    august, everything = parse_period("1935-08"), None
    expected = (
        dashboard.fulfilment(engine, august, Grouping.WORKER, everything),
        dashboard.trend(engine, august, everything),
        dashboard.reviewed(engine, august, everything),
        reports.fulfilment(engine, august, Grouping.UNIT),
    )
    checkouts: list[object] = []
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")  # checked out before counting
        event.listen(engine, "checkout", lambda *args: checkouts.append(args))
        with reading(connection) as same:
            assert same is connection
        found = (
            dashboard.fulfilment(connection, august, Grouping.WORKER, everything),
            dashboard.trend(connection, august, everything),
            dashboard.reviewed(connection, august, everything),
            reports.fulfilment(connection, august, Grouping.UNIT),
        )
    assert checkouts == []  # no second connection for any of the reads
    assert found == expected and expected[0]
