"""Fulfilment by unit over days summed set-based (read_sums.unit_days, decision 0907) is the
roll-up of the home day sums in Python (read_sums.rolled_up), field for field and in its order,
on random ledgers, for random spans of days and scopes, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.fulfilment import Fulfilment, Grouping
from stakhanov.services import read_sums
from stakhanov.store.frames import NotMicro
from tests.integration.test_read_model import ACTIONS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage

SCOPES = (None, ["Mine/Section 1/Brigade 1"], ["Mine/Section 1"], ["Mine"], [])
DAYS_HELD = st.dates(dt.date(1935, 8, 25), dt.date(1935, 11, 10))  # the mini ledger's and more
SUMMER = (dt.date(1935, 8, 25), dt.date(1935, 9, 10))


def exact(found: list[Fulfilment]) -> str:
    """Every field as its repr: the written scale of each decimal too, and the order."""
    return repr(found)


def set_based(connection: Any, days: read_sums.Months, within: list[str] | None) -> Any:
    """unit_days where the Python roll-up would fail the test if it were taken."""

    def unread(*_: Any) -> None:
        raise AssertionError("the engine summed these exactly; no Python roll-up")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read_sums, "FEW_SUMS", 0)  # the mini ledger's sums are few
        patch.setattr(read_sums, "_rolled", unread)
        return read_sums.unit_days(connection, days, within)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=1, max_size=6),
    spans=st.lists(st.tuples(DAYS_HELD, DAYS_HELD), min_size=1, max_size=4),
)
def test_units_over_days_summed_set_based_are_the_roll_up(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    spans: list[tuple[dt.date, dt.date]],
) -> None:
    acted(loaded, actions)
    with loaded.connect() as connection:
        for first, last in [*spans, SUMMER]:
            days = (min(first, last), max(first, last))
            for within in SCOPES:
                expected = read_sums.rolled_up(connection, days, within, days=True)
                found = set_based(connection, days, within)
                assert exact(found) == exact(expected), (days, within)
                few = read_sums.unit_days(connection, days, within)  # few: summed in Python
                assert exact(few) == exact(expected), (days, within)
                answered = read_sums.fulfilment(connection, days, Grouping.UNIT, within, None, True)
                assert answered == expected, (days, within)


def test_units_over_days_are_rolled_up_in_python_where_the_engine_cannot(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with loaded.connect() as connection:
        expected = {str(w): read_sums.rolled_up(connection, SUMMER, w, days=True) for w in SCOPES}

        def inexact(*_: Any) -> None:
            raise NotMicro("as a value beyond the engine's integers would")

        monkeypatch.setattr(read_sums.unit_rollup, "unit_sums", inexact)
        monkeypatch.setattr(read_sums, "FEW_SUMS", 0)
        for within in SCOPES:
            found = read_sums.unit_days(connection, SUMMER, within)
            assert exact(found) == exact(expected[str(within)]), within
    assert any(expected.values())


def test_units_over_days_read_no_home_sum_as_a_dict(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The days of units are read as columns and summed per unit: no home sum, unit shift row
    or stored result becomes a Python object."""
    with loaded.connect() as connection:
        expected = read_sums.rolled_up(connection, SUMMER, None, days=True)

        def unread(*_: Any, **__: Any) -> None:
            raise AssertionError("read as columns")

        for name in ("home_rows", "unit_shift_rows", "month_rows"):
            monkeypatch.setattr(read_sums.store, name, unread)
        monkeypatch.setattr(read_sums, "FEW_SUMS", 0)
        found = read_sums.fulfilment(connection, SUMMER, Grouping.UNIT, None, None, True)
    assert found and exact(found) == exact(expected)
