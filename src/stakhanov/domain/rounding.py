"""The one place where exact numbers are rounded for people.

Norm arithmetic is exact (fractions); nothing is rounded while it is computed. A figure is
rounded once, when it is shown or paid:
- money: half-up to the currency's minor unit (`rounded`), or towards the worker where the law
  sets a floor or a ceiling (ceiling and floor modes);
- percentages: half-up to one decimal place (`percent`), always from the exact value;
- derived quantities and rates (a norm output, a piece rate): exact up to six decimals, else
  half-up to six (`shown`).
Half-up means away from zero at an exact half, for negative figures too.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

Exact = Fraction | Decimal | int

SHOWN_PLACES = 6
SHOWN_QUANTUM = Decimal(1).scaleb(-SHOWN_PLACES)
PERCENT_QUANTUM = Decimal("0.1")
HUNDRED = Fraction(100)
POWERS_OF_TEN = 10**SHOWN_PLACES


def rounded(value: Exact, quantum: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """An exact value rounded once to a multiple of `quantum` (half-up unless told otherwise).

    `rounding` is ROUND_HALF_UP, ROUND_CEILING or ROUND_FLOOR. The result is written with the
    quantum's decimal places ("12.30" for a quantum of 0.01).
    """
    # Integer arithmetic throughout: this runs for every line of every replayed slip.
    num, den = _ratio(value)
    step_num, step_den = quantum.as_integer_ratio()
    numerator = num * step_den
    denominator = den * step_num
    whole, rest = divmod(numerator, denominator)  # floor division: rest >= 0
    if rounding == ROUND_HALF_UP:
        up = 2 * rest >= denominator if num >= 0 else 2 * rest > denominator
    elif rounding == ROUND_CEILING:
        up = rest > 0
    elif rounding == ROUND_FLOOR:
        up = False
    else:
        raise ValueError(f"unsupported rounding {rounding}")
    steps = whole + int(up)
    sign, digits, exponent = quantum.as_tuple()
    if digits == (1,) and not sign and isinstance(exponent, int):
        # A power of ten (0.01): the steps are the digits, written at the quantum's exponent.
        return Decimal(f"{steps}E{exponent}")
    with localcontext() as context:  # wide enough that the product is exact
        context.prec = max(28, len(str(abs(steps))) + len(digits) + 2)
        return (quantum * steps).quantize(quantum)


def _ratio(value: Exact) -> tuple[int, int]:
    """(numerator, denominator) of an exact value, in lowest terms, without a new Fraction."""
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    return value.as_integer_ratio()  # a Decimal's or an int's, as Fraction(value) has them


def percent(value: Exact) -> Decimal:
    """A percentage as every report shows it: half-up to one decimal, from the exact value."""
    return rounded(value, PERCENT_QUANTUM)


def percent_or_none(value: Exact | None) -> Decimal | None:
    """`percent`, passing None (no norm, no hours) through."""
    return None if value is None else percent(value)


def ratio_percent(part: Exact, whole: Exact) -> Decimal | None:
    """part / whole as a rounded percentage; None when the whole is zero."""
    if not whole:
        return None
    return percent(Fraction(part) / Fraction(whole) * HUNDRED)


def shown(value: Exact, at_least: int = 0) -> Decimal:
    """A derived figure: exact up to six decimals, else rounded half-up to six.

    `at_least` keeps that many decimal places even when fewer would do (2 for a rate in money).
    """
    num, den = _ratio(value)
    if POWERS_OF_TEN % den == 0:  # exact within six decimals: at the fewest places that hold it
        places = next((p for p in range(at_least, SHOWN_PLACES + 1) if 10**p % den == 0), None)
        if places is not None:
            return Decimal(num * 10**places // den).scaleb(-places)
    return rounded(Fraction(num, den), SHOWN_QUANTUM)


def as_decimal(value: Exact) -> Decimal:
    """A fraction as a Decimal: exact when it terminates within 28 digits, else 28 digits.

    Only for places that take Decimals (the rule language); comparisons and rounding for people
    use the fraction itself.
    """
    if isinstance(value, Decimal):
        return value
    return Decimal(value.numerator) / Decimal(value.denominator)
