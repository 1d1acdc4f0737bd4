"""Hours written as decimals, minutes or fractions (domain/hours.py, docs/import.md)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.exact import ExactHours
from stakhanov.domain.hours import is_written_form, ledger_hours, parse_hours
from stakhanov.services.parsing import FORMATS, parse_hours_text, parse_table
from stakhanov.services.tables import RawTable

D = Decimal


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("6", Fraction(6)),
        ("6.5", Fraction(13, 2)),
        ("20min", Fraction(1, 3)),
        ("90min", Fraction(3, 2)),
        ("6h", Fraction(6)),
        ("6h20min", Fraction(19, 3)),
        ("6:20", Fraction(19, 3)),
        ("0:10", Fraction(1, 6)),
        ("1/3", Fraction(1, 3)),
        ("13/2", Fraction(13, 2)),
    ],
)
def test_every_form_parses_to_the_exact_hours(text: str, hours: Fraction) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize("text", ["6h75min", "6:60", "1/0", "h", "min", "6 h", "six", "-1/3"])
def test_other_texts_are_refused_with_the_forms(text: str) -> None:
    with pytest.raises(InvalidValue, match="6h20min, 6:20"):
        parse_hours(text)


MINUTES = st.integers(1, 24 * 60)


@given(st.lists(MINUTES, min_size=1, max_size=20))
def test_a_sum_of_minutes_is_the_minutes_of_the_sum(minutes: list[int]) -> None:
    assert sum(parse_hours(f"{m}min") for m in minutes) == parse_hours(f"{sum(minutes)}min")


@given(MINUTES)
def test_the_minute_forms_agree(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    written = [f"{minutes}min", f"{hours}:{rest:02d}", f"{minutes}/60"]
    if hours:
        written.append(f"{hours}h{rest}min" if rest else f"{hours}h")
    assert {parse_hours(w) for w in written} == {Fraction(minutes, 60)}


def test_three_twenty_minute_rest_periods_are_exactly_one_hour() -> None:
    assert sum(parse_hours("20min") for _ in range(3)) == 1
    assert sum(parse_hours("1/3") for _ in range(3)) == 1


@given(MINUTES)
def test_the_ledger_keeps_minutes_exactly(minutes: int) -> None:
    """A decimal where six places hold the minutes (as if it had been written), else the
    fraction itself: never rounded."""
    value = Fraction(minutes, 60)
    kept = ledger_hours(value)
    assert Fraction(kept) == value
    assert isinstance(kept, ExactHours) == ((value * 10**6).denominator != 1)


def test_decimal_hours_stay_as_written() -> None:
    assert not is_written_form("6.50")
    assert str(parse_hours_text("6.50", "hours")) == "6.50"
    assert parse_hours_text("6h30min", "hours") == D("6.5")
    assert parse_hours_text("6:15", "hours") == D("6.25")
    assert parse_hours_text("3min", "hours") == D("0.05")
    assert str(parse_hours_text("20min", "hours")) == "1/3"
    with pytest.raises(InvalidValue, match="is not a number of hours"):
        parse_hours_text("six", "hours")


def test_time_file_rows_take_minutes_and_name_file_row_and_field() -> None:
    table = RawTable(
        "time.csv",
        ["worker_id", "date", "kind", "operation", "hours"],
        [
            (2, ["P", "2026-02-24", "rest", "hewing", "45min"]),
            (3, ["P", "2026-02-25", "rest", "hewing", "20min"]),
            (4, ["P", "2026-02-26", "rest", "hewing", "20 min"]),
        ],
    )
    records, problems = parse_table(table, FORMATS["time.csv"])
    assert [r.hours for r in records] == [D("0.75"), Fraction(1, 3)]  # type: ignore[attr-defined]
    assert [(p.source.row if p.source else None, p.column) for p in problems] == [(4, "hours")]
