"""`payroll close --engine dask` as scripts use it: the local close's digest, usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakhanov.store.db import make_engine, upgrade
from tests.commands import cli, ok
from tests.integration.helpers import mini_copy, write
from tests.pay import scale_text

pytestmark = pytest.mark.storage
AUGUST = ("--from", "1935-08-01", "--to", "1935-08-31")
EXTRA = '[time_work]\nfraction = "1"\n[[deductions]]\ncode = "union"\npercent = "1"\n'


def _ready(url: str, tmp_path: Path) -> None:
    assert cli(url, "import", str(mini_copy(tmp_path)))[0] == 0
    path = write(tmp_path / "scales", "test.toml", scale_text(EXTRA, percent="auto"))
    assert cli(url, "scales", "import", str(path))[0] == 0


def test_dask_close_locks_what_a_local_close_locks(db_url: str, tmp_path: Path) -> None:
    _ready(db_url, tmp_path / "a")
    provisional = ok(db_url, "payroll", "list", *AUGUST)
    closed = ok(db_url, "payroll", "close", *AUGUST, "--engine", "dask")
    assert closed["slips"] == len(provisional) > 0
    assert not closed["already_closed"]
    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    upgrade(make_engine(local_url))
    _ready(local_url, tmp_path / "b")
    assert ok(local_url, "payroll", "close", *AUGUST)["digest"] == closed["digest"]
    again = ok(db_url, "payroll", "close", *AUGUST, "--engine", "dask")
    assert again["already_closed"] and again["digest"] == closed["digest"]


def test_engine_and_scheduler_are_checked(db_url: str) -> None:
    code, _, err = cli(db_url, "payroll", "close", *AUGUST, "--engine", "spark")
    assert code == 2 and "'local', 'dask' or 'reference'" in err
    code, _, err = cli(db_url, "payroll", "close", *AUGUST, "--scheduler", "tcp://x:1")
    assert code == 2 and "needs --engine dask" in err
