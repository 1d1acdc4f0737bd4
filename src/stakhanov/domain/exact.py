"""Exact values no decimal holds: thirds of an hour, and what is computed from them.

Hours flow through the domain as Decimals (about fifty modules). A third of an hour is not a
Decimal, so it travels as one that carries its exact fraction: `Exact` is a Decimal (its digits
are the 28-digit quotient, for code that only reads them) whose arithmetic, comparisons, rounding
and `as_integer_ratio` use the fraction. Python gives a subclass's reflected operators priority,
so `tariff * hours` and `sum(hours)` are exact whichever side the value is on. A result a decimal
holds exactly is a plain Decimal again: three thirds are Decimal(1). Money from them is rounded
once, where it is paid, as every figure is (domain/rounding.py).
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    getcontext,
    localcontext,
)
from fractions import Fraction

_TERMINATING_DIGITS = 40  # a finite decimal with at most this many places is a plain Decimal again


class Exact(Decimal):
    """A figure no finite decimal holds (a product or quotient of hours), computed exactly."""

    __slots__ = ("_fraction",)
    _fraction: Fraction

    def __new__(cls, value: Fraction) -> Exact:
        with localcontext() as context:
            context.prec = 28
            approximation = Decimal(value.numerator) / Decimal(value.denominator)
        made = super().__new__(cls, approximation)
        made._fraction = value
        return made

    @property
    def fraction(self) -> Fraction:
        return self._fraction

    def as_integer_ratio(self) -> tuple[int, int]:
        return self._fraction.numerator, self._fraction.denominator

    def __reduce__(self) -> tuple[type[Exact], tuple[Fraction]]:  # type: ignore[override]
        return type(self), (self._fraction,)

    def __hash__(self) -> int:
        return hash(self._fraction)

    def __bool__(self) -> bool:
        return bool(self._fraction)

    # Arithmetic: exact, hours with hours stay hours, anything else is a figure.
    def _kind(self, other: object) -> type[Exact]:
        hours = type(self) is ExactHours and (type(other) is ExactHours or _plain(other))
        return ExactHours if hours else Exact

    def __add__(self, other: object) -> Decimal:
        right = _fraction_of(other)
        if right is None:
            return NotImplemented
        return exact(self._fraction + right, self._kind(other))

    __radd__ = __add__

    def __sub__(self, other: object) -> Decimal:
        right = _fraction_of(other)
        if right is None:
            return NotImplemented
        return exact(self._fraction - right, self._kind(other))

    def __rsub__(self, other: object) -> Decimal:
        left = _fraction_of(other)
        if left is None:
            return NotImplemented
        return exact(left - self._fraction, self._kind(other))

    def __mul__(self, other: object) -> Decimal:
        right = _fraction_of(other)
        if right is None:
            return NotImplemented
        # hours x a count (3 x 20min) are hours; hours x a tariff are money, a figure
        kind = self._kind(other) if isinstance(other, int) else Exact
        return exact(self._fraction * right, kind)

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Decimal:
        right = _fraction_of(other)
        if right is None:
            return NotImplemented
        kind = self._kind(other) if isinstance(other, int) else Exact
        return exact(self._fraction / right, kind)

    def __rtruediv__(self, other: object) -> Decimal:
        left = _fraction_of(other)
        if left is None:
            return NotImplemented
        return exact(left / self._fraction, Exact)

    def __neg__(self, context: object = None) -> Decimal:
        return exact(-self._fraction, type(self))

    def __pos__(self, context: object = None) -> Decimal:
        return self

    def __abs__(self, round: bool = True, context: object = None) -> Decimal:
        return exact(abs(self._fraction), type(self))

    def copy_abs(self) -> Decimal:
        return abs(self)

    def copy_negate(self) -> Decimal:
        return -self

    def is_zero(self) -> bool:
        return not self._fraction

    def is_signed(self) -> bool:
        return self._fraction < 0

    # Comparisons with Decimals, ints, Fractions and one another, exactly.
    def __eq__(self, other: object) -> bool:
        right = _fraction_of(other, fractions=True)
        return NotImplemented if right is None else self._fraction == right

    def __ne__(self, other: object) -> bool:
        right = _fraction_of(other, fractions=True)
        return NotImplemented if right is None else self._fraction != right

    def __lt__(self, other: object) -> bool:
        right = _fraction_of(other, fractions=True)
        return NotImplemented if right is None else self._fraction < right

    def __le__(self, other: object) -> bool:
        right = _fraction_of(other, fractions=True)
        return NotImplemented if right is None else self._fraction <= right

    def __gt__(self, other: object) -> bool:
        right = _fraction_of(other, fractions=True)
        return NotImplemented if right is None else self._fraction > right

    def __ge__(self, other: object) -> bool:
        right = _fraction_of(other, fractions=True)
        return NotImplemented if right is None else self._fraction >= right

    def quantize(  # type: ignore[override]
        self, exp: Decimal, rounding: str | None = None, context: object = None
    ) -> Decimal:
        """Rounded once, exactly, to a multiple of `exp` (no exact value is ever a tie)."""
        return rounded_to(self._fraction, exp, rounding or getcontext().rounding)

    def normalize(self, context: object = None) -> Decimal:
        return self

    def __int__(self) -> int:
        return int(self._fraction)

    def __float__(self) -> float:
        return float(self._fraction)


class ExactHours(Exact):
    """Hours no decimal holds (20min, 1/3), written as their fraction: `1/3`, `19/3`. The grammar
    reads that form back, so a file, a JSON field and the ledger's text column round-trip."""

    __slots__ = ()

    def __str__(self) -> str:
        return str(self._fraction)

    def __repr__(self) -> str:
        return f"ExactHours('{self._fraction}')"

    def __format__(self, spec: str, _context: object = None) -> str:
        if spec in ("", "f"):
            return str(self._fraction)
        return format(Decimal(str(self.quantize(Decimal(1).scaleb(-_places(spec))))), spec)


