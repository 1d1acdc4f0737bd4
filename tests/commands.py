"""Running the command line in-process, as scripts use it."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from stakhanov.cli.main import app

runner = CliRunner()


def cli(db_url: str, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `stakhanov --db URL ARGS`."""
    result = runner.invoke(app, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def ok(db_url: str, *args: str) -> Any:
    """The JSON a command prints with --json; the command must succeed."""
    code, out, err = cli(db_url, *args, "--json")
    assert code == 0, err
    return json.loads(out)
