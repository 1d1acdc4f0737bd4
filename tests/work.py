"""Tallies of ordinary work built by hand, for tests of titles, boards and mentoring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.fulfilment import Result
from stakhanov.domain.performance import Tally, Work


def works(
    stated: str,
    shifts: int = 20,
    fair: str | None = None,
    rejected: str = "0",
    checked: bool = False,
    worker: str = "W",
) -> list[Work]:
    """`shifts` results of 6 h hewing (7 t norm) at a stated (and fair) percentage, each with
    `rejected` standard hours of rejected output."""
    found = []
    for day in range(1, shifts + 1):
        earned = Fraction(stated) * 6 / 100
        fair_earned = earned if fair is None else Fraction(fair) * 6 / 100
        result = Result(
            f"S{day}-{worker}",
            dt.date(1935, 9, day),
            worker,
            "hewing",
            Decimal(6),
            Decimal(stated) * 6 / 100 * 7 / 6,
            "t",
            Fraction(7),
            earned,
            fair_earned,
        )
        found.append(Work(result, Fraction(rejected), checked=checked))
    return found


def tally(stated: str, shifts: int = 20, **extra: object) -> Tally:
    total = Tally()
    for work in works(stated, shifts, **extra):  # type: ignore[arg-type]
        total.add(work)
    return total
