"""Every number that reaches the database has at most six decimals: refused where it enters."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.governance import StatisticalRules, policy_from
from stakhanov.domain.provenance import TimeStudy
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.values import places_of, require_places
from stakhanov.services.parsing import parse_decimal
from stakhanov.store.types import InexactValue, from_column, micro_units, plain, to_column
from tests.ledgers import stakhanov_shift
from tests.pay import graded, pay, scale, scale_text
from tests.unit.test_rulebook import BASE, problems

SIX = st.decimals(
    min_value=Decimal("-999999999999.999999"),
    max_value=Decimal("999999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)


@given(SIX, st.integers(min_value=0, max_value=6))
def test_a_column_value_reads_back_exactly(value: Decimal, places: int) -> None:
    # As written with `places` decimals (cut, not rounded up past the limit), never -0.
    written = value.quantize(Decimal(1).scaleb(-places), ROUND_DOWN) + 0
    for dialect in ("sqlite", "postgresql"):
        held = to_column(written, dialect)
        back = from_column(held)
        assert back == written and "E" not in str(back)
        assert "." not in str(back) or not str(back).endswith("0")
        assert str(from_column(held, places_of(written))) == str(written)


@given(SIX)
def test_micro_units_are_the_value_times_a_million(value: Decimal) -> None:
    assert Decimal(micro_units(value)) == value * 1_000_000


def test_plain_drops_trailing_zeros_and_never_writes_an_exponent() -> None:
    assert [str(plain(Decimal(v))) for v in ("6.000000", "1.500000", "6E+1", "-0.000")] == [
        "6",
        "1.5",
        "60",
        "0",
    ]


@pytest.mark.parametrize("text", ["0.0000001", "1.2345678", "-0.00000001"])
def test_a_seventh_decimal_is_refused_never_rounded(text: str) -> None:
    with pytest.raises(InvalidValue, match="at most 6 decimal places"):
        parse_decimal(text, "quantity")
    with pytest.raises(InvalidValue, match="at most 6 decimal places"):
        require_places("quantity", Decimal(text))
    with pytest.raises(InexactValue, match="more than 6 decimal places"):
        to_column(Decimal(text), "sqlite")


def test_six_decimals_and_trailing_zeros_within_six_are_accepted() -> None:
    assert str(parse_decimal("0.000001", "quantity")) == "0.000001"
    assert str(parse_decimal("50.000000", "quantity")) == "50.000000"


def test_a_scale_figure_with_a_seventh_decimal_is_a_located_problem() -> None:
    text = scale_text().replace('"4" = "1.70"', '"4" = "1.7000001"')
    found, wrong = parse_scale(text, "test.toml")
    assert found is None
    assert [str(p) for p in wrong] == ["test.toml:9:grades.4: at most 6 decimal places"]


def test_a_minor_unit_finer_than_a_millionth_is_refused() -> None:
    found, wrong = parse_scale('minor_unit = "0.0000001"\n' + scale_text(), "test.toml")
    assert found is None and "at most 6 decimal places" in str(wrong[0])


def test_a_percentage_deduction_rate_is_shown_to_six_decimals() -> None:
    extra = '[[deductions]]\ncode = "union"\npercent = "1.234567"\n'
    slip = pay(graded(stakhanov_shift()), scale(extra)).slip("AS")
    assert slip is not None
    (union,) = slip.deductions
    # 1.234567% is a rate of 0.01234567, shown (and stored) half-up to six decimals.
    assert union.rate == Decimal("0.012346")
    assert union.amount == Decimal("4.13")  # 334.72 x 1.234567% = 4.1323...


def test_a_rulebook_award_with_a_seventh_decimal_is_a_located_problem() -> None:
    text = BASE.replace(
        'when = "fair_percent >= 100"',
        'when = "fair_percent >= 100"\naward = { kind = "money", amount = "1.0000001", '
        'currency = "RUB" }',
    )
    assert any(p.endswith("award.amount: at most 6 decimal places") for p in problems(text))


def test_a_time_study_and_a_policy_precision_are_held_to_six_places() -> None:
    with pytest.raises(InvalidValue, match="at most 6 decimal places"):
        TimeStudy(3, Decimal("2"), Decimal("100.0000001"), Decimal(10))
    with pytest.raises(InvalidValue, match="at most 6 decimal places"):
        StatisticalRules(precision=Decimal("0.0000001"))
    with pytest.raises(InvalidValue, match="must be more than 0"):
        policy_from({"statistical": {"precision": "0"}})
    assert StatisticalRules(precision=Decimal("0.000001")).precision == Decimal("0.000001")
