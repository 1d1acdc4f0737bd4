"""A workbook bomb sent to the real server is refused, and the server answers others meanwhile."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from stakhanov.store.db import make_engine, upgrade
from tests.api.conftest import PASSWORD, populate
from tests.bombs import SHEET, comment_in_sheet, comment_part, lying_sizes
from tests.loops import run_coroutine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("bombs")
    url = f"sqlite:///{folder / 'served.db'}"
    engine = make_engine(url)
    upgrade(engine)
    populate(engine)
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "STAKHANOV_DATABASE_URL": url}
    command = [sys.executable, "-m", "stakhanov", "serve", "--host", "127.0.0.1"]
    process = subprocess.Popen([*command, "--port", str(port)], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        while process.poll() is None:
            try:
                httpx.get(f"{base}/api/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "bomb-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


async def _send_bomb(base: str, bomb: bytes) -> tuple[httpx.Response, list[str]]:
    """Upload the bomb while asking for the health check; the log says what answered when."""
    async with httpx.AsyncClient(base_url=base, timeout=None) as client:
        login = await client.post(
            "/api/auth/login", json={"username": "director", "password": PASSWORD}
        )
        token = login.json()["token"]
        body, boundary = _multipart("workers.xlsx", bomb)
        log: list[str] = []
        healthy = asyncio.Event()

        async def chunks() -> AsyncIterator[bytes]:
            yield body[:-100]
            await healthy.wait()  # the server answered someone else while the bomb was in flight
            yield body[-100:]

        async def upload() -> httpx.Response:
            response = await client.post(
                "/api/imports",
                content=chunks(),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
            log.append("bomb")
            return response

        async def ask_health(done: asyncio.Task[httpx.Response]) -> None:
            async with httpx.AsyncClient(base_url=base, timeout=None) as other:
                while not done.done():
                    answer = await other.get("/api/health")
                    log.append(f"health {answer.status_code}")
                    healthy.set()
                    await asyncio.sleep(0.01)

        sent = asyncio.create_task(upload())
        await ask_health(sent)
        return await sent, log


@pytest.mark.parametrize(
    ("build", "part"),
    [
        (comment_in_sheet, "sheet1.xml: unpacks to"),
        (comment_part, "comments1.xml: unpacks to"),
        (lying_sizes, "cannot be read as an .xlsx workbook"),
    ],
)
def test_a_workbook_bomb_is_refused_while_the_server_answers_others(
    server: str, build: object, part: str
) -> None:
    assert callable(build)
    bomb: bytes = build()
    assert len(bomb) < 1024 * 1024  # small on the wire
    response, log = run_coroutine(_send_bomb(server, bomb))
    assert response.status_code == 422, response.text
    assert [p for p in response.json()["problems"] if part in p and "workers.xlsx:0:-:" in p]
    assert log.index("bomb") > log.index("health 200")
    assert set(log) <= {"bomb", "health 200"}
    # And the server is still itself afterwards.
    assert httpx.get(f"{server}/api/health", timeout=30).status_code == 200


def test_the_bombs_are_what_they_claim(tmp_path: Path) -> None:
    """Each bomb really unpacks past 100 MiB (or says it does not), so the refusal is earned."""
    for build in (comment_in_sheet, comment_part):
        with zipfile.ZipFile(io.BytesIO(build())) as archive:
            assert sum(i.file_size for i in archive.infolist()) > 100 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(lying_sizes())) as archive:
        assert archive.getinfo(SHEET).file_size == 1000
        assert archive.testzip() == SHEET  # what it holds is not what it declares
