"""A worker's sign-off of the day's counts: each shift of the day confirmed or disputed.

A sign-off is never edited: a later one for the same shift supersedes an earlier one, and both
are kept. It names what the worker saw (`seen`, his credits on the shift as text), so a shift
corrected after he confirmed it shows as unconfirmed again instead of silently confirmed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class State(StrEnum):
    """What the foreman and the auditor see of one worker's part in one shift."""

    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    UNCONFIRMED = "unconfirmed"  # never signed, or signed before the shift was corrected


@dataclass(frozen=True)
class SignOff:
    signoff_id: int
    worker_id: str
    shift_id: str
    day: dt.date
    verdict: Verdict
    seen: str
    reason: str | None
    dispute_id: int | None
    signed_by: str
    signed_at: dt.datetime


@dataclass(frozen=True)
class Credit:
    """One line of a worker's part in a shift, as he is asked to sign it."""

    operation: str
    hours: Decimal
    credited: Decimal | None
    unit: str | None


def seen_text(credits: Iterable[Credit]) -> str:
    """The credits as one canonical line: the same counts always give the same text."""
    parts = sorted(
        f"{c.operation} {c.hours.normalize():f} h"
        + (f" {c.credited.normalize():f} {c.unit or ''}".rstrip() if c.credited is not None else "")
        for c in credits
    )
    return "; ".join(parts)


def state_of(latest: SignOff | None, seen_now: str) -> State:
    """Confirmed or disputed only for the counts the worker saw; otherwise unconfirmed."""
    if latest is None or latest.seen != seen_now:
        return State.UNCONFIRMED
    return State(latest.verdict.value)
