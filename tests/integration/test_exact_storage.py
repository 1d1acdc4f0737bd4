"""Exact numbers in the database, on both backends: round trips, SQL sums, refusals, migration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, Table, delete, func, insert, select
from sqlalchemy.exc import StatementError

from stakhanov.domain.attribution import split_exact
from stakhanov.domain.ledger import MeasuredOutput
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.plans import PlanTarget
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.services.importing import ImportRejected
from stakhanov.store.db import _alembic_config, current_revision, upgrade
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import PayStore, Totals
from stakhanov.store.records import OUTPUT, PLANS, SHIFTS
from stakhanov.store.schema import output_entries
from stakhanov.store.types import ExactDecimal, InexactValue, from_column, to_column
from tests.integration.helpers import mini_copy, write
from tests.integration.test_import import counts, load

pytestmark = pytest.mark.storage

AWKWARD = ["0.000001", "999999999.999999", "-999999999.999999", "-3.1", "0", "12.50", "60"]
AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))


@pytest.fixture
def probe(engine: Engine) -> Iterator[Table]:
    """A table with one exact decimal column, created in the test database."""
    table = Table(
        "exact_probe",
        MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("value", ExactDecimal(), nullable=True),
    )
    table.create(engine)
    yield table
    table.drop(engine)


def test_awkward_values_come_back_exactly_in_plain_form(engine: Engine, probe: Table) -> None:
    with engine.begin() as connection:
        connection.execute(insert(probe), [{"value": Decimal(v)} for v in [*AWKWARD, "6.000000"]])
        connection.execute(insert(probe).values(value=None))
        back = list(connection.scalars(select(probe.c.value).order_by(probe.c.id)))
    assert [str(v) if v is not None else None for v in back] == [
        "0.000001",
        "999999999.999999",
        "-999999999.999999",
        "-3.1",
        "0",
        "12.5",
        "60",
        "6",
        None,
    ]


def test_the_column_is_a_number_the_database_computes_with(engine: Engine, probe: Table) -> None:
    values = [Decimal("0.1"), Decimal("0.2"), Decimal("0.000001"), Decimal("-0.3")]
    with engine.begin() as connection:
        connection.execute(insert(probe), [{"value": v} for v in values])
        total = connection.scalar(select(func.sum(probe.c.value)))
        smallest = connection.scalar(select(func.min(probe.c.value)))
        above = connection.scalar(
            select(func.count()).select_from(probe).where(probe.c.value > Decimal("0.15"))
        )
    assert total == Decimal("0.000001") and str(total) == "0.000001"
    assert smallest == Decimal("-0.3") and above == 1


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.decimals(
            min_value=Decimal("-999999.999999"),
            max_value=Decimal("999999.999999"),
            places=6,
            allow_nan=False,
            allow_infinity=False,
        ),
        min_size=1,
        max_size=12,
    )
)
def test_sql_sum_is_the_exact_decimal_sum(
    engine: Engine, probe: Table, values: list[Decimal]
) -> None:
    with engine.begin() as connection:
        connection.execute(delete(probe))
        connection.execute(insert(probe), [{"value": v} for v in values])
        total = connection.scalar(select(func.sum(probe.c.value)))
    assert total == sum(values, Decimal(0))


def test_a_value_the_column_cannot_hold_is_refused_not_rounded(
    engine: Engine, probe: Table
) -> None:
    for value in ("0.0000001", "1000000000000", "NaN"):
        with pytest.raises(StatementError) as refused, engine.begin() as connection:
            connection.execute(insert(probe).values(value=Decimal(value)))
        assert isinstance(refused.value.orig, InexactValue)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(probe)) == 0


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_one_conversion_for_raw_writers(dialect: str) -> None:
    held = to_column(Decimal("12.50"), dialect)
    assert held == (12_500_000 if dialect == "sqlite" else Decimal("12.5"))
    assert str(from_column(held)) == "12.5" and str(from_column(held, 2)) == "12.50"
    with pytest.raises(InexactValue, match="more than 6 decimal places"):
        to_column(Decimal("1.0000001"), dialect)


def test_an_output_quantity_keeps_the_scale_that_drives_its_split(engine: Engine) -> None:
    written = [
        MeasuredOutput("S1", "hewing", Decimal("50"), "t"),
        MeasuredOutput("S2", "hewing", Decimal("50.0"), "t", Decimal("0.5")),
        MeasuredOutput("S3", "hewing", Decimal("0.000001"), "t"),
    ]
    with engine.begin() as connection:
        store = LedgerStore(connection)
        batch = store.new_batch("import", None, "test", None)
        # Output rows carry their shift's date (decision 0594): the shifts come first.
        day = dt.date(1935, 8, 31)
        shifts = [
            Shift(s, day, Decimal(6), "Mine", Conditions.STANDARD) for s in ("S1", "S2", "S3")
        ]
        store.append(SHIFTS, batch, shifts)
        store.append(OUTPUT, batch, written)
    with engine.connect() as connection:
        back = {o.shift_id: o for o in LedgerStore(connection).records(OUTPUT, MeasuredOutput)}
        places = dict(
            connection.execute(
                select(output_entries.c.shift_id, output_entries.c.quantity_places)
            ).all()
        )
    assert [str(back[s].quantity) for s in ("S1", "S2", "S3")] == ["50", "50.0", "0.000001"]
    assert places == {"S1": 0, "S2": 1, "S3": 6}
    assert split_exact(back["S1"].quantity, [Decimal(1)] * 3) == [17, 17, 16]
    assert [str(p) for p in split_exact(back["S2"].quantity, [Decimal(1)] * 3)] == [
        "16.7",
        "16.7",
        "16.6",
    ]
    assert back["S2"].rejected == Decimal("0.5")
    # Importing 50.0 over a stored 50 is a change; 0.50 over a rejected 0.5 is not (its scale
    # is not kept), so a re-import of the same files stays a no-op.
    assert OUTPUT.differences(back["S1"], replace(written[0], quantity=Decimal("50.0"))) == [
        "quantity"
    ]
    assert OUTPUT.differences(back["S2"], replace(written[1], rejected=Decimal("0.50"))) == []


def test_a_plan_target_keeps_its_written_scale(engine: Engine) -> None:
    target = PlanTarget(
        "Mine", "hewing", dt.date(1935, 9, 1), dt.date(1935, 9, 30), Decimal("100.0"), "t"
    )
    with engine.begin() as connection:
        store = LedgerStore(connection)
        store.append(PLANS, store.new_batch("import", None, "test", None), [target])
    with engine.connect() as connection:
        (back,) = LedgerStore(connection).records(PLANS, PlanTarget)
    assert str(back.target) == "100.0"


def _slip(amounts: list[str]) -> PaySlip:
    lines = tuple(
        PayLine("piece", f"piece:{i}", Decimal("5"), "t", Decimal("2.50"), Decimal(a), "x")
        for i, a in enumerate(amounts)
    )
    return PaySlip("W1", "Worker", "RUB", AUGUST, lines)


def test_money_keeps_its_minor_unit_and_negative_adjustments_stay_exact(engine: Engine) -> None:
    slip = _slip(["12.50", "-3.10", "0.00"])
    with engine.begin() as connection:
        store = PayStore(connection)
        batch = store.ledger.new_batch("payroll", None, "test", None)
        store.write(AUGUST, batch, (slip,), Totals.of((slip,), "digest"))
    with engine.connect() as connection:
        store = PayStore(connection)
        (closed,) = store.periods()
        (back,) = store.slips(closed)
    assert (str(closed.gross), str(closed.net)) == ("9.40", "9.40")
    assert back.as_dict() == slip.as_dict()
    assert [line.as_dict()["amount"] for line in back.lines] == ["12.50", "-3.10", "0.00"]
    assert back.lines[0].as_dict()["rate"] == "2.50"


def test_more_than_six_places_is_a_located_problem_and_nothing_is_written(
    engine: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    text = (folder / "output.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1].split(",")
    first[header.split(",").index("quantity")] = "1.2345678"
    write(folder, "output.csv", "\n".join([header, ",".join(first), *text[2:]]) + "\n")
    before = counts(engine)
    with pytest.raises(ImportRejected) as rejected:
        load(engine, folder)
    found = [str(p) for p in rejected.value.problems]
    assert "output.csv:2:quantity: at most 6 decimal places" in found
    assert counts(engine) == before


# Rows as revision 0005 stored them: the Decimal's text on SQLite, unscaled NUMERIC on PostgreSQL.
OLD_BATCH = (
    "INSERT INTO batches (batch_id, kind, source, author, reason, written_at) "
    "VALUES (1, 'import', NULL, 'test', NULL, '1935-08-31 12:00:00+00:00')"
)
OLD_OUTPUT = (
    "INSERT INTO output_entries (entry_id, batch_id, written_at, shift_id, operation, quantity, "
    "unit, rejected) VALUES ({id}, 1, '1935-08-31 12:00:00+00:00', '{shift}', 'hewing', "
    "{quantity}, 't', {rejected})"
)
OLD_PERIOD = (
    "INSERT INTO pay_periods (period_id, start_date, end_date, batch_id, closed_at, slips, gross, "
    "net, digest) VALUES (1, '1935-08-01', '1935-08-31', 1, '1935-08-31 12:00:00+00:00', 1, "
    "'9.40', '9.40', 'digest')"
)
OLD_SLIP = (
    "INSERT INTO pay_slips (slip_id, period_id, worker_id, name, currency, gross, deducted, net) "
    "VALUES (1, 1, 'W1', 'Worker', 'RUB', '9.40', '0.00', '9.40')"
)
OLD_LINE = (
    "INSERT INTO pay_lines (line_id, slip_id, position, section, code, key, quantity, unit, rate, "
    "amount, explain, reference) VALUES ({id}, 1, {id}, 'earning', 'piece', 'piece:{id}', '5', "
    "'t', '2.50', '{amount}', 'x', NULL)"
)


def _at_0005(engine: Engine) -> None:
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0005")
    assert current_revision(engine) == "0005"


def _old_rows(engine: Engine, quantities: list[str]) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(OLD_BATCH)
        for number, quantity in enumerate(quantities, start=1):
            rejected = "'0.5'" if number == 1 else "NULL"
            connection.exec_driver_sql(
                OLD_OUTPUT.format(
                    id=number, shift=f"S{number}", quantity=f"'{quantity}'", rejected=rejected
                )
            )
        connection.exec_driver_sql(OLD_PERIOD)
        connection.exec_driver_sql(OLD_SLIP)
        for number, amount in enumerate(["12.50", "-3.10", "0.00"], start=1):
            connection.exec_driver_sql(OLD_LINE.format(id=number, amount=amount))


def test_the_migration_converts_stored_numbers_exactly(engine: Engine) -> None:
    _at_0005(engine)
    quantities = ["50.0", "50", "0.000001", "999999999.999999", "21.000"]
    _old_rows(engine, quantities)
    assert upgrade(engine) is True
    with engine.connect() as connection:
        back = {o.shift_id: o for o in LedgerStore(connection).records(OUTPUT, MeasuredOutput)}
        total = connection.scalar(select(func.sum(output_entries.c.quantity)))
        store = PayStore(connection)
        (closed,) = store.periods()
        (slip,) = store.slips(closed)
    assert [str(back[f"S{n}"].quantity) for n in range(1, 6)] == quantities
    assert back["S1"].rejected == Decimal("0.5")
    assert total == sum((Decimal(q) for q in quantities), Decimal(0))
    assert (str(closed.gross), str(closed.net)) == ("9.40", "9.40")
    assert [line.as_dict()["amount"] for line in slip.lines] == ["12.50", "-3.10", "0.00"]
    assert str(slip.lines[0].rate) == "2.50"
    # The ledger still refuses edits: the rebuilt tables got their triggers back.
    with pytest.raises(Exception, match=r"append-only|locked"), engine.begin() as connection:
        connection.exec_driver_sql("UPDATE output_entries SET unit = 'kg'")


def test_a_value_six_places_cannot_hold_stops_the_migration_by_name(engine: Engine) -> None:
    _at_0005(engine)
    _old_rows(engine, ["50", "1.2345678"])
    with pytest.raises(ValueError, match=r"output_entries row entry_id=2, column quantity"):
        upgrade(engine)
    assert current_revision(engine) == "0005"
    with engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT quantity FROM output_entries WHERE entry_id = 2"
        ).scalar()
    assert str(stored) == "1.2345678"
