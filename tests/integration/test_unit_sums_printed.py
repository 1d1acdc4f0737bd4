"""Fulfilment by unit read from the unit sums kept by change prints what a roll-up of the home
sums and the domain's `aggregate` of the ledger print, digit for digit, after corrections and
voids that leave a kept sum at a longer scale (decision 0904), on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.cli.jsonout import dumps
from stakhanov.domain.access import within_any
from stakhanov.domain.fulfilment import Fulfilment, Grouping, aggregate, key_function
from stakhanov.domain.periods import Period
from stakhanov.services import dashboard, read_model, read_sums, reports
from stakhanov.services.reports import FulfilmentRow
from tests.integration.test_read_model import act, acted, loaded, writes  # noqa: F401

pytestmark = pytest.mark.storage

SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
OCTOBER = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31))
AUTUMN = Period(dt.date(1935, 9, 1), dt.date(1935, 10, 31))
SUMMER = Period(dt.date(1935, 8, 1), dt.date(1935, 9, 30))  # the mini ledger's month and one
YEAR = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))
SCOPES = (None, ["Mine/Section 1/Brigade 1"], ["Mine/Section 1"], ["Mine"], [])
SEVERAL = (
    ["Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2"],
    ["Mine/Section 1", "Mine/Section 1/Brigade 1"],
)
# Hours and quantities whose sums carry trailing zeros once a correction or a void takes one
# away (a shift is 6 hours long).
ACTIONS = writes(
    ["6", "4.5", "2", "2.75", "1.50"], ["10", "12.25", "0.125", "31.50", "7000", "2.5"], norms=False
)


def _printed(found: list[Fulfilment]) -> str:
    return dumps([FulfilmentRow(Grouping.UNIT, f).as_dict() for f in found])


def _longer(kept: list[Fulfilment], rolled: list[Fulfilment]) -> bool:
    """Whether a kept sum is held at another scale than the roll-up's (the same value)."""
    return any(
        str(a.hours) != str(b.hours) or str(a.output) != str(b.output)
        for a, b in zip(kept, rolled, strict=True)
    )


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=2, max_size=7))
def test_by_unit_from_the_kept_sums_prints_as_the_roll_up_and_the_domain(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
) -> None:
    acted(loaded, actions)
    ledger = reports.ledger_for(loaded, YEAR)
    keys = key_function(Grouping.UNIT, reports.home_unit_of(ledger))
    for period in (SEPTEMBER, OCTOBER, AUTUMN):
        months = read_sums.whole_months(period)
        assert months is not None
        for within in SCOPES:
            found = reports.fulfilment(loaded, period, Grouping.UNIT, within)
            kept = [r.fulfilment for r in found]
            with loaded.connect() as connection:
                assert kept == read_sums.fulfilment(connection, months, Grouping.UNIT, within, None)
                rolled = read_sums.rolled_up(connection, months, within)
            domain = aggregate(reports.results_within(ledger, period, within), keys)
            assert kept == rolled == domain, (period, within)  # by value, in one order
            printed = dumps([r.as_dict() for r in found])
            assert printed == _printed(rolled) == _printed(domain), (period, within)
        for within in (*SCOPES, *SEVERAL):
            # The API's list (a person's scopes, however many) and its page (page_size) print
            # what the stored rows of the scopes and the domain print, the units within them.
            listed = dashboard.fulfilment(loaded, period, Grouping.UNIT, within)
            printed = dumps([r.as_dict() for r in listed])
            rows = read_model.from_rows(loaded, period, Grouping.UNIT, within, None)
            domain = aggregate(reports.results_within(ledger, period, within), keys)
            for reference in (rows, domain):
                inside = [f for f in reference if within_any(f.group[0], within)]
                assert printed == _printed(inside), (period, within)
            if period != AUTUMN:
                page = dashboard.fulfilment_page(loaded, period, within, None, 500, 0)
                assert page is not None
                assert dumps([r.as_dict() for r in page]) == printed


def test_a_void_leaves_a_kept_sum_at_a_longer_scale_which_prints_as_the_roll_up(
    loaded: Engine,  # noqa: F811
) -> None:
    """2.75 h and 12.25 t beside 6 h and 10 t, voided: the kept sums of the brigade's units
    hold two places (the scale of what was taken away), the roll-up's none; both print the
    roll-up's digits."""
    shifts: list[str] = []
    act(loaded, ("shift", 2, [("H1", "hewing", "6")], "10", False), shifts)
    act(loaded, ("shift", 3, [("H1", "hewing", "2.75")], "12.25", False), shifts)
    act(loaded, ("void", 1), shifts)
    months = read_sums.whole_months(OCTOBER)
    assert months is not None
    found = reports.fulfilment(loaded, OCTOBER, Grouping.UNIT)
    with loaded.connect() as connection:
        rolled = read_sums.rolled_up(connection, months, None)
    kept = [r.fulfilment for r in found]
    assert kept == rolled and _longer(kept, rolled), "the same values at another scale"
    assert dumps([r.as_dict() for r in found]) == _printed(rolled)


def test_whole_months_by_unit_read_the_kept_sums_not_the_home_sums(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command and the API's list of whole months read no home sum, row or worker sum;
    the days around them still roll up from the day sums of the homes."""
    expected = {str(w): reports.fulfilment(loaded, SUMMER, Grouping.UNIT, w) for w in SCOPES}
    assert any(expected.values())

    def unread(*_: Any, **__: Any) -> None:
        raise AssertionError("read from the kept unit sums")

    monkeypatch.setattr(read_sums.store, "home_rows", unread)
    monkeypatch.setattr(read_sums.store, "home_days_frame", unread)  # the days around (0907)
    monkeypatch.setattr(read_sums.store, "month_rows", unread)
    monkeypatch.setattr(read_model.store, "results_frame", unread)
    monkeypatch.setattr(read_model.store, "rows_of", unread)
    for within in SCOPES:
        found = reports.fulfilment(loaded, SUMMER, Grouping.UNIT, within)
        assert found == expected[str(within)], within
    assert any(dashboard.fulfilment(loaded, SUMMER, Grouping.UNIT, w) for w in SEVERAL)
    with pytest.raises(AssertionError, match="kept unit sums"):
        reports.fulfilment(loaded, Period(dt.date(1935, 8, 2), SUMMER.end), Grouping.UNIT)
