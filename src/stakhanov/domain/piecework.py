"""Piece rates and progressive tiers, computed exactly (as fractions) before any rounding.

The piece rate makes exactly 100% of the norm earn exactly the tariff: for an output norm it is
the hourly tariff x norm_hours / norm, for a time norm the tariff x standard minutes / 60. Tiers
are marginal: output above `above` % of the norm earns the piece rate x the tier's multiplier,
so pay is continuous and never falls as output rises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.norms import Norm
from stakhanov.domain.scales import Tier

ONE = Fraction(1)


def piece_rate(norm: Norm, tariff: Decimal) -> Fraction:
    """Money per unit of output, in the norm's unit (the norm's own rule, see Norm.piece_rate)."""
    return norm.piece_rate(tariff)


@dataclass(frozen=True)
class Bracket:
    """The part of a quantity that lies above one tier's threshold, and what it adds."""

    tier: Tier
    previous: Fraction  # the multiplier below this tier (1 below the first tier)
    threshold: Fraction  # the quantity at `above` % of the norm
    eligible: Fraction  # quantity above the threshold

    @property
    def step(self) -> Fraction:
        """What each eligible unit earns on top of the rate below: multiplier - previous."""
        return Fraction(self.tier.multiplier) - self.previous


def brackets(tiers: Sequence[Tier], quantity: Fraction, percent: Fraction) -> list[Bracket]:
    """The quantity above each tier that `percent` reaches.

    `quantity` is `percent` % of the norm, so the norm counted for tiers is quantity x 100 /
    percent: the stated norm for the stated percent, the crew's share of it for the fair one.
    """
    found = []
    previous = ONE
    for tier in tiers:
        above = Fraction(tier.above)
        if quantity > 0 and percent > above:
            threshold = quantity * above / percent
            found.append(Bracket(tier, previous, threshold, quantity - threshold))
        previous = Fraction(tier.multiplier)
    return found


def progressive_pay(
    rate: Fraction, tiers: Sequence[Tier], quantity: Fraction, percent: Fraction
) -> Fraction:
    """Exact pay for a quantity at a piece rate with marginal tiers selected by percent."""
    extra = sum((b.step * b.eligible for b in brackets(tiers, quantity, percent)), Fraction(0))
    return rate * (quantity + extra)
