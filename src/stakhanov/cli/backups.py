"""`stakhanov backup FILE` and `stakhanov restore FILE`: the whole database to a file and back."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, errors
from stakhanov.domain.errors import Refused
from stakhanov.i18n import said
from stakhanov.services import backups

FileArgument = Annotated[Path, typer.Argument(help="The backup file.", dir_okay=False)]


def _fail(err: Exception) -> typer.Exit:
    shown = said(err) if isinstance(err, Refused) else str(err)
    errors.print(shown, style="red", markup=False, highlight=False)
    return typer.Exit(2 if isinstance(err, backups.NothingThere) else 1)


def _manifest(manifest: backups.Manifest) -> dict[str, Any]:
    return {
        "backend": manifest.backend,
        "revision": manifest.revision,
        "created_at": manifest.created_at,
        "stakhanov_version": manifest.stakhanov_version,
        "tables": manifest.tables,
    }


def backup(ctx: typer.Context, file: FileArgument, as_json: JsonOption = False) -> None:
    """Back up the whole database to FILE: consistent while others write (SQLite's backup API,
    or pg_dump), with what it is recorded inside."""
    url = app_context(ctx).url
    try:
        with errors.status("backing up", spinner="dots") if errors.is_terminal else nullcontext():
            manifest = backups.backup(url, file)
    except (backups.BackupRefused, backups.NothingThere, backups.DumpFailed) as err:
        raise _fail(err) from err
    row = {"file": str(file), "bytes": file.stat().st_size, **_manifest(manifest)}
    if as_json:
        print(dumps(row))
        return
    rows = sum(manifest.tables.values())
    console.print(
        f"backed up {manifest.backend} (schema {manifest.revision}, {rows} rows in "
        f"{len(manifest.tables)} tables) to {file}, {row['bytes']} bytes"
    )


def restore(
    ctx: typer.Context,
    file: FileArgument,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that is not empty.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Restore FILE into the database --db names (refused if it is not empty, unless --force)."""
    url = app_context(ctx).url
    try:
        with errors.status("restoring", spinner="dots") if errors.is_terminal else nullcontext():
            done = backups.restore(url, file, force=force)
    except (backups.BackupRefused, backups.NothingThere, backups.DumpFailed) as err:
        raise _fail(err) from err
    row = {
        "file": str(file),
        "replaced": done.replaced,
        "restored_revision": done.revision,
        "backup": _manifest(done.manifest),
        "tables": done.tables,
    }
    if as_json:
        print(dumps(row))
        return
    console.print(
        f"restored {file} ({done.manifest.backend}, made {done.manifest.created_at}, "
        f"{sum(done.tables.values())} rows) into the database; schema {done.revision}"
        + (" (the database's former contents were replaced)" if done.replaced else "")
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
