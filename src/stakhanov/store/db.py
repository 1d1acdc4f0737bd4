"""Engines and migrations. SQLite is the embedded default; PostgreSQL via --db.

SQLite's Python driver opens transactions lazily, which breaks SAVEPOINT and transactional DDL,
so we take over: autocommit at the driver, and an explicit BEGIN emitted by SQLAlchemy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, String, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

DEFAULT_URL = "sqlite:///stakhanov.db"
ENV_URL = "STAKHANOV_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
Source = Engine | Connection
"""Where a read runs: an engine (a connection of its own) or a caller's connection."""
ENV_POOL = "STAKHANOV_DB_POOL"
DEFAULT_POOL = 10
POOL_TIMEOUT_S = 30


def pool_size() -> int:
    """Connections a process keeps to a server database: STAKHANOV_DB_POOL, default 10.

    The server runs at most this many requests at once per process (api/admission.py), so a
    request never waits on the pool behind a request that has one."""
    value = os.environ.get(ENV_POOL, "").strip()
    if not value:
        return DEFAULT_POOL
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{ENV_POOL} must be a whole number of at least 1, not {value!r}")
    return int(value)


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(ENV_URL) or DEFAULT_URL


FOLD = "stakhanov_fold"
"""SQLite's own lower() folds ASCII only ("Иван" stays "Иван"): searches fold with this
function, which every SQLite connection is given; PostgreSQL's lower() knows every alphabet."""


class folded(GenericFunction[str]):  # noqa: N801 (an SQL function's name)
    """SQL: the text in lower case, whatever its alphabet, for a case-insensitive search."""

    type = String()
    inherit_cache = True


@compiles(folded)
def _lower(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _fold(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{FOLD}({compiler.process(element.clauses, **kw)})"


def _casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


SQLITE_CACHE_KIB = 64 * 1024


def _sqlite_hooks(engine: Engine) -> None:
    from stakhanov.store import sort_keys  # the aggregates a page sorts sums by (0900)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function(FOLD, 1, _casefold, deterministic=True)
        sort_keys.register(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 64 MiB of pages instead of 2: a large import looks up its shifts and rows by index
        # all over a file of hundreds of megabytes, and each miss is a read from the OS.
        cursor.execute(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        # Writers take the lock up front so two writers never deadlock on upgrade; a reader
        # (execution option read_only) takes none, so a long check keeps no writer waiting.
        read_only = connection.get_execution_options().get("read_only")
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    from stakhanov.store import chain  # the chain's tables import the whole schema

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url)
        _sqlite_hooks(engine)
    else:
        size = pool_size()
        # The overflow is headroom for a rare nested read, never a second request's share.
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=size,
            max_overflow=size,
            pool_timeout=POOL_TIMEOUT_S,
        )
    chain.install(engine)  # every commit extends the tamper-evident chain
    return engine


@contextmanager
def reading(source: Source) -> Iterator[Connection]:
    """The connection a caller passes, or one opened here and closed after: a request that
    reads several things does so on one connection instead of taking one per query."""
    if isinstance(source, Connection):
        yield source
        return
    with source.connect() as connection:
        yield connection


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("stakhanov.store") / "migrations")
    )
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("stakhanov.store") / "migrations")
    )
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest migration; True if anything ran."""
    if current_revision(engine) == head_revision():
        return False
    from alembic import command

    with engine.connect() as connection:
        # A migration that rebuilds a SQLite table drops it while other tables refer to it, which
        # SQLite allows only with foreign keys off (a no-op inside a transaction); every key is
        # checked before the migration commits.
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(_alembic_config(connection), "head")
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
    return True


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        table, row, parent, _ = broken
        raise RuntimeError(f"migration left {table} row {row} pointing at no {parent} row")


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One unit of work: everything inside commits together or not at all."""
    with engine.begin() as connection:
        yield connection
