"""What every command shares: the database to use, opened and migrated on first use."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from stakhanov.cli.output import errors
from stakhanov.store.db import database_url, make_engine, upgrade


@dataclass
class AppContext:
    db: str | None = None
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
            try:
                upgrade(engine)
            except OperationalError as err:
                errors.print(f"[red]cannot open the database {engine.url!r}:[/red] {err.orig}")
                raise typer.Exit(1) from err
            self._engine = engine
        return self._engine


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj
