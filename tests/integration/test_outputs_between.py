"""The outputs of one operation in a period, read in SQL for the method rewards, are those of
a snapshot of the period's shifts (decision 0902), after random writes, voids and corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.store.ledger import LedgerStore
from tests.integration.test_read_model import ACTIONS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=1, max_size=6),
    first=st.dates(dt.date(1935, 8, 25), dt.date(1935, 10, 31)),
    days=st.integers(0, 40),
    operation=st.sampled_from(["hewing", "timbering", "haulage"]),
)
def test_the_outputs_of_an_operation_in_a_period_are_the_snapshots(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    first: dt.date,
    days: int,
    operation: str,
) -> None:
    acted(loaded, actions)
    last = first + dt.timedelta(days=days)
    with loaded.connect() as connection:
        store = LedgerStore(connection)
        found = store.outputs_between(operation, first, last)
        ledger = store.snapshot(store.shift_ids_between(first, last), (first, last))
    expected = [o for o in ledger.outputs.values() if o.operation == operation]
    assert sorted(found, key=lambda o: o.shift_id) == sorted(expected, key=lambda o: o.shift_id)
