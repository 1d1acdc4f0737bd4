"""The director's trend and units summed set-based (engine.trend) equal the Python sums of the
same stored day and home sums, to the fraction and to the written scale of the hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors
from stakhanov.services import read_sums

WEEK = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 5))
MONTHS = (dt.date(1935, 10, 1), dt.date(1935, 10, 1))
HOMES = st.sampled_from(["A", "A/B", "A/B/C", "A/B/C2", "A/D", "E"])
HOURS = st.builds(  # any scale up to micro-units: the sum keeps the longest
    lambda units, places: format(Decimal(units).scaleb(-places), "f"),
    st.integers(0, 10**10),
    st.integers(0, 6),
)
RATIO = st.tuples(st.integers(-(10**20), 10**20), st.integers(1, 10**6))
KEYS: tuple[Callable[[str], list[str]], ...] = (
    ancestors,
    lambda home: [u for u in ancestors(home) if u.startswith("A/B")],
)
COLUMNS = ("date", "home", "hours", "earned_num", "earned_den", "fair_num", "fair_den")


@st.composite
def stored(draw: Any) -> dict[str, Any]:
    """A day sum as stored (a home sum's normed hours as `hours`): without a normed result, no
    earned or fair sum."""
    earned = draw(st.none() | RATIO)
    fair = None if earned is None else draw(st.none() | RATIO)
    row: dict[str, Any] = {"home": draw(HOMES), "hours": draw(HOURS)}
    row["date"] = WEEK.start + dt.timedelta(days=draw(st.integers(0, 4)))
    for name, value in (("earned", earned), ("fair", fair)):
        row[f"{name}_num"], row[f"{name}_den"] = (
            (None, None) if value is None else (str(value[0]), str(value[1]))
        )
    return row


def frame(rows: list[dict[str, Any]]) -> pa.Table:
    """The rows as the store reads them: Arrow text columns."""
    text = [{**r, "date": r["date"].isoformat()} for r in rows]
    return pa.table({n: pa.array([r[n] for r in text], pa.string()) for n in COLUMNS})


def home_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as home sums, with the columns the Python path reads besides."""
    return [{**r, "normed_hours": r["hours"], "output": "1", "norm_output_num": None} for r in rows]


def exact(found: read_sums.Sums) -> list[tuple[Any, ...]]:
    return [(key, str(hours), earned, fair) for key, hours, earned, fair in found]


def reading(patch: pytest.MonkeyPatch, rows: list[dict[str, Any]]) -> None:
    """The store answers with the rows, as dicts for the Python path, as Arrow for the engine."""
    patch.setattr(read_sums.days_store, "day_rows", lambda *_: rows)
    patch.setattr(read_sums.days_store, "days_frame", lambda *_: frame(rows))
    patch.setattr(read_sums.store, "home_rows", lambda *_: home_rows(rows))
    patch.setattr(read_sums.store, "home_frame", lambda *_: frame(rows))
    patch.setattr(read_sums, "FEW_SUMS", 0)  # the engine sums even these few


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(stored(), max_size=30), keys=st.sampled_from(KEYS))
def test_the_trend_and_the_units_summed_set_based_are_the_python_sums(
    rows: list[dict[str, Any]], keys: Callable[[str], list[str]]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        reading(patch, rows)
        by_day = read_sums.day_totals_in_python(None, WEEK, None)
        by_key = read_sums.day_totals_in_python(None, WEEK, None, keys)
        by_unit = read_sums.unit_totals_in_python(None, MONTHS, None, keys)

        def unread(*_: Any) -> None:
            raise AssertionError("the engine holds these exactly: no Python fallback")

        patch.setattr(read_sums, "day_totals_in_python", unread)
        patch.setattr(read_sums, "unit_totals_in_python", unread)
        assert exact(read_sums.day_totals(None, WEEK, None)) == exact(by_day)
        assert exact(read_sums.day_totals(None, WEEK, None, keys)) == exact(by_key)
        assert exact(read_sums.day_totals(None, WEEK, None)) == exact(by_day)
        assert exact(read_sums.unit_totals(None, MONTHS, None, keys)) == exact(by_unit)
        patch.setattr(read_sums, "FEW_SUMS", 31)  # a few day sums: Python adds the Arrow rows
        assert exact(read_sums.day_totals(None, WEEK, None, keys)) == exact(by_key)
        assert exact(read_sums.day_totals(None, WEEK, None)) == exact(by_day)


BIG = str(2**126)  # twice this is beyond HUGEINT


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({}, {"earned_num": str(10**40)}),  # a numerator beyond HUGEINT
        ({"fair_num": BIG}, {"fair_num": BIG}),  # a sum beyond HUGEINT
        ({}, {"hours": "0.0000001"}),  # finer than micro-units
        ({}, {"hours": "1/3"}),  # a home sum's exact fraction of an hour (20min)
    ],
)
def test_what_the_engine_cannot_hold_is_summed_in_python(
    first: dict[str, str], second: dict[str, str]
) -> None:
    base = {"date": WEEK.start, "home": "A/B", "hours": "2.5", "earned_num": "1"}
    base |= {"earned_den": "3", "fair_num": "3", "fair_den": "2"}
    rows = [base | first, base | second]
    with pytest.MonkeyPatch.context() as patch:
        reading(patch, rows)
        with pytest.raises(read_sums.Unsupported):
            read_sums.trend.totals(frame(rows))
        by_unit = read_sums.unit_totals_in_python(None, MONTHS, None, ancestors)
        assert exact(read_sums.unit_totals(None, MONTHS, None, ancestors)) == exact(by_unit)
        if "/" not in rows[1]["hours"]:  # a day sum's hours are decimals
            by_day = read_sums.day_totals_in_python(None, WEEK, None)
            assert exact(read_sums.day_totals(None, WEEK, None)) == exact(by_day)


def test_a_few_sums_are_added_in_python_without_the_engine() -> None:
    rows = [{"date": WEEK.start, "home": "A/B", "hours": "2.5", "earned_num": "1"}]
    rows[0] |= {"earned_den": "3", "fair_num": "3", "fair_den": "2"}
    with pytest.MonkeyPatch.context() as patch:
        reading(patch, rows)
        by_day = read_sums.day_totals_in_python(None, WEEK, None)
        by_unit = read_sums.unit_totals_in_python(None, MONTHS, None, ancestors)
        patch.setattr(read_sums, "FEW_SUMS", 2)

        def unplanned(*_: Any) -> None:
            raise AssertionError("DuckDB plans longer than Python adds one sum")

        patch.setattr(read_sums.trend, "totals", unplanned)
        assert by_day and exact(read_sums.day_totals(None, WEEK, None)) == exact(by_day)
        found = read_sums.unit_totals(None, MONTHS, None, ancestors)
        assert by_unit and exact(found) == exact(by_unit)
