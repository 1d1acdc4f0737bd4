"""The methods registry: a worker's or a brigade's better way of doing an operation, how it was
judged, and what its authors earn when it changes a norm.

A method goes submitted -> under evaluation -> adopted or rejected; each step names who took
it, why and when, and nothing is taken back. An adopted method is the technical basis of a
norm revision. Its authors are rewarded from the revision, exactly: over the reward window (its
months from the day the revised norm takes effect), each unit of the operation produced earns
the standard hours the old norm gave it less those the new one gives, and

    reward = hours saved x tariff x share

rounded once to the currency's cents per pay period, and split among the authors in equal
parts by largest remainder, so that the parts add up to the reward to the cent.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.attribution import split_exact
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.norms import Norm
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import rounded
from stakhanov.domain.values import require_text
from stakhanov.domain.wording import say

CENT = Decimal("0.01")
BONUS_CODE = "method"


class MethodState(StrEnum):
    SUBMITTED = "submitted"
    UNDER_EVALUATION = "under evaluation"
    ADOPTED = "adopted"
    REJECTED = "rejected"


NEXT: dict[MethodState, tuple[MethodState, ...]] = {
    MethodState.SUBMITTED: (MethodState.UNDER_EVALUATION,),
    MethodState.UNDER_EVALUATION: (MethodState.ADOPTED, MethodState.REJECTED),
    MethodState.ADOPTED: (),
    MethodState.REJECTED: (),
}


@dataclass(frozen=True)
class Step:
    """One move of a method to a new state, with who, why and when."""

    state: MethodState
    by: str
    reason: str
    on: dt.date


@dataclass(frozen=True)
class Method:
    method_id: int
    operation: str
    title: str
    change: str
    """What changes in the operation."""
    evidence: str
    time_study: str | None
    authors: tuple[str, ...]
    brigade: str | None
    submitted_on: dt.date
    submitted_by: str
    steps: tuple[Step, ...] = ()

    @property
    def state(self) -> MethodState:
        return self.steps[-1].state if self.steps else MethodState.SUBMITTED

    def state_on(self, day: dt.date) -> MethodState:
        taken = [s for s in self.steps if s.on <= day]
        return taken[-1].state if taken else MethodState.SUBMITTED


def check_submission(operation: str, title: str, change: str, authors: tuple[str, ...]) -> None:
    require_text("operation", operation)
    require_text("title", title)
    require_text("change", change)
    if not authors:
        raise InvalidValue("authors", "", say("a method needs at least one author"))
    if len(set(authors)) != len(authors):
        raise InvalidValue("authors", ";".join(authors), say("an author is named twice"))


def check_step(method: Method, step: Step) -> None:
    """Refuse a step out of turn, unexplained, or dated before the last one."""
    if step.state not in NEXT[method.state]:
        allowed = " or ".join(s.value for s in NEXT[method.state]) or "nothing: it is decided"
        raise InvalidValue(
            "state",
            step.state.value,
            say(
                "a method %(value)s may go to %(allowed)s",
                value=method.state.value,
                allowed=allowed,
            ),
        )
    require_text("by", step.by)
    require_text("reason", step.reason)
    last = method.steps[-1].on if method.steps else method.submitted_on
    if step.on < last:
        raise InvalidValue(
            "on", step.on, say("is before the method's last step (%(last)s)", last=last)
        )


@dataclass(frozen=True)
class RewardTerms:
    """The authors' share of the savings, the hourly tariff that values an hour saved, and the
    months after the revised norm takes effect over which savings are shared."""

    share: Decimal
    tariff: Decimal
    currency: str
    months: int

    def __post_init__(self) -> None:
        if not Decimal(0) < self.share <= 1:
            raise InvalidValue("share", self.share, say("must be more than 0 and at most 1"))
        if not self.tariff > 0:
            raise InvalidValue("tariff", self.tariff, "must be more than 0")
        if not 1 <= self.months <= 120:
            raise InvalidValue("months", self.months, say("must be from 1 to 120"))
        require_text("currency", self.currency)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reward_window(effective_from: dt.date, months: int) -> Period:
    """From the day the revised norm takes effect to the day before `months` later."""
    return Period(effective_from, add_months(effective_from, months) - dt.timedelta(days=1))


def hours_saved(old: Norm, new: Norm, quantity: Decimal | Fraction) -> Fraction:
    """Standard hours the old norm gave the quantity less those the new norm gives it."""
    if old.operation != new.operation:
        raise InvalidValue(
            "operation", new.operation, say("is not %(operation)s", operation=old.operation)
        )
    return old.standard_hours(quantity) - new.standard_hours(quantity)


def reward(old: Norm, new: Norm, quantity: Decimal | Fraction, terms: RewardTerms) -> Decimal:
    """The authors' reward for a quantity, rounded once to the cent (never below zero)."""
    saved = max(hours_saved(old, new, quantity), Fraction(0))
    return rounded(saved * Fraction(terms.tariff) * Fraction(terms.share), CENT)


def shares(amount: Decimal, authors: tuple[str, ...]) -> dict[str, Decimal]:
    """Equal parts of a reward in cents that add up to it exactly (left-over cents to the
    authors first named)."""
    if not authors:
        raise InvalidValue("authors", "", say("a reward needs at least one author"))
    parts = split_exact(amount.quantize(CENT), [Decimal(1)] * len(authors))
    return dict(zip(authors, parts, strict=True))
