"""The tamper-evident ledger: every change made behind the application's back is named."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, insert, text
from typer.testing import CliRunner

from stakhanov.cli.main import app
from stakhanov.data import preset_scales
from stakhanov.domain.periods import parse_period
from stakhanov.services import backups, payroll
from stakhanov.services.chain import verify_ledger
from stakhanov.services.scales import import_scales
from stakhanov.store.chain import CHAINED
from stakhanov.store.chain_verify import verify
from stakhanov.store.db import _alembic_config, make_engine, upgrade
from stakhanov.store.ledger import LedgerStore, now
from stakhanov.store.recognition_tables import claim_decisions, record_claims
from stakhanov.store.schema import batches, norm_entries
from tests.api.conftest import populate
from tests.conftest import _fresh_postgres
from tests.integration import chain_tampering as tamper

pytestmark = pytest.mark.storage
runner = CliRunner()
SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def closed(engine: Engine) -> Engine:
    """Workers, norms, shifts, a scale and a closed August: every kind of row pay writes."""
    populate(engine)
    import_scales(engine, [preset_scales()["coal-1935"]], author="test")
    payroll.close(engine, parse_period("1935-08"), author="test")
    return engine


def named(engine: Engine, change: Callable[[Connection], None]) -> set[tuple[str, str, str]]:
    """(table, id, what) of every finding after `change(connection)`, which is rolled back."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            tamper.unguard(connection)
            change(connection)
            return {(f.table, f.key, f.what) for f in verify(connection).findings}
        finally:
            transaction.rollback()


def test_an_untouched_ledger_verifies(closed: Engine) -> None:
    found = verify_ledger(closed)
    assert found.intact and found.findings == []
    assert found.links == found.rows > 50
    assert found.seals == 1  # the closed August


