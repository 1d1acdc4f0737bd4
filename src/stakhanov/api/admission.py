"""Admission: a process serves at most as many requests at once as it has connections.

Without it each process ran up to 40 requests in threads against a smaller pool, and under load
requests waited 30 s for a connection and failed with 500. Here the rest queue in arrival order;
one that has queued too long, or still finds the pool empty, is told to retry (503 with
Retry-After) instead of failing. Health checks pass unqueued: they touch no database.
"""

from __future__ import annotations

import asyncio
import weakref

from anyio import to_thread
from fastapi import FastAPI, Request
from sqlalchemy import Engine
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

QUEUE_WAIT_S = 30.0
UNPOOLED_SLOTS = 10  # a pool that keeps no count of its connections
RETRY_AFTER_S = 5
UNQUEUED = frozenset({"/api/health"})
BUSY = "the server is busy: try again in a few seconds"


def busy() -> JSONResponse:
    return JSONResponse({"detail": BUSY}, 503, headers={"Retry-After": str(RETRY_AFTER_S)})


class Admission:
    """Let `slots` requests in at a time; queue the rest up to `wait_s`, then answer 503."""

    def __init__(self, app: ASGIApp, slots: int, wait_s: float = QUEUE_WAIT_S) -> None:
        self.app = app
        self.slots = slots
        self.wait_s = wait_s
        # One semaphore per event loop: a test client may run each request on a loop of its own.
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        found = self._by_loop.get(loop)
        if found is None:
            found = self._by_loop[loop] = asyncio.Semaphore(self.slots)
            threads = to_thread.current_default_thread_limiter()
            threads.total_tokens = max(threads.total_tokens, self.slots)
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNQUEUED:
            await self.app(scope, receive, send)
            return
        semaphore = self._semaphore()
        try:
            await asyncio.wait_for(semaphore.acquire(), self.wait_s)
        except TimeoutError:
            await busy()(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            semaphore.release()


def slots_of(engine: Engine) -> int:
    """The requests a process serves at once: its pool's size (STAKHANOV_DB_POOL on a server
    database); the pool's overflow stays headroom for a nested read."""
    size = getattr(engine.pool, "size", None)
    return int(size()) if callable(size) else UNPOOLED_SLOTS


def install(app: FastAPI, engine: Engine) -> None:
    """Admission sized from the engine's pool, and a pool timeout answered 503."""

    @app.exception_handler(PoolTimeout)
    async def pool_empty(_request: Request, _err: PoolTimeout) -> JSONResponse:
        return busy()

    app.add_middleware(Admission, slots=slots_of(engine))
