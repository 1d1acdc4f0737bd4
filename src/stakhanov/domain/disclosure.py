"""Written quota disclosure: what a norm asks of a worker per hour and per shift, breaks included.

Shift hours in the ledger are time at work, mandated breaks included. A norm fits a shift when
a worker at standard pace meets it in the working time left after the breaks, with the norm's
own allowances (recorded in its provenance; none when not recorded):

    pace needed = shift hours / (working hours x (1 + allowances / 100))

A norm whose pace needed is above 100% cannot be met within the shift net of mandated breaks and
is flagged. If it also needs more than the norm's `max_rate` per working hour, it cannot be met
at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.governance import Policy
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.provenance import Provenance
from stakhanov.domain.rounding import percent, rounded

MINUTES = 60
THOUSANDTH = Decimal("0.001")


@dataclass(frozen=True)
class BreakFit:
    norm: Norm
    shift_hours: Decimal
    break_minutes: int
    allowances: Decimal

    @property
    def working_hours(self) -> Fraction:
        return Fraction(self.shift_hours) - Fraction(self.break_minutes, MINUTES)

    @property
    def shift_output(self) -> Fraction:
        """What meeting the norm takes in the whole shift."""
        return self.norm.norm_output(self.shift_hours)

    @property
    def per_working_hour(self) -> Fraction:
        return self.shift_output / self.working_hours

    @property
    def _paced_hours(self) -> Fraction:
        """Working hours at standard pace, with the norm's allowances."""
        return self.working_hours * (1 + Fraction(self.allowances) / 100)

    @property
    def pace(self) -> Decimal:
        """Pace needed during working time, in percent of the norm's standard pace."""
        return percent(Fraction(self.shift_hours) / self._paced_hours * 100)

    @property
    def fits(self) -> bool:
        """Standard pace meets the norm in the working time: exactly, not the rounded pace."""
        return self.working_hours > 0 and self.shift_hours <= self._paced_hours

    @property
    def impossible(self) -> bool:
        """Needs more than the physical maximum per working hour, or leaves no working time."""
        if self.working_hours <= 0:
            return True
        most = self.norm.max_rate
        return most is not None and self.per_working_hour > Fraction(most)

    def explain(self) -> str:
        unit = self.norm.unit
        text = (
            f"shift of {plain(self.shift_hours)} h: {plain(self.shift_output)} {unit}"
            f" with {self.break_minutes} min of mandated breaks, "
            f"{plain(self.per_working_hour)} {unit} per working hour"
        )
        if self.impossible:
            return text + " — CANNOT BE MET: more than the physical maximum or no working time"
        if not self.fits:
            return text + f" — DOES NOT FIT THE BREAKS: needs {self.pace}% pace while working"
        return text + f" (pace {self.pace}% while working)"


def break_fit(
    norm: Norm, shift_hours: Decimal, policy: Policy, provenance: Provenance | None
) -> BreakFit:
    allowances = provenance.allowances if provenance and provenance.allowances else Decimal(0)
    return BreakFit(norm, shift_hours, policy.break_minutes(shift_hours), allowances)


def norm_text(norm: Norm) -> str:
    """The norm as a worker reads it: '7 t per 6 h' or '3 min per part'."""
    if norm.kind is NormKind.OUTPUT:
        assert norm.norm_hours is not None
        return f"{plain(norm.norm)} {norm.unit} per {plain(norm.norm_hours)} h"
    return f"{plain(norm.norm)} standard minutes per {norm.unit}"


def plain(value: Decimal | Fraction) -> str:
    """A figure for a worker to read: half-up to three decimals, without trailing zeros."""
    text = format(rounded(value, THOUSANDTH), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
