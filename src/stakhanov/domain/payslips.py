"""Pay slips: lines that say what they are for and how they were computed, and their totals.

Rounding rule (domain/rounding.py): every line is computed exactly and rounded once, half-up, to
the currency's minor unit; the gross is the exact sum of the rounded lines, and so is the total of
the deductions. Rates and quantities are shown exactly up to six decimals, else rounded to six.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from stakhanov.domain.exact import ExactHours
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import SHOWN_PLACES, percent, shown

ZERO = Decimal(0)
SCALE = 10**SHOWN_PLACES
LONGEST = 10**27


class Section(StrEnum):
    EARNING = "earning"
    DEDUCTION = "deduction"


def figure(value: Fraction | Decimal) -> str:
    """A number for an explanation: a Decimal as written (money keeps its cents), a fraction
    as shown without trailing zeros; hours no decimal holds as their fraction (`1/3`)."""
    if isinstance(value, ExactHours):
        return str(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -SHOWN_PLACES:
            return format(value, "f")
    elif (quick := _fraction_text(value)) is not None:
        return quick
    text = format(shown(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _fraction_text(value: Fraction) -> str | None:
    """`figure` of a fraction in integers (it runs for every number of every line): half-up to
    six decimals, away from zero at a half, trailing zeros dropped. None past 27 digits, where
    the Decimal path's context precision decides."""
    num, den = value.numerator, value.denominator
    steps, rest = divmod(abs(num) * SCALE, den)
    if 2 * rest >= den:
        steps += 1
    if steps >= LONGEST:
        return None
    whole, part = divmod(steps, SCALE)
    text = f"-{whole}" if num < 0 and steps else str(whole)
    return f"{text}.{part:06d}".rstrip("0") if part else text


def percent_figure(value: Fraction | Decimal) -> str:
    """A percent for an explanation: rounded half-up to one decimal, like every report."""
    return figure(Fraction(percent(value)))


def places_of(minor: Decimal) -> int:
    exponent = minor.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


@dataclass(frozen=True)
class PayLine:
    """One line of a slip. `key` names what it pays for, unique within its slip section."""

    code: str
    key: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    explain: str
    reference: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "quantity": format(self.quantity, "f"),
            "unit": self.unit,
            "rate": format(self.rate, "f"),
            "amount": format(self.amount, "f"),
            "explain": self.explain,
            "key": self.key,
            "reference": self.reference,
        }


def total(lines: Iterable[PayLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


@dataclass(frozen=True)
class PaySlip:
    """A worker's pay for a period: earning lines add up to gross, deductions to `deducted`."""

    worker_id: str
    name: str
    currency: str
    period: Period
    lines: tuple[PayLine, ...]
    deductions: tuple[PayLine, ...] = ()

    @property
    def gross(self) -> Decimal:
        """The earning lines' total; with none, a zero written like the deductions ("0.00")."""
        if not self.lines and self.deductions:
            found = total(self.deductions)
            return ZERO.quantize(found) if found.is_finite() else ZERO
        return total(self.lines)

    @property
    def deducted(self) -> Decimal:
        """The deductions' total; with none, a zero written like the gross ("0.00")."""
        if not self.deductions:
            return ZERO.quantize(self.gross) if self.gross.is_finite() else ZERO
        return total(self.deductions)

    @property
    def net(self) -> Decimal:
        return self.gross - self.deducted

    def as_dict(self) -> dict[str, Any]:
        """The slip as docs/contract.md fixes it, extended with deductions and net pay."""
        return {
            "worker_id": self.worker_id,
            "name": self.name,
            "currency": self.currency,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "gross": format(self.gross, "f"),
            "lines": [line.as_dict() for line in self.lines],
            "deductions": [line.as_dict() for line in self.deductions],
            "total_deductions": format(self.deducted, "f"),
            "net": format(self.net, "f"),
        }


def canonical(slips: Iterable[PaySlip]) -> str:
    """The slips as one canonical JSON text: the same data always gives the same bytes."""
    documents = [s.as_dict() for s in sorted(slips, key=lambda s: s.worker_id)]
    return json.dumps(documents, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(slips: Iterable[PaySlip]) -> str:
    """SHA-256 of the canonical text: two closes of the same data print the same digest."""
    return hashlib.sha256(canonical(slips).encode("utf-8")).hexdigest()


class Digest:
    """The same digest taken slip by slip, for slips that come in worker order: a close that
    streams its slips never holds them all (the canonical text is the list's items joined)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(b"[")
        self._last: str | None = None

    def add(self, slip: PaySlip) -> None:
        if self._last is not None and slip.worker_id <= self._last:
            raise ValueError(f"slip {slip.worker_id} after {self._last}: not in worker order")
        text = json.dumps(slip.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._hash.update((text if self._last is None else "," + text).encode("utf-8"))
        self._last = slip.worker_id

    def hexdigest(self) -> str:
        final = self._hash.copy()
        final.update(b"]")
        return final.hexdigest()
