"""The output day sums are written as text by the database itself (decision 0910): the exact
sum of a day's outputs at the longest scale written, as Python's Decimal adds them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert

from stakhanov.store.read_days import quantity_text
from stakhanov.store.types import ExactDecimal, places_column

pytestmark = pytest.mark.storage

QUANTITY = st.integers(min_value=-(10**15), max_value=10**15).flatmap(
    lambda units: st.integers(min_value=0, max_value=6).map(
        lambda places: Decimal(units // 10 ** (6 - places)).scaleb(-places)
    )
)


def _table() -> Table:
    return Table(
        "outputs_summed",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("quantity", ExactDecimal(), nullable=False),
        places_column("quantity"),
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(QUANTITY, min_size=1, max_size=6))
def test_the_sum_reads_as_decimal_adds_it(engine: Engine, values: list[Decimal]) -> None:
    table = _table()
    with engine.begin() as connection:
        table.create(connection)
        try:
            rows = [{"quantity": v, "quantity_places": _places(v)} for v in values]
            connection.execute(insert(table), rows)
            sql = f"SELECT {quantity_text(connection)} FROM outputs_summed AS o"
            found = connection.exec_driver_sql(sql).scalar()
        finally:
            table.drop(connection)
    assert found == format(sum(values, Decimal(0)), "f")  # its exponent: the longest scale


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)
