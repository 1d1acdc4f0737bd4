"""A database left at any earlier schema version, with data in it, upgrades to head and reads back.

Each database is built at its revision by Alembic itself, filled with SQL that revision
accepts (the mini ledger as its import wrote it; from 0002 a closed period; from 0005 an
account), upgraded, and then read through the services: importing the same files again changes
nothing, the closed period and the account are as they were.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from stakhanov.services import accounts, payroll
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import (
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from tests.conftest import _admin, _url
from tests.integration.helpers import MINI

pytestmark = pytest.mark.storage
REVISIONS = ("0001", "0002", "0003", "0004", "0005")
WHEN = "1935-09-01 12:00:00+00:00"
TABLES = {
    "workers.csv": "worker_entries",
    "norms.csv": "norm_entries",
    "shifts.csv": "shift_entries",
    "output.csv": "output_entries",
    "crew.csv": "crew_entries",
}
PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no schema at all."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("pg_template")  # skips, or fails in CI, without a server
    name = f"stk_old_{uuid.uuid4().hex[:10]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(_url(name))
    yield engine
    engine.dispose()
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def at_revision(engine: Engine, revision: str) -> None:
    with engine.connect() as connection, connection.begin():
        command.upgrade(_alembic_config(connection), revision)
    assert current_revision(engine) == revision


def mini_rows() -> Iterator[tuple[str, dict[str, str | None]]]:
    """Each mini row as the import wrote it: its cells (empty is NULL) and where it came from."""
    for file, table in TABLES.items():
        with (MINI / file).open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                cells: dict[str, str | None] = {k: (v or None) for k, v in row.items()}
                if table == "shift_entries":
                    cells["conditions"] = cells["conditions"] or "standard"  # the import's default
                yield table, {**cells, "source_file": file, "source_row": str(number)}


def fill(engine: Engine, revision: str) -> None:
    """Rows in SQL that `revision` accepts; numbers as the text the import stored."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO batches (batch_id, kind, source, author, reason, written_at) "
                "VALUES (1, 'import', 'mini', 'test', NULL, :at)"
            ),
            {"at": WHEN},
        )
        for path in (
            "Mine",
            "Mine/Section 1",
            "Mine/Section 1/Brigade 1",
            "Mine/Section 1/Brigade 2",
        ):
            parent, _, name = path.rpartition("/")
            connection.execute(
                text("INSERT INTO units (path, parent, name) VALUES (:path, :parent, :name)"),
                {"path": path, "parent": parent or None, "name": name},
            )
        for table, cells in mini_rows():
            columns = ["batch_id", "written_at", *cells]
            values = {**cells, "batch_id": 1, "written_at": WHEN}
            if "source_row" in values:
                values["source_row"] = int(str(values["source_row"]))
            connection.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)})"
                ),
                values,
            )
        if revision >= "0002":
            _closed_period(connection)
        if revision >= "0005":
            _account(connection)


def _closed_period(connection: object) -> None:
    statements = [
        "INSERT INTO batches (batch_id, kind, source, author, reason, written_at) "
        "VALUES (2, 'payroll', 'close 1935-07', 'test', NULL, :at)",
        "INSERT INTO pay_periods (period_id, start_date, end_date, batch_id, closed_at, slips, "
        "gross, net, digest) VALUES (1, '1935-07-01', '1935-07-31', 2, :at, 1, '9.40', '9.31', "
        "'digest of July')",
        "INSERT INTO pay_slips (slip_id, period_id, worker_id, name, currency, gross, deducted, "
        "net) VALUES (1, 1, 'H1', 'Hewer One', 'RUB', '9.40', '0.09', '9.31')",
        "INSERT INTO pay_lines (line_id, slip_id, position, section, code, key, quantity, unit, "
        "rate, amount, explain, reference) VALUES (1, 1, 1, 'earning', 'piece', "
        "'piece:J1:hewing', '3.76', 't', '2.50', '9.40', '3.76 t x 2.50', NULL)",
        "INSERT INTO pay_lines (line_id, slip_id, position, section, code, key, quantity, unit, "
        "rate, amount, explain, reference) VALUES (2, 1, 2, 'deduction', 'union', 'union', '9.40', "
        "'RUB', '0.01', '0.09', '1% of 9.40', NULL)",
    ]
    for statement in statements:
        connection.execute(text(statement), {"at": WHEN})  # type: ignore[attr-defined]


def _account(connection: object) -> None:
    connection.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO users (user_id, username, display_name, password_hash, worker_id, "
            "active, created_by, created_at) VALUES (1, 'anna', 'Anna', :hash, 'H1', :yes, "
            "'test', :at)"
        ),
        {"hash": accounts.hash_secret(PASSWORD), "yes": True, "at": WHEN},
    )
    connection.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO grants (grant_id, user_id, role, scope, granted_by, granted_at) "
            "VALUES (1, 1, 'foreman', 'Mine/Section 1/Brigade 1', 'test', :at)"
        ),
        {"at": WHEN},
    )


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_database_at_an_earlier_revision_upgrades_with_its_data(
    empty: Engine, revision: str
) -> None:
    at_revision(empty, revision)
    fill(empty, revision)
    assert upgrade(empty) is True
    assert current_revision(empty) == head_revision()
    # The ledger reads back exactly: the same files again are every row unchanged.
    again = import_batch(empty, read_source(MINI, set(FORMATS)), author="test")
    assert not again.changed and again.batch_id is None
    rows = {file: sum(1 for _ in (MINI / file).open()) - 1 for file in TABLES}
    assert {f: c.unchanged for f, c in again.files.items()} == rows
    if revision >= "0002":
        (july,) = payroll.periods(empty)
        assert (str(july.period), july.slips, july.digest) == (
            "1935-07-01..1935-07-31",
            1,
            "digest of July",
        )
        assert (july.gross, july.net) == (Decimal("9.40"), Decimal("9.31"))
        (slip,) = payroll.slips(empty, july.period).slips
        assert [(line.key, str(line.amount)) for line in slip.lines] == [
            ("piece:J1:hewing", "9.40")
        ]
        assert [(d.code, str(d.amount)) for d in slip.deductions] == [("union", "0.09")]
    if revision >= "0005":
        anna = accounts.account_named(empty, "anna")
        assert anna is not None and anna.worker_id == "H1"
        assert [(g.role.value, g.scope) for g in anna.grants] == [
            ("foreman", "Mine/Section 1/Brigade 1")
        ]
        assert accounts.login(empty, "anna", PASSWORD, "127.0.0.1").account.username == "anna"
