"""`stakhanov users` and `stakhanov serve` as people and scripts use them."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from stakhanov.cli.main import app

runner = CliRunner()


def cli(db_url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db_url, *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.storage
def test_the_first_admin_is_created_from_the_command_line(db_url: str) -> None:
    code, out, err = cli(
        db_url,
        "users",
        "add",
        "root",
        "--role",
        "admin",
        "--password-stdin",
        "--json",
        stdin="a long admin password\n",
    )
    assert code == 0, err
    created = json.loads(out)
    assert created["roles"] == "admin@*" and created["created_by"].startswith("cli:")
    code, out, _ = cli(
        db_url, "users", "grant", "root", "--role", "director", "--unit", "Mine", "--json"
    )
    assert code == 0 and json.loads(out)["roles"] == "admin@*;director@Mine"
    code, out, _ = cli(db_url, "users", "list", "--json")
    assert [u["username"] for u in json.loads(out)] == ["root"]
    code, _, err = cli(db_url, "users", "password", "root", "--password-stdin", stdin="short\n")
    assert code == 1 and "password: must be at least 10 characters" in err


@pytest.mark.storage
def test_bad_users_are_refused_with_the_field_named(db_url: str) -> None:
    code, _, err = cli(
        db_url,
        "users",
        "add",
        "w",
        "--role",
        "worker",
        "--password-stdin",
        stdin="long enough pw\n",
    )
    assert code == 1 and "worker_id: is required for the worker role" in err
    code, _, err = cli(
        db_url, "users", "add", "x", "--role", "chief", "--password-stdin", stdin="long enough\n"
    )
    assert code == 2
    code, _, err = cli(db_url, "users", "grant", "nobody", "--role", "admin")
    assert code == 1 and "no user 'nobody'" in err


@pytest.mark.e2e
def test_serve_answers_on_the_port_it_is_given(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"sqlite:///{tmp_path / 'served.db'}"
    env = {**os.environ, "STAKHANOV_DATABASE_URL": url}
    command = [sys.executable, "-m", "stakhanov", "serve", "--host", "127.0.0.1", "--port"]
    server = subprocess.Popen(
        [*command, str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        for _ in range(200):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail("stakhanov serve did not answer")
        assert health.json()["status"] == "ok"
        schema = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
        assert "/api/fulfilment" in schema["paths"]
        assert httpx.get(f"http://127.0.0.1:{port}/api/workers").status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=10)
    log = server.stderr.read().decode()
    assert "stakhanov users add" in log
    # One access line per request, and a time-stamped word when the server stops.
    assert '"GET /api/health HTTP/1.1" 200' in log
    assert '"GET /api/workers HTTP/1.1" 401' in log
    assert re.search(r"^\d{4}-\d\d-\d\d [\d:,]+ INFO uvicorn.error: Finished server", log, re.M)


SERVE = [sys.executable, "-m", "stakhanov", "serve", "--log-level", "error"]


@pytest.mark.e2e
def test_serve_says_why_it_could_not_start_and_logs_to_a_file(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "STAKHANOV_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}"}
        log_file = tmp_path / "serve.log"
        done = subprocess.run(
            [*SERVE, "--port", str(port), "--log-file", str(log_file), "--no-access-log"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert f"stakhanov stopped: the server could not start on 127.0.0.1:{port}" in done.stderr
    # The reason uvicorn gives is logged to stderr and to the file, with its time stamp.
    assert "address already in use" in done.stderr.lower()
    assert "address already in use" in log_file.read_text().lower()
