"""`stakhanov backup` and `restore`: a populated database round-trips, row for row."""

from __future__ import annotations

import datetime as dt
import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, inspect, text
from typer.testing import CliRunner

from stakhanov.cli.main import app
from stakhanov.data import preset_scales
from stakhanov.domain.periods import parse_period
from stakhanov.services import backups, payroll
from stakhanov.services.scales import import_scales
from stakhanov.store.account_tables import login_attempts
from stakhanov.store.db import head_revision, make_engine, upgrade
from tests.api.conftest import populate

pytestmark = pytest.mark.storage
runner = CliRunner()


@pytest.fixture
def populated(db_url: str) -> str:
    engine = make_engine(db_url)
    populate(engine)
    import_scales(engine, [preset_scales()["coal-1935"]], author="test")
    payroll.close(engine, parse_period("1935-08"), author="test")
    engine.dispose()
    return db_url


def cli(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            found = {}
            for table in tables:
                rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
                found[table] = sorted((tuple(r) for r in rows), key=repr)
            return found
    finally:
        engine.dispose()


def test_a_populated_database_round_trips_row_for_row(
    populated: str, target_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "backup.zip"
    code, out, err = cli(populated, "backup", str(file), "--json")
    assert code == 0, err
    made = json.loads(out)
    backend = "sqlite" if populated.startswith("sqlite") else "postgresql"
    assert (made["backend"], made["revision"]) == (backend, head_revision())
    assert made["created_at"] and made["stakhanov_version"]
    assert made["tables"]["pay_slips"] > 0 and made["tables"]["crew_entries"] > 0
    with zipfile.ZipFile(file) as archive:
        assert json.loads(archive.read("manifest.json"))["tables"] == made["tables"]
    code, out, err = cli(target_url, "restore", str(file), "--json")
    assert code == 0, err
    restored = json.loads(out)
    assert restored["replaced"] is False and restored["tables"] == made["tables"]
    before, after = every_row(populated), every_row(target_url)
    assert before.keys() == after.keys()
    for table in before:
        assert after[table] == before[table], table
    # The restored database works: the closed period's slips read as they did.
    code, out, err = cli(
        target_url,
        "payroll",
        "show",
        "--worker",
        "H1",
        "--from",
        "1935-08-01",
        "--to",
        "1935-08-31",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["gross"]


def test_a_database_with_data_is_replaced_only_with_force(populated: str, tmp_path: Path) -> None:
    file = tmp_path / "backup.zip"
    assert cli(populated, "backup", str(file))[0] == 0
    before = every_row(populated)
    engine = make_engine(populated)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM login_attempts"))
        connection.execute(text("DELETE FROM sessions"))
    engine.dispose()
    changed = every_row(populated)
    code, _, err = cli(populated, "restore", str(file))
    assert code == 1 and "--db: the database is not empty; give --force" in err
    assert every_row(populated) == changed
    code, out, err = cli(populated, "restore", str(file), "--force")
    assert code == 0, err
    assert "replaced" in out
    assert every_row(populated) == before


def test_what_is_not_a_backup_of_this_backend_is_refused(db_url: str, tmp_path: Path) -> None:
    file = tmp_path / "backup.zip"
    assert cli(db_url, "backup", str(file))[0] == 0
    with zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        payloads = {n: archive.read(n) for n in archive.namelist() if n != "manifest.json"}

    def variant(name: str, **changes: Any) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", json.dumps({**manifest, **changes}))
            for payload, data in payloads.items():
                archive.writestr(payload, data)
        return path

    other = "postgresql" if manifest["backend"] == "sqlite" else "sqlite"
    cases = {
        variant("other.zip", backend=other): f"a {other} backup cannot be restored into",
        variant("newer.zip", format_version=99): "written by a newer stakhanov",
        variant("future.zip", revision="9999"): "schema revision 9999 is newer",
        variant("alien.zip", format="something-else"): "not a stakhanov backup",
    }
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    cases[junk] = "junk.zip:0:-: not a stakhanov backup"
    for path, message in cases.items():
        code, _, err = cli(db_url, "restore", str(path), "--force")
        assert code == 1 and message in err, (path, err)
    code, _, err = cli(db_url, "restore", str(tmp_path / "missing.zip"))
    assert code == 2 and "no such backup file" in err


def test_a_missing_sqlite_database_is_not_backed_up_or_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    code, _, err = cli(url, "backup", str(tmp_path / "b.zip"))
    assert code == 2 and "nothing to back up" in err
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.zip").exists()


def test_without_pg_dump_the_error_says_so(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite needs no external tool")
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = cli(db_url, "backup", str(tmp_path / "b.zip"))
    assert code == 1 and "pg_dump is not on PATH" in err
    assert not (tmp_path / "b.zip").exists()


def test_a_sqlite_backup_is_one_snapshot_while_another_connection_writes(tmp_path: Path) -> None:
    """Rows written two to a transaction are backed up two by two, never one of a pair."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    upgrade(engine)
    started, stop = threading.Event(), threading.Event()

    def write() -> None:
        at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        while not stop.is_set():
            with engine.begin() as connection:
                for client in ("a", "b"):
                    connection.execute(
                        insert(login_attempts).values(
                            username="u", client=client, succeeded=False, at=at
                        )
                    )
            started.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        started.wait()
        made = [backups.backup(url, tmp_path / f"b{n}.zip") for n in range(3)]
    finally:
        stop.set()
        writer.join()
        engine.dispose()
    for number, manifest in enumerate(made):
        rows = manifest.tables["login_attempts"]
        assert rows > 0 and rows % 2 == 0
        target = f"sqlite:///{tmp_path / f'r{number}.db'}"
        assert backups.restore(target, tmp_path / f"b{number}.zip").tables == manifest.tables
