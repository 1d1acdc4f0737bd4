"""The UK fair piece rate for rated output work (National Minimum Wage Regulations 2015, regs
36 to 43): the figures of the check, exact.

An employer who pays output work by the piece instead of for every hour worked must pay at
least the fair rate: the minimum wage ÷ the mean hourly output of the workforce doing the task,
× 1.2, so that a worker 20% slower than the average still earns the minimum wage. Each piece
then counts as 1.2 × the time the average worker takes for it: the hours treated as worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.rounding import rounded
from stakhanov.domain.wording import say

UPLIFT = Fraction(6, 5)  # 120%: the assessed speed is the average worker's, 20% slower


def mean_hourly_output(output: Fraction | Decimal, hours: Fraction | Decimal) -> Fraction:
    """The workforce's output per hour worked on the task: total pieces ÷ total hours."""
    if hours <= 0:
        raise InvalidValue("hours", hours, say("the mean hourly output needs hours worked"))
    if output <= 0:
        raise InvalidValue("output", output, say("the mean hourly output needs output"))
    return Fraction(output) / Fraction(hours)


def fair_piece_rate(minimum_wage: Decimal, mean_output: Fraction) -> Fraction:
    """The least rate per piece: 1.2 × the minimum hourly wage ÷ the mean hourly output."""
    return UPLIFT * Fraction(minimum_wage) / mean_output


def hours_treated_as_worked(pieces: Fraction | Decimal, mean_output: Fraction) -> Fraction:
    """Hours the regulations count for pieces: 1.2 × the average worker's time for them."""
    return UPLIFT * Fraction(pieces) / mean_output


def least_payable(rate: Fraction, minor_unit: Decimal) -> Decimal:
    """The fair rate as money can pay it: rounded up to the minor unit, never below."""
    return rounded(rate, minor_unit, ROUND_CEILING)


@dataclass(frozen=True)
class RateCheck:
    """A rate paid per piece against the fair rate."""

    rate: Decimal
    fair: Fraction

    @property
    def fair_enough(self) -> bool:
        return Fraction(self.rate) >= self.fair

    @property
    def shortfall(self) -> Fraction:
        """What each piece lacks (0 when the rate is fair)."""
        return max(self.fair - Fraction(self.rate), Fraction(0))
