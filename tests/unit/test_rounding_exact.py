"""`rounded` and `shown` against Decimal's own rounding in a context wide enough to be exact."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.rounding import SHOWN_PLACES, rounded, shown

QUANTA = [Decimal("0.01"), Decimal("1"), Decimal("0.1"), Decimal("0.000001"), Decimal("0.05")]
values = st.one_of(
    st.fractions(max_denominator=10**9).filter(lambda f: abs(f) < 10**12),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=8),
    st.integers(min_value=-(10**12), max_value=10**12),
)


def oracle(value: Fraction | Decimal | int, quantum: Decimal, mode: str) -> Decimal:
    """Steps of the quantum by Decimal's rounding of the exact quotient, at the quantum's scale."""
    exact = Fraction(value) / Fraction(quantum)
    with localcontext() as context:
        context.prec = 200
        quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
        # Decimal's half-up is away from zero at an exact half, as the rule says.
        steps = quotient.quantize(Decimal(1), rounding=mode)
        return (quantum * steps).quantize(quantum)


@given(
    values, st.sampled_from(QUANTA), st.sampled_from([ROUND_HALF_UP, ROUND_CEILING, ROUND_FLOOR])
)
def test_rounded_is_decimal_rounding_of_the_exact_value(value, quantum, mode) -> None:
    found = rounded(value, quantum, mode)
    expected = oracle(value, quantum, mode)
    assert found == expected
    assert found.as_tuple().exponent == quantum.as_tuple().exponent


@given(values, st.sampled_from([0, 2]))
def test_shown_is_exact_to_six_places_else_rounded(value, at_least) -> None:
    found = shown(value, at_least)
    exponent = found.as_tuple().exponent
    assert isinstance(exponent, int)
    if Fraction(found) == Fraction(value):  # exact: at the fewest places from at_least
        assert -exponent >= at_least
        fewer = Fraction(value) * 10 ** (-exponent - 1)
        assert -exponent == at_least or fewer.denominator != 1
    else:
        assert found == oracle(value, Decimal(1).scaleb(-SHOWN_PLACES), ROUND_HALF_UP)
        assert -exponent == SHOWN_PLACES


def test_examples() -> None:
    assert str(rounded(Fraction(1, 8), Decimal("0.01"))) == "0.13"
    assert str(rounded(Fraction(-1, 8), Decimal("0.01"))) == "-0.13"
    assert str(rounded(0, Decimal("0.01"))) == "0.00"
    assert str(shown(Fraction(5, 2), 2)) == "2.50"
    assert str(shown(Fraction(1, 3))) == "0.333333"
    assert str(shown(Decimal("12.5000"))) == "12.5"
