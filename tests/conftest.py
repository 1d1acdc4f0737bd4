"""Shared fixtures. Every storage test runs on SQLite and on PostgreSQL.

PostgreSQL tests get a fresh database each, cloned from a migrated template made once per test
process. Where STAKHANOV_REQUIRE_POSTGRES or CI is set, a missing server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from sqlalchemy import Engine

from stakhanov.store.db import make_engine, upgrade

# No timing thresholds in tests: a loaded machine must not fail a correct property.
settings.register_profile("stakhanov", deadline=None)
settings.load_profile("stakhanov")

ADMIN_DSN = os.environ.get("STAKHANOV_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _required() -> bool:
    return bool(os.environ.get("STAKHANOV_REQUIRE_POSTGRES") or os.environ.get("CI"))


def _admin() -> psycopg.Connection:
    return psycopg.connect(ADMIN_DSN, autocommit=True, connect_timeout=5)


def _url(dbname: str) -> str:
    base = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    user = base.get("user", "postgres")
    host = base.get("host", "127.0.0.1")
    port = base.get("port", "5432")
    return f"postgresql+psycopg://{user}@{host}:{port}/{dbname}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database for this test process."""
    try:
        admin = _admin()
    except psycopg.OperationalError as err:
        if _required():
            pytest.fail(f"PostgreSQL is required but unreachable at {ADMIN_DSN}: {err}")
        pytest.skip(f"PostgreSQL unreachable at {ADMIN_DSN}")
    name = f"stk_tpl_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(_url(name))
    upgrade(engine)
    engine.dispose()
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _fresh_postgres(template: str) -> Iterator[str]:
    name = f"stk_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _url(name)
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database URL, once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'stakhanov.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    yield from _fresh_postgres(request.getfixturevalue("pg_template"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
