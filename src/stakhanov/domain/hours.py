"""Hours as people write them: decimal hours, hours and minutes, or a fraction of an hour.

The grammar (docs/import.md): `6` or `6.5` (decimal hours), `20min`, `6h`, `6h20min`, `6:20`
(hours and minutes, minutes under 60 after hours), `1/3` (a fraction of an hour). Every form
parses to an exact Fraction, so sums never drift; `ledger_hours` gives the value the domain and
the ledger keep: the Decimal when decimal hours of at most six places hold it, else ExactHours, a
Decimal that carries its fraction and computes with it (below; docs/decisions/0463).
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

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.values import PLAIN_DECIMAL, STORED_PLACES

FORMS = "decimal hours (6, 6.5), hours and minutes (20min, 6h, 6h20min, 6:20) or a fraction (1/3)"
_MINUTES = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)min)?")
_CLOCK = re.compile(r"([0-9]+):([0-9]{2})")
_FRACTION = re.compile(r"([0-9]+)/([0-9]+)")
STORED_QUANTUM = Decimal(1).scaleb(-STORED_PLACES)
_DIGITS = 6  # at most this many digits in any part: no number the ledger could not hold


def is_written_form(text: str) -> bool:
    """Whether the text is one of the forms besides plain decimal hours."""
    written = text.strip()
    return bool(written) and not PLAIN_DECIMAL.fullmatch(written) and _parts(written) is not None


def parse_hours(text: str, field: str = "hours") -> Fraction:
    """The exact hours a text states, in any form of the grammar."""
    written = text.strip()
    if PLAIN_DECIMAL.fullmatch(written) and "-" not in written:
        return Fraction(Decimal(written))
    parts = _parts(written)
    if parts is None:
        raise InvalidValue(field, text, f"is not a number of hours: write {FORMS}")
    return parts


def _parts(written: str) -> Fraction | None:
    if len(written) > 3 * _DIGITS:
        return None
    if (found := _FRACTION.fullmatch(written)) is not None:
        if int(found[2]) == 0:
            return None
        return Fraction(int(found[1]), int(found[2]))
    if (found := _CLOCK.fullmatch(written)) is not None:
        if int(found[2]) >= 60:
            return None
        return int(found[1]) + Fraction(int(found[2]), 60)
    found = _MINUTES.fullmatch(written)
    if found is None or (found[1] is None and found[2] is None):
        return None
    if found[1] is not None and found[2] is not None and int(found[2]) >= 60:
        return None  # 6h75min: minutes after hours are under 60
    return int(found[1] or 0) + Fraction(int(found[2] or 0), 60)


def ledger_hours(value: Fraction) -> Decimal:
    """The hours as the domain and the ledger keep them: the Decimal when decimal hours of at
    most six places hold them (`6h30min` is 6.5, as if the decimal had been written), else
    ExactHours (`20min` is 1/3 h), never rounded."""
    scaled = value * 10**STORED_PLACES
    if scaled.denominator != 1:
        return ExactHours(value)
    return Decimal(scaled.numerator).scaleb(-STORED_PLACES).normalize() + 0


def stored_hours(value: Decimal) -> tuple[Decimal, str | None]:
    """What the ledger writes for hours: the decimal column (rounded half-up to six places only
    for ExactHours, for SQL that reads it alone) and the exact text beside it (None when the
    decimal is the value)."""
    if isinstance(value, Exact):
        return rounded_to(value.fraction, STORED_QUANTUM), str(value.fraction)
    return value, None


def read_hours(decimal: Decimal, written: str | None) -> Decimal:
    """Hours read back from the ledger: the exact text where one was kept, else the decimal."""
    return decimal if written is None else ledger_hours(parse_hours(written))


def hours_text(value: Decimal) -> str:
    """Hours as text that reads back exactly: plain decimal, or the fraction (`1/3`)."""
    return str(value) if isinstance(value, ExactHours) else format(value, "f")


def text_hours(text: str) -> Decimal:
    """`hours_text` read back."""
    return ledger_hours(parse_hours(text)) if "/" in text else Decimal(text)


# Exact values no decimal holds ---------------------------------------------------------------
#
# Hours flow through the domain as Decimals (about fifty modules). A third of an hour is not a
# Decimal, so it travels as one that carries its exact fraction: `Exact` is a Decimal (its
# digits are the 28-digit quotient, for code that only reads them) whose arithmetic, comparisons,
# rounding and `as_integer_ratio` use the fraction. Python gives a subclass's reflected operators
# priority, so `tariff * hours` and `sum(hours)` are exact whichever side the value is on. A
# result a decimal holds exactly is a plain Decimal again: three thirds are Decimal(1).

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
