"""The one number policy: counts stay integers, every other number is plain decimal text."""

from __future__ import annotations

import datetime as dt
import enum
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.cli.jsonout import dumps, write_list
from stakhanov.domain.numbers import json_value, jsonable, shown_sum, text

decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12))
def test_a_rounded_decimal_is_written_exactly_as_it_is(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    written = text(value)
    assert "E" not in written and "e" not in written
    if exponent >= -6:
        assert Decimal(written) == value
        if exponent < 0:  # trailing zeros stay: money keeps its minor unit
            assert len(written.partition(".")[2]) == -exponent
    else:
        assert abs(Decimal(written) - value) <= Decimal("0.0000005")


@given(st.fractions(max_denominator=10**9).filter(lambda f: abs(f) < 10**9))
def test_a_fraction_is_exact_up_to_six_decimals_else_half_up(value: Fraction) -> None:
    written = Decimal(text(value))
    if (value * 10**6).denominator == 1:
        assert Fraction(written) == value
    else:
        assert written.as_tuple().exponent == -6
        assert abs(Fraction(written) - value) <= Fraction(1, 2 * 10**6)
        away = abs(value) * 10**6 - abs(Fraction(written)) * 10**6
        assert away != Fraction(1, 2)  # a half goes up, away from zero


def test_examples_of_the_policy() -> None:
    assert text(Decimal("12.50")) == "12.50"
    assert text(Decimal("1E+2")) == "100"
    assert text(Decimal("1457.1")) == "1457.1"
    assert text(Fraction(2, 3)) == "0.666667"
    assert text(Fraction(-1, 4)) == "-0.25"
    assert text(Fraction(1, 2 * 10**6)) == "0.000001"  # half-up
    assert text(211.53846153846155) == "211.538462"  # never a binary float
    assert text(Decimal("-0.00")) == "0.00"
    assert json_value(7) == 7 and json_value(True) is True and json_value("x") == "x"


def test_json_writes_counts_as_integers_and_the_rest_as_strings() -> None:
    row = {"shifts": 3, "hours": Decimal("7.50"), "percent": Fraction(1457, 1), "ok": False}
    assert dumps(row, indent=0) == '{"shifts": 3, "hours": "7.50", "percent": "1457", "ok": false}'
    assert jsonable([(Decimal("1E+1"), 2)]) == [["10", 2]]


def test_a_sum_is_shown_by_its_value_whatever_its_scale() -> None:
    cases = {
        "8.50": "8.5",
        "8.5": "8.5",
        "108.000": "108",
        "1E+2": "100",
        "100": "100",
        "-0.00": "0",
        "0E-7": "0",
        "21.0": "21",
        "0.1250": "0.125",
        "1.00000049": "1",  # what the edge writes: six places, then the zeros dropped
        "123456789012345678901234567890.100": "123456789012345678901234567890.1",
    }
    for written, shown in cases.items():
        assert str(shown_sum(Decimal(written))) == shown, written


@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12),
    st.integers(0, 8),
)
def test_a_sum_shows_the_same_digits_at_any_longer_scale(value: Decimal, zeros: int) -> None:
    """A kept sum may hold trailing zeros a roll-up of the same value does not (decision 0904)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    longer = Decimal((sign, (*digits, *(0,) * zeros), exponent - zeros))
    shown = shown_sum(value)
    assert longer == value and str(shown_sum(longer)) == str(shown) == text(shown)
    assert shown == Decimal(text(value))
    places = shown.as_tuple().exponent
    assert isinstance(places, int) and places <= 0
    assert places == 0 or not str(shown).endswith("0")


class _Kind(enum.Enum):
    POOLED = "pooled"


def test_json_layout_for_scripts() -> None:
    """What a script reads: two-space indents, text as written, dates in ISO, keys as text."""
    value = {
        "worker": "Стаханов",
        "dates": [dt.date(1935, 8, 31), dt.datetime(1935, 9, 1, 6, 30)],
        "kind": _Kind.POOLED,
        "rows": [{"hours": Decimal("7.50"), "percent": Fraction(2, 3), "n": 3}, {}],
        "empty": [],
        "none": None,
        "ok": True,
        7: (1, 2.5),
    }
    assert dumps(value) == (
        '{\n  "worker": "Стаханов",\n  "dates": [\n    "1935-08-31",\n    "1935-09-01T06:30:00"\n'
        '  ],\n  "kind": "pooled",\n  "rows": [\n    {\n      "hours": "7.50",\n'
        '      "percent": "0.666667",\n      "n": 3\n    },\n    {}\n  ],\n  "empty": [],\n'
        '  "none": null,\n  "ok": true,\n  "7": [\n    1,\n    "2.5"\n  ]\n}'
    )
    assert dumps(value, indent=0) == (
        '{"worker": "Стаханов", "dates": ["1935-08-31", "1935-09-01T06:30:00"], "kind": "pooled",'
        ' "rows": [{"hours": "7.50", "percent": "0.666667", "n": 3}, {}], "empty": [],'
        ' "none": null, "ok": true, "7": [1, "2.5"]}'
    )
    rows = [value, {"line": "a\u2028b\nc"}, {}, [Decimal("1.0")]]
    for listed in (rows, rows[:1], []):
        out = io.StringIO()
        write_list(iter(listed), out)  # a row at a time: the same text as the whole list
        assert out.getvalue() == dumps(listed) + "\n"
    with pytest.raises(TypeError, match="cannot write object"):
        dumps({"x": object()})
