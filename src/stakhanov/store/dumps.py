"""Copying a whole database to a file and back, by each backend's own consistent means.

SQLite: the online backup API, which copies a snapshot while others go on writing.
PostgreSQL: pg_dump and pg_restore in their custom format, found on PATH.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from stakhanov.store.db import make_engine


class DumpFailed(Exception):
    """A backend tool is missing or refused; the message says which and why."""


def backend(url: str) -> str:
    return "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DumpFailed("--db must name a SQLite file")
    return Path(database)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy one SQLite database over another, page by page, in one consistent step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)  # all pages in one step: one snapshot of the source
    finally:
        writer.close()
        reader.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DumpFailed(f"{name} is not on PATH; install the PostgreSQL client tools")
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it, with the password passed in the environment, not argv."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise DumpFailed(f"{tool} failed: {done.stderr.strip() or done.returncode}")


def dump_postgres(url: str, target: Path, snapshot: str | None = None) -> None:
    """pg_dump in custom format; with `snapshot`, of exactly what that transaction sees."""
    dsn, env = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    _run([*command, f"--file={target}", f"--dbname={dsn}"], env)


def check_postgres_dump(source: Path) -> None:
    _run([_tool("pg_restore"), "--list", str(source)], dict(os.environ))


def restore_postgres(url: str, source: Path) -> None:
    dsn, env = _libpq(url)
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*command, "--single-transaction", f"--dbname={dsn}", str(source)], env)


def clear_postgres(engine: Engine) -> None:
    """Empty the database's schema: tables, and the functions and triggers that guard them
    (a restore replaces the database whole, and pg_restore creates each object anew)."""
    with engine.begin() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows in each table, by name: what a backup records and a restore is checked against."""
    names = sorted(inspect(connection).get_table_names())
    return {
        name: int(connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one())
        for name in names
    }


def revision_of(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def known_revision(revision: str) -> bool:
    """True if this version's migrations know the schema revision (it is not from a newer one)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("stakhanov.store") / "migrations")
    )
    try:
        return ScriptDirectory.from_config(config).get_revision(revision) is not None
    except CommandError:
        return False


def described(url: str) -> tuple[str | None, dict[str, int]]:
    """The schema revision and the rows per table of a database copy, read without changing it."""
    engine = create_engine(url)  # no hooks: reading the copy must not change it
    try:
        with engine.connect() as connection:
            return revision_of(connection), row_counts(connection)
    finally:
        engine.dispose()


def dump_postgres_counted(url: str, payload: Path) -> tuple[str | None, dict[str, int]]:
    """Count the rows in the very snapshot that pg_dump copies, while others go on writing."""
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            described = revision_of(connection), row_counts(connection)
            dump_postgres(url, payload, snapshot=str(snapshot))
            connection.rollback()
        return described
    finally:
        engine.dispose()
