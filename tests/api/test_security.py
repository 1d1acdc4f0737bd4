"""The security review: headers on every answer, the client behind proxies, secure cookies,
and the request size counted over all its files."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from stakhanov.api.hardening import SCANNING_POLICY, SECURITY_HEADERS, trusted_networks
from stakhanov.services import accounts
from stakhanov.web.auth import LOGIN_CSRF_COOKIE
from tests.api.conftest import PASSWORD, Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


def over(site: Site, scheme: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=site.app), base_url=f"{scheme}://testserver"
    )


async def test_every_answer_carries_the_security_headers(site: Site) -> None:
    async with site.client("director") as client:
        answers = [
            await client.get("/api/health"),
            await client.get("/api/workers"),
            await client.get("/api/no-such-route"),
            await client.get("/login"),
            await client.get("/static/no-such-file.css"),
        ]
    for response in answers:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
        assert "Strict-Transport-Security" not in response.headers
    assert "frame-ancestors 'none'" in SECURITY_HEADERS["Content-Security-Policy"]


async def test_strict_transport_security_only_over_tls_or_a_trusted_proxy(site: Site) -> None:
    async with over(site, "https") as client:
        assert "max-age=" in (await client.get("/api/health")).headers["Strict-Transport-Security"]
    async with over(site, "http") as client:
        said = {"X-Forwarded-Proto": "https"}
        assert "Strict-Transport-Security" not in (await client.get("/login", headers=said)).headers
        site.app.state.trusted_proxies = LOOPBACK
        assert "Strict-Transport-Security" in (await client.get("/login", headers=said)).headers


async def _fail_logins(site: Site, count: int, forwarded: bool) -> list[int]:
    codes = []
    async with site.client() as client:
        for number in range(count):
            headers = {"X-Forwarded-For": f"203.0.113.{number}"} if forwarded else {}
            body = {"username": f"nobody-{number}", "password": "wrong"}
            response = await client.post("/api/auth/login", json=body, headers=headers)
            codes.append(response.status_code)
    return codes


async def test_a_forged_forwarded_for_does_not_escape_the_client_limit(site: Site) -> None:
    limit = accounts.MAX_FAILURES_PER_CLIENT
    codes = await _fail_logins(site, limit + 2, forwarded=True)
    assert codes[:limit] == [401] * limit
    assert codes[limit:] == [429, 429]


async def test_a_trusted_proxy_names_each_client(site: Site) -> None:
    site.app.state.trusted_proxies = LOOPBACK
    codes = await _fail_logins(site, accounts.MAX_FAILURES_PER_CLIENT + 2, forwarded=True)
    assert set(codes) == {401}
    # The proxy's own address is what a request without the header is counted as.
    assert set(await _fail_logins(site, 2, forwarded=False)) == {401}


def test_forwarded_for_is_read_from_the_right_past_trusted_proxies() -> None:
    from starlette.requests import Request

    from stakhanov.api.hardening import client_address

    class State:
        trusted_proxies = trusted_networks(["10.0.0.0/8, 127.0.0.1"])

    class App:
        state = State()

    def client(peer: str, forwarded: str) -> str:
        scope = {
            "type": "http",
            "app": App(),
            "client": (peer, 1),
            "headers": [(b"x-forwarded-for", forwarded.encode())],
        }
        return client_address(Request(scope))

    assert client("127.0.0.1", "198.51.100.7, 6.6.6.6, 10.1.2.3") == "6.6.6.6"
    assert client("192.0.2.9", "198.51.100.7") == "192.0.2.9"
    assert client("10.0.0.1", "10.0.0.2") == "10.0.0.2"
    with pytest.raises(ValueError, match="not-an-ip"):
        trusted_networks(["not-an-ip"])


async def _web_login(
    client: httpx.AsyncClient, headers: dict[str, str], username: str = "director"
) -> httpx.Response:
    client.cookies.set(LOGIN_CSRF_COOKIE, "form-token")
    form = {"username": username, "password": PASSWORD, "csrf_token": "form-token"}
    return await client.post("/login", data=form, headers=headers)


def _session_cookie(response: httpx.Response) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if "stakhanov_session" in c)


async def test_the_session_cookie_is_secure_over_tls_only(site: Site) -> None:
    async with over(site, "https") as client:
        assert "secure" in _session_cookie(await _web_login(client, {})).lower()
    said = {"X-Forwarded-Proto": "https"}
    async with over(site, "http") as client:
        assert "secure" not in _session_cookie(await _web_login(client, {})).lower()
        assert "secure" not in _session_cookie(await _web_login(client, said)).lower()
        site.app.state.trusted_proxies = LOOPBACK
        assert "secure" in _session_cookie(await _web_login(client, said)).lower()


async def test_the_upload_limit_counts_the_whole_request(site: Site) -> None:
    site.app.state.max_request_bytes = 10_000
    one = ("files", ("workers.csv", b"worker_id,name,unit\n" + b"#" * 6_000))
    other = ("files", ("shifts.csv", b"shift_id,date,hours,workplace\n" + b"#" * 6_000))
    async with site.client("director") as client:
        alone = await client.post("/api/imports", files=[one], data={"check": "true"})
        both = await client.post("/api/imports", files=[one, other], data={"check": "true"})
    assert alone.status_code == 422  # read, and refused for what it says
    assert both.status_code == 413
    assert "in all" in both.json()["detail"]
    assert both.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_body_without_a_length_is_counted_as_it_arrives(site: Site) -> None:
    site.app.state.max_request_bytes = 10_000

    async def chunks() -> AsyncIterator[bytes]:
        yield (
            b'--b\r\nContent-Disposition: form-data; name="files"; filename="workers.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\nworker_id,name,unit\n"
        )
        for _ in range(20):
            yield b"#" * 1_000
        yield b"\r\n--b--\r\n"

    async with site.client("director") as client:
        response = await client.post(
            "/api/imports",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
    assert response.status_code == 413


def test_serve_refuses_a_trusted_proxy_that_is_no_address(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stakhanov.cli.main import app

    url = f"sqlite:///{tmp_path / 'none.db'}"
    result = CliRunner().invoke(app, ["--db", url, "serve", "--trusted-proxy", "proxy.example"])
    assert result.exit_code == 2
    assert "--trusted-proxy: not an address or network: 'proxy.example'" in result.stderr
    assert not (tmp_path / "none.db").exists()


async def test_only_the_scanning_page_may_use_the_camera_and_only_from_here(site: Site) -> None:
    async with over(site, "http") as client:
        assert (await _web_login(client, {}, "foreman")).status_code == 303
        scan = await client.get("/scan")
        others = [await client.get(p) for p in ("/kiosk", "/tickets", "/", "/login", "/scan/x")]
    assert scan.status_code == 200
    assert scan.headers["Permissions-Policy"] == SCANNING_POLICY
    assert "camera=(self)" in scan.headers["Permissions-Policy"]
    assert "microphone=()" in scan.headers["Permissions-Policy"]
    # The strict content policy holds on the scanning page as everywhere.
    assert scan.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    for response in others:
        assert response.headers["Permissions-Policy"].startswith("camera=()"), response.url
        assert (
            response.headers["Content-Security-Policy"] == scan.headers["Content-Security-Policy"]
        )