def test_the_command_names_each_row_and_fails(closed: Engine) -> None:
    url = closed.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["--db", url, "verify-ledger", "--json"])
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    assert state["intact"] is True and state["findings"] == []
    assert set(state) == {
        "intact", "links", "rows", "seals", "head", "findings", "rolled_back_batches"
    }  # fmt: skip
    with closed.begin() as connection:
        tamper.unguard(connection)
        tamper.edit(connection, "output_entries", "1", "quantity")  # a credit raised
        tamper.delete(connection, "crew_entries", "2")  # a crew row gone
        tamper.edit(connection, "pay_lines", "3", "amount")  # a locked pay line changed
    result = runner.invoke(app, ["--db", url, "verify-ledger", "--json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert {(f["table"], f["id"], f["what"]) for f in findings} == {
        ("output_entries", "1", "edited"),
        ("crew_entries", "2", "deleted"),
        ("pay_lines", "3", "edited"),
    }
    assert all(f["batch"] is not None for f in findings)  # a pay line names its close's batch
    deleted = next(f for f in findings if f["what"] == "deleted")
    assert deleted["shift"] and f"crew_entries 2 (shift {deleted['shift']}, batch" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 3  # one line per finding
    table = runner.invoke(app, ["--db", url, "verify-ledger"])
    assert table.exit_code == 1 and "crew_entries" in table.stdout


@st.composite
def tamperings(draw: st.DrawFn, rows: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """One to three changes on distinct rows: edit, delete, insert or swap."""
    picked = draw(st.lists(st.sampled_from(rows), min_size=1, max_size=3, unique=True))
    changes: list[tuple[str, ...]] = []
    used = set(picked)
    for name, key in picked:
        table = CHAINED[name]
        kinds = ["delete"]
        if tamper.editable(table):
            kinds.append("edit")
        if tamper.insertable(table):
            kinds.append("insert")
        partners = [r for r in rows if r[0] == name and r not in used]
        if partners:
            kinds.append("swap")
        kind = draw(st.sampled_from(kinds))
        if kind == "edit":
            changes.append(("edit", name, key, draw(st.sampled_from(tamper.editable(table)))))
        elif kind == "swap":
            partner = draw(st.sampled_from(partners))
            used.add(partner)
            changes.append(("swap", name, key, partner[1]))
        else:
            changes.append((kind, name, key))
    return changes


@settings(max_examples=30, suppress_health_check=SHARED)
@given(data=st.data())
def test_tampering_at_random_positions_is_named(closed: Engine, data: st.DataObject) -> None:
    with closed.connect() as connection:
        rows = tamper.keys(connection)
    changes = data.draw(tamperings(rows))
    expected: set[tuple[str, str, str]] = set()

    def change(connection: Connection) -> None:
        for kind, name, key, *rest in changes:
            if kind == "edit":
                tamper.edit(connection, name, key, rest[0])
                expected.add((name, key, "edited"))
            elif kind == "delete":
                tamper.delete(connection, name, key)
                expected.add((name, key, "deleted"))
            elif kind == "insert":
                new = tamper.forge(connection, name, key)
                expected.add((name, new, "inserted"))
            else:
                tamper.swap(connection, name, key, rest[0])
                expected.update({(name, key, "reordered"), (name, rest[0], "reordered")})

    assert named(closed, change) == expected


def test_a_changed_link_or_seal_is_named(closed: Engine) -> None:
    def relink(connection: Connection) -> None:
        connection.execute(
            text("UPDATE chain_links SET content_hash = :h WHERE seq = 5"), {"h": "0" * 64}
        )

    assert "link broken" in {what for _, _, what in named(closed, relink)}

    def reseal(connection: Connection) -> None:
        connection.execute(text("UPDATE chain_seals SET chain_hash = 'f'"))

    assert {what for _, _, what in named(closed, reseal)} == {"seal broken"}

    def unlink(connection: Connection) -> None:
        connection.execute(text("DELETE FROM chain_links WHERE seq = 7"))

    # The gap in the links, the next link no longer following, and the row no link names now.
    assert {what for _, _, what in named(closed, unlink)} == {"link broken", "inserted"}


def test_gaps_in_batch_ids_are_rolled_back_batches(closed: Engine) -> None:
    with closed.connect() as connection:
        top = LedgerStore(connection).last_batch()
    with pytest.raises(RuntimeError), closed.begin() as connection:
        LedgerStore(connection).new_batch("import", None, "test", None)
        raise RuntimeError("the import failed after its batch was written")
    with closed.begin() as connection:
        later = LedgerStore(connection).new_batch("import", None, "test", None)
    found = verify_ledger(closed)
    assert found.intact
    if closed.dialect.name == "postgresql":  # a sequence does not hand the id back
        assert later == top + 2 and found.rolled_back == [top + 1]
    else:  # SQLite gives the next batch the same id: no gap
        assert later == top + 1 and found.rolled_back == []


def test_a_backup_restored_verifies(closed: Engine, target_url: str, tmp_path: Path) -> None:
    url = closed.url.render_as_string(hide_password=False)
    head = verify_ledger(closed).head
    backups.backup(url, tmp_path / "backup.zip")
    backups.restore(target_url, tmp_path / "backup.zip", force=True)
    restored = make_engine(target_url)
    try:
        found = verify_ledger(restored)
        assert found.intact and found.head == head and found.seals == 1
    finally:
        restored.dispose()


def test_the_migration_chains_a_database_that_had_no_chain(closed: Engine) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect as sa_inspect

    with closed.connect() as connection, connection.begin():
        config = _alembic_config(connection)
        before = ScriptDirectory.from_config(config).get_revision("0008").down_revision
        command.downgrade(config, str(before))
    with closed.connect() as connection:
        # Tables of later migrations are not there yet; the upgrade creates them empty.
        present = set(sa_inspect(connection).get_table_names())
        rows = sum(
            connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one()
            for name in CHAINED
            if name in present
        )
    assert upgrade(closed)
    found = verify_ledger(closed)
    assert found.intact and found.links == found.rows == rows
    assert found.seals == 1  # August, closed before the chain, sealed by the migration


def test_writers_committing_out_of_id_order_are_each_linked_once(closed: Engine) -> None:
    """PostgreSQL hands ids at insert and links at commit: the later id may commit first."""
    first, second = closed.connect(), closed.connect()
    try:
        if closed.dialect.name == "postgresql":
            early = first.begin()
            LedgerStore(first).new_batch("import", None, "slow", None)
            with second.begin():
                LedgerStore(second).new_batch("import", None, "quick", None)
            early.commit()
        else:  # SQLite has one writer at a time: the same writes, one after the other
            for connection in (first, second):
                with connection.begin():
                    LedgerStore(connection).new_batch("import", None, "one", None)
    finally:
        first.close()
        second.close()
    found = verify_ledger(closed)
    assert found.intact and found.links == found.rows


def test_a_verified_record_is_sealed(closed: Engine) -> None:
    with closed.begin() as connection:
        connection.execute(
            insert(record_claims).values(
                claim_id="C1", worker_id="H1", operation="hewing", date=dt.date(1935, 8, 31),
                shift_id="S1", pre_registered=False, declared=True, conditions="standard",
                registered_by="test", written_at=now(),
            )
        )  # fmt: skip
    with closed.begin() as connection:
        connection.execute(
            insert(claim_decisions).values(
                claim_id="C1", status="verified", auditor="test", evidence="the ledger",
                fingerprint="f", written_at=now(),
            )
        )  # fmt: skip
    found = verify_ledger(closed)
    assert found.intact and found.seals == 2  # August's close and the record

    def forget(connection: Connection) -> None:
        connection.execute(text("DELETE FROM chain_seals WHERE subject = 'record'"))

    assert named(closed, forget) == {("claim_decisions", "1", "unsealed")}


def test_the_same_rows_hash_alike_on_sqlite_and_postgresql(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Canonical content, not what each driver returns: a chain moves between backends."""
    moment = dt.datetime(1935, 8, 31, 22, 0, 0, 123456, tzinfo=dt.UTC)
    urls = [f"sqlite:///{tmp_path / 'a.db'}"]
    postgres = _fresh_postgres(request.getfixturevalue("pg_template"))
    urls.append(next(postgres))
    links = []
    try:
        for url in urls:
            engine = make_engine(url)
            upgrade(engine)
            with engine.begin() as connection:
                connection.execute(
                    insert(batches).values(kind="import", author="A", written_at=moment)
                )
                connection.execute(insert(norm_entries).values(
                    batch_id=1, written_at=moment, operation="hewing", unit="t",
                    kind="output", norm=Decimal("7.25"), norm_hours=Decimal(6),
                    effective_from=dt.date(1935, 1, 1),
                ))  # fmt: skip
                connection.execute(insert(record_claims).values(
                    claim_id="C1", worker_id="H1", operation="hewing", date=dt.date(1935, 8, 31),
                    pre_registered=True, declared=False, conditions="standard",
                    registered_by="test", written_at=moment,
                ))  # fmt: skip
            with engine.connect() as connection:
                found = connection.exec_driver_sql(
                    "SELECT seq, table_name, row_key, content_hash, chain_hash FROM chain_links "
                    "ORDER BY seq"
                )
                links.append([tuple(row) for row in found])
            engine.dispose()
    finally:
        postgres.close()
    assert len(links[0]) == 3 and links[0] == links[1]
