"""What every command shares: the database to use, opened and migrated on first use.

A command that only reads never creates a database: pointed at a SQLite file that is not there
(a mistyped --db, or the wrong directory), it says so and exits 2. Commands marked `writes`
create it, as `import` and `demo` must.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from stakhanov.cli.output import errors
from stakhanov.store.db import ENV_URL, database_url, make_engine, upgrade

Command = TypeVar("Command", bound=Callable[..., Any])


def writes(command: Command) -> Command:
    """Mark a command that writes to the database: it may create the database it names."""
    command.writes = True  # type: ignore[attr-defined]
    return command


def missing_file(engine: Engine) -> str | None:
    """The SQLite file the engine names, when it does not exist (None for any other URL)."""
    path = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    return None if path.startswith("file:") or Path(path).exists() else path


@dataclass
class AppContext:
    db: str | None = None
    writes: bool = False
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.db)

    def engine(self) -> Engine:
        if self._engine is None:
            try:
                engine = make_engine(self.url)
            except (ArgumentError, NoSuchModuleError, ImportError) as err:
                # A URL that names no database we can open is a usage error, like a bad option.
                errors.print(
                    f"[red]--db: cannot use {self.url!r}:[/red] {err}. Use sqlite:///FILE or "
                    "postgresql+psycopg://user@host/db",
                    markup=True,
                    highlight=False,
                )
                raise typer.Exit(2) from err
            missing = None if self.writes else missing_file(engine)
            if missing is not None:
                errors.print(
                    f"[red]There is no database at {missing}[/red] (nothing was created). "
                    f"Point at yours with --db URL or {ENV_URL}, or create one with "
                    "`stakhanov init` or `stakhanov import`.",
                    highlight=False,
                )
                raise typer.Exit(2)
            try:
                if upgrade(engine):
                    from stakhanov.services import (
                        read_model,  # loads the engine: only after an upgrade
                    )

                    read_model.rebuild_if_stale(engine)
            except OperationalError as err:
                errors.print(f"[red]cannot open the database {engine.url!r}:[/red] {err.orig}")
                raise typer.Exit(1) from err
            self._engine = engine
        return self._engine


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    obj.writes = obj.writes or bool(getattr(ctx.command.callback, "writes", False))
    return obj
