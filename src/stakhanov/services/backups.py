"""Backing up a whole database to one file, and restoring it into the database --db names.

A backup file is a zip of `manifest.json`, which says what it is (backend, schema revision,
when, stakhanov version, rows per table), and the backend's own copy: a SQLite database made by
the online backup API, or a pg_dump in custom format. A restore refuses a backup of the other
backend, one from a newer schema, or a non-empty target unless forced; it checks every table's
rows against the manifest and then migrates an older schema forward. Later checks (a digest per
table, say) are further manifest keys, which older readers ignore.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from stakhanov import __version__
from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.wording import say
from stakhanov.services import read_model
from stakhanov.store import dumps
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.dumps import DumpFailed, backend

FORMAT = "stakhanov-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class BackupRefused(Refused):
    """Invalid data (exit 1): the file, or the target, will not do; nothing was written."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(say("%(where)s: %(message)s", where=where, message=message))
        self.where = where
        self.message = message


class NothingThere(Refused):
    """A usage error (exit 2): the database or file named does not exist."""

    kind = Refusal.NOT_FOUND


@dataclass(frozen=True)
class Manifest:
    backend: str
    revision: str | None
    created_at: str
    stakhanov_version: str
    tables: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @classmethod
    def read(cls, raw: dict[str, Any], where: str) -> Manifest:
        if raw.get("format") != FORMAT:
            raise BackupRefused(where, say("not a stakhanov backup"))
        if not isinstance(raw.get("format_version"), int) or raw["format_version"] > FORMAT_VERSION:
            raise BackupRefused(where, say("written by a newer stakhanov; upgrade to restore it"))
        try:
            known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
            found = cls(**known)
        except TypeError as err:
            raise BackupRefused(
                where, say("manifest is incomplete: %(err)s", err=str(err))
            ) from err
        if found.backend not in PAYLOADS:
            raise BackupRefused(where, say("unknown backend %(backend)r", backend=found.backend))
        return found


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    replaced: bool
    revision: str | None
    tables: dict[str, int]


def backup(url: str, file: Path, now: dt.datetime | None = None) -> Manifest:
    """Write the database's backup to `file` (replaced whole, or left as it was on failure)."""
    kind = backend(url)
    if kind == "sqlite" and not dumps.sqlite_path(url).exists():
        raise NothingThere(
            say("--db: no database at %(value)s; nothing to back up", value=dumps.sqlite_path(url))
        )
    created = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="stakhanov-backup-") as folder:
        payload = Path(folder) / PAYLOADS[kind]
        if kind == "sqlite":
            dumps.copy_sqlite(dumps.sqlite_path(url), payload)
            revision, tables = dumps.described(f"sqlite:///{payload}")
        else:
            revision, tables = dumps.dump_postgres_counted(url, payload)
        manifest = Manifest(kind, revision, created, __version__, tables)
        _write(file, manifest, payload)
    return manifest


def _write(file: Path, manifest: Manifest, payload: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.partial")
    compression = zipfile.ZIP_DEFLATED if manifest.backend == "sqlite" else zipfile.ZIP_STORED
    with zipfile.ZipFile(partial, "w", compression) as archive:
        archive.writestr(MANIFEST, json.dumps(asdict(manifest), indent=2, sort_keys=True))
        archive.write(payload, PAYLOADS[manifest.backend])
    os.replace(partial, file)


def read_manifest(file: Path) -> Manifest:
    if not file.is_file():
        raise NothingThere(say("%(file)s: no such backup file", file=file))
    try:
        with zipfile.ZipFile(file) as archive:
            raw = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise BackupRefused(
            f"{file.name}:0:-", say("not a stakhanov backup (%(err)s)", err=str(err))
        ) from err
    if not isinstance(raw, dict):
        raise BackupRefused(f"{file.name}:0:-", say("not a stakhanov backup"))
    return Manifest.read(raw, f"{file.name}:0:-")


def restore(url: str, file: Path, force: bool = False) -> Restored:
    """Restore the backup into the database `url` names; see the module's rules."""
    manifest = read_manifest(file)
    where, kind = f"{file.name}:0:-", backend(url)
    if manifest.backend != kind:
        raise BackupRefused(
            where,
            say(
                "a %(backend)s backup cannot be restored into %(kind)s; restore it into a "
                "%(backend)s database",
                backend=manifest.backend,
                kind=kind,
            ),
        )
    if manifest.revision is not None and not dumps.known_revision(manifest.revision):
        raise BackupRefused(
            where,
            say("schema revision %(revision)s is newer than this one", revision=manifest.revision),
        )
    present = _present(url)
    holds_data = any(rows for table, rows in present.items() if table != "alembic_version")
    if holds_data and not force:
        raise BackupRefused("--db", say("the database is not empty; give --force to replace it"))
    with tempfile.TemporaryDirectory(prefix="stakhanov-restore-") as folder:
        with zipfile.ZipFile(file) as archive:
            payload = Path(archive.extract(PAYLOADS[kind], folder))
        if kind == "sqlite":
            dumps.copy_sqlite(payload, dumps.sqlite_path(url))
        else:
            _restore_postgres(url, payload, cleared=bool(present))
    restored = _present(url)
    differ = sorted(t for t, rows in manifest.tables.items() if restored.get(t) != rows)
    if differ:
        raise BackupRefused(
            where,
            say("restored rows differ from the manifest in %(differ)s", differ=", ".join(differ)),
        )
    engine = make_engine(url)
    try:
        if upgrade(engine):
            read_model.rebuild_if_stale(engine)  # a backup from before the read model
        with engine.connect() as connection:
            revision = dumps.revision_of(connection)
    finally:
        engine.dispose()
    return Restored(manifest, holds_data, revision, restored)


def _present(url: str) -> dict[str, int]:
    """Rows per table in the target; nothing at all for a SQLite file not yet there."""
    if backend(url) == "sqlite" and not dumps.sqlite_path(url).exists():
        return {}
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return dumps.row_counts(connection)
    finally:
        engine.dispose()


def _restore_postgres(url: str, payload: Path, cleared: bool) -> None:
    dumps.check_postgres_dump(payload)  # readable, before the target is cleared
    if cleared:
        engine = make_engine(url)
        try:
            dumps.clear_postgres(engine)
        finally:
            engine.dispose()
    dumps.restore_postgres(url, payload)


__all__ = ["BackupRefused", "DumpFailed", "Manifest", "NothingThere", "backup", "restore"]