def _places(spec: str) -> int:
    found = re.fullmatch(r"[^.]*\.([0-9]+)f", spec)
    return int(found[1]) if found else 6


def _plain(other: object) -> bool:
    return isinstance(other, int | Decimal) and not isinstance(other, Exact | bool)


def _fraction_of(other: object, fractions: bool = False) -> Fraction | None:
    """The exact value of an operand Decimal arithmetic takes (a Fraction only for comparisons)."""
    if isinstance(other, Exact):
        return other.fraction
    if isinstance(other, bool):
        return None
    if isinstance(other, int):
        return Fraction(other)
    if isinstance(other, Decimal):
        return Fraction(other) if other.is_finite() else None
    if fractions and isinstance(other, Fraction):
        return other
    return None


def exact(value: Fraction, kind: type[Exact] = ExactHours) -> Decimal:
    """The value as a plain Decimal when a finite decimal holds it, else as `kind`."""
    rest = value.denominator
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    places = max(twos, fives)
    if rest != 1 or places > _TERMINATING_DIGITS:
        return kind(value)
    digits = value.numerator * 10**places // value.denominator
    return Decimal(f"{digits}E-{places}") if places else Decimal(digits)


def rounded_to(value: Fraction, quantum: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """An exact value rounded once to a multiple of `quantum`, written at its places."""
    steps, rest = divmod(value / Fraction(quantum), 1)
    if rest:
        half = Fraction(1, 2)
        up = {
            ROUND_FLOOR: False,
            ROUND_CEILING: True,
            ROUND_DOWN: steps < 0,
            ROUND_UP: steps >= 0,
            ROUND_HALF_UP: rest > half or (rest == half and steps >= 0),
            ROUND_HALF_DOWN: rest > half or (rest == half and steps < 0),
            ROUND_HALF_EVEN: rest > half or (rest == half and steps % 2 == 1),
        }.get(rounding)
        if up is None:
            raise ValueError(f"unsupported rounding {rounding}")
        steps += int(up)
    with localcontext() as context:
        context.prec = max(28, len(str(abs(steps))) + len(quantum.as_tuple().digits) + 2)
        return (Decimal(int(steps)) * Decimal(quantum)).quantize(quantum)
