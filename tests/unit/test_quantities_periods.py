from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import parse_date, parse_period
from stakhanov.domain.quantities import Quantity, check_unit, compatible, conversion_factor
from stakhanov.domain.units import ancestors, is_within, parent, parse_path


def test_kilograms_convert_to_tonnes_exactly() -> None:
    assert conversion_factor("kg", "t") == Decimal("0.001")
    assert Quantity(Decimal(8400), "kg").to("t").amount == Decimal("8.4")
    assert conversion_factor("quintal", "t") == Decimal("0.1")


@pytest.mark.parametrize(
    "unit", ["t", "kg", "m", "m3", "ha", "piece", "part", "pair", "pairs", "box", "pallet", "picks"]
)
def test_shop_floor_and_metric_units_are_known(unit: str) -> None:
    assert check_unit(unit) == unit


def test_count_units_do_not_mix_with_each_other_or_with_mass() -> None:
    assert not compatible("piece", "pair")
    assert not compatible("box", "piece") and not compatible("pallet", "box")
    assert compatible("boxes", "box")
    assert not compatible("part", "t")
    assert compatible("pairs", "pair")
    with pytest.raises(InvalidValue):
        conversion_factor("piece", "t")
    with pytest.raises(InvalidValue):
        check_unit("bushels of hope")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1935", "1935-01-01", "1935-12-31"),
        ("1935-Q3", "1935-07-01", "1935-09-30"),
        ("1936-02", "1936-02-01", "1936-02-29"),
        ("1935-08-31..1935-09-19", "1935-08-31", "1935-09-19"),
        ("1935-08-31", "1935-08-31", "1935-08-31"),
    ],
)
def test_periods(text: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize(
    "text",
    [
        *("35", "1935-13", "1935-Q5", "1935-09-19..1935-08-31", "x..y", "1935-02-30"),
        *("0000", "0000-Q1", "0000-05", "0000-05-01"),
    ],
)
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_period(text)


@pytest.mark.parametrize(
    "text", ["19350831", "1935-W35-6", "1935-9-1", "1935-09-01T00:00", "31.08.1935", "1935/09/01"]
)
def test_only_yyyy_mm_dd_is_a_date(text: str) -> None:
    with pytest.raises(InvalidValue, match="ISO date"):
        parse_date(text)
    assert parse_date(" 1935-09-01 ") == dt.date(1935, 9, 1)


@given(
    st.from_regex(
        r"\s?[0-9]{4}(-Q[0-9]|-[0-9]{2}|-[0-9]{2}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}-[0-9]{2})?\s?"
    )
)
def test_a_period_is_parsed_or_refused_by_name(text: str) -> None:
    """Whatever is typed, the answer is a period or a refusal naming the accepted forms."""
    try:
        period = parse_period(text)
    except InvalidValue as err:
        assert err.field == "period"
    else:
        assert period.start <= period.end


def test_unit_paths() -> None:
    assert parse_path(" Mine / Section 8 ") == "Mine/Section 8"
    assert ancestors("A/B/C") == ["A", "A/B", "A/B/C"]
    assert parent("A/B") == "A" and parent("A") is None
    assert is_within("A/B/C", "A/B") and not is_within("A/BC", "A/B")
    with pytest.raises(InvalidValue):
        parse_path("Mine//Brigade")


def test_an_unknown_unit_in_capitals_is_named_with_the_known_one() -> None:
    with pytest.raises(InvalidValue, match=r"case-sensitive: 'tonne'\?"):
        check_unit("TONNE")


@pytest.mark.parametrize("unit", ["kg/", "t**", "*", '"', "(t", ")", "t^"])
def test_a_unit_pint_cannot_parse_is_unknown_not_a_crash(unit: str) -> None:
    with pytest.raises(InvalidValue, match="is not a known unit of measure"):
        check_unit(unit)
