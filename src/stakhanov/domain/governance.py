"""The rules a norm revision goes through: notice, approval steps, caps, and mandated breaks.

A policy is configured per organisation (a TOML file, see docs/governance.md). The defaults follow
modern labour law: two months' notice (Russian Labour Code art. 162), the workers'
representatives' opinion before the director decides (art. 372), and no revision because of one
worker's own record (art. 160).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.values import require_places
from stakhanov.domain.wording import say

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Step:
    """One approval step; an advisory step's objection is recorded but does not stop anything."""

    role: str
    advisory: bool = False


@dataclass(frozen=True)
class BreakRule:
    """A shift longer than `longer_than_hours` must include at least `minutes` of breaks."""

    longer_than_hours: Decimal
    minutes: int


@dataclass(frozen=True)
class StatisticalRules:
    """Defaults for a statistical proposal; each may be overridden on the command line."""

    percentile: Decimal = Decimal(50)
    target_percent: Decimal = HUNDRED
    record_fence: Decimal = Decimal("1.5")
    record_min_spread: Decimal = Decimal(10)
    window_days: int = 90
    precision: Decimal = Decimal("0.01")

    def __post_init__(self) -> None:
        # A proposed norm is rounded to `precision` and stored at six decimals at most.
        if self.precision <= 0:
            raise InvalidValue("precision", self.precision, "must be more than 0")
        require_places("precision", self.precision)


@dataclass(frozen=True)
class Validation:
    """Modern practice: experienced workers should average 85-100% of a new standard."""

    experienced_shifts: int = 5
    low: Decimal = Decimal(85)
    high: Decimal = HUNDRED


DEFAULT_STEPS = (Step("rate-setter"), Step("representatives", advisory=True), Step("director"))
DEFAULT_BREAKS = (BreakRule(Decimal(6), 30), BreakRule(Decimal(9), 45))


@dataclass(frozen=True)
class Policy:
    notice_days: int = 60
    steps: tuple[Step, ...] = DEFAULT_STEPS
    max_raise_percent: Decimal = Decimal(10)
    min_interval_days: int = 180
    standard_shift_hours: Decimal = Decimal(8)
    breaks: tuple[BreakRule, ...] = DEFAULT_BREAKS
    statistical: StatisticalRules = field(default_factory=StatisticalRules)
    validation: Validation = field(default_factory=Validation)

    def __post_init__(self) -> None:
        if self.notice_days < 0:
            raise InvalidValue("notice_days", self.notice_days, "must not be negative")
        if self.min_interval_days < 0:
            raise InvalidValue("min_interval_days", self.min_interval_days, "must not be negative")
        if not self.steps:
            raise InvalidValue("steps", "[]", say("at least one approval step is needed"))
        roles = [s.role for s in self.steps]
        if len(set(roles)) != len(roles):
            raise InvalidValue("steps", roles, say("each role may appear once"))
        if self.steps[-1].advisory:
            raise InvalidValue(
                "steps", roles[-1], say("the last step decides and cannot be advisory")
            )
        if self.max_raise_percent < 0:
            raise InvalidValue("max_raise_percent", self.max_raise_percent, "must not be negative")

    def break_minutes(self, shift_hours: Decimal) -> int:
        """The mandated break in a shift of this length: the largest rule that applies."""
        return max((r.minutes for r in self.breaks if shift_hours > r.longer_than_hours), default=0)

    def step(self, role: str) -> Step:
        for step in self.steps:
            if step.role == role:
                return step
        raise InvalidValue(
            "step", role, say("is not a step of the policy (%(roles)s)", roles=self.roles)
        )

    @property
    def roles(self) -> str:
        return ", ".join(s.role for s in self.steps)


_TOP = {
    "notice_days",
    "steps",
    "max_raise_percent",
    "min_interval_days",
    "standard_shift_hours",
    "breaks",
    "statistical",
    "validation",
}


def _unknown(section: str, given: Mapping[str, Any], known: set[str]) -> None:
    extra = sorted(set(given) - known)
    if extra:
        reason = (
            say(
                "unknown key [%(section)s] (known: %(known)s)", section=section, known=sorted(known)
            )
            if section
            else say("unknown key (known: %(known)s)", known=sorted(known))
        )
        raise InvalidValue(extra[0], given[extra[0]], reason)


def _decimal(name: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidValue(name, value, say("must be a number written as a string or an integer"))
    try:
        number = Decimal(value)
    except InvalidOperation as err:
        raise InvalidValue(name, value, "is not a number") from err
    if not number.is_finite():
        raise InvalidValue(name, value, "is not a finite number")
    return number


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(name, value, say("must be a whole number"))
    return value


def _table(name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidValue(name, value, say("must be a table"))
    return value


def policy_from(data: Mapping[str, Any]) -> Policy:
    """Build a policy from a parsed TOML document; unknown keys are an error."""
    _unknown("", data, _TOP)
    kwargs: dict[str, Any] = {}
    for name in ("notice_days", "min_interval_days"):
        if name in data:
            kwargs[name] = _int(name, data[name])
    for name in ("max_raise_percent", "standard_shift_hours"):
        if name in data:
            kwargs[name] = _decimal(name, data[name])
    if "steps" in data:
        steps = []
        for item in data["steps"]:
            table = _table("steps", item)
            _unknown("steps", table, {"role", "advisory"})
            role = table.get("role")
            if not isinstance(role, str) or not role.strip():
                raise InvalidValue("role", role, say("each step needs a role"))
            steps.append(Step(role.strip(), bool(table.get("advisory", False))))
        kwargs["steps"] = tuple(steps)
    if "breaks" in data:
        rules = []
        for item in data["breaks"]:
            table = _table("breaks", item)
            _unknown("breaks", table, {"longer_than_hours", "minutes"})
            rules.append(
                BreakRule(
                    _decimal("longer_than_hours", table.get("longer_than_hours")),
                    _int("minutes", table.get("minutes")),
                )
            )
        kwargs["breaks"] = tuple(rules)
    if "statistical" in data:
        table = _table("statistical", data["statistical"])
        _unknown("statistical", table, set(StatisticalRules.__dataclass_fields__))
        values: dict[str, Any] = {
            k: (_int(k, v) if k == "window_days" else _decimal(k, v)) for k, v in table.items()
        }
        kwargs["statistical"] = StatisticalRules(**values)
    if "validation" in data:
        table = _table("validation", data["validation"])
        _unknown("validation", table, set(Validation.__dataclass_fields__))
        values = {
            k: (_int(k, v) if k == "experienced_shifts" else _decimal(k, v))
            for k, v in table.items()
        }
        kwargs["validation"] = Validation(**values)
    return Policy(**kwargs)


def policy_dict(policy: Policy) -> dict[str, Any]:
    """The policy as plain data (the inverse of policy_from), kept with every proposal."""
    return {
        "notice_days": policy.notice_days,
        "max_raise_percent": str(policy.max_raise_percent),
        "min_interval_days": policy.min_interval_days,
        "standard_shift_hours": str(policy.standard_shift_hours),
        "steps": [{"role": s.role, "advisory": s.advisory} for s in policy.steps],
        "breaks": [
            {"longer_than_hours": str(b.longer_than_hours), "minutes": b.minutes}
            for b in policy.breaks
        ],
        "statistical": {
            k: (v if isinstance(v, int) else str(v)) for k, v in vars(policy.statistical).items()
        },
        "validation": {
            k: (v if isinstance(v, int) else str(v)) for k, v in vars(policy.validation).items()
        },
    }


class Verdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"  # at an advisory step: the representatives object
    WITHDRAW = "withdraw"


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Decision:
    """One decision on a revision: who, at which step, what, why and on which date."""

    step: str
    verdict: Verdict
    by: str
    reason: str
    on: dt.date


@dataclass(frozen=True)
class Progress:
    status: Status
    next_step: Step | None
    decided_on: dt.date | None
    """The date of the decision that closed the revision (for an approval: its announcement)."""


def progress(policy: Policy, decisions: Sequence[Decision]) -> Progress:
    """Where a revision stands after its decisions, which are in the order they were made."""
    index = 0
    for decision in decisions:
        if decision.verdict is Verdict.WITHDRAW:
            return Progress(Status.WITHDRAWN, None, decision.on)
        step = policy.steps[index]
        if decision.verdict is Verdict.REJECT and not step.advisory:
            return Progress(Status.REJECTED, None, decision.on)
        index += 1
        if index == len(policy.steps):
            return Progress(Status.APPROVED, None, decision.on)
    return Progress(Status.PENDING, policy.steps[index], None)


def check_decision(
    policy: Policy, decisions: Sequence[Decision], new: Decision, proposed_on: dt.date
) -> None:
    """Refuse a decision out of turn, without a reason, or dated before what it follows."""
    state = progress(policy, decisions)
    if state.status is not Status.PENDING:
        raise InvalidValue("revision", state.status.value, say("is closed; no further decisions"))
    if not new.reason.strip():
        raise InvalidValue("reason", new.reason, say("every decision needs a reason"))
    if not new.by.strip():
        raise InvalidValue("by", new.by, say("every decision names who made it"))
    earliest = max([proposed_on, *(d.on for d in decisions)])
    if new.on < earliest:
        raise InvalidValue(
            "on", new.on, say("is before the previous step (%(earliest)s)", earliest=earliest)
        )
    if new.verdict is Verdict.WITHDRAW:
        return
    assert state.next_step is not None
    if new.step != state.next_step.role:
        raise InvalidValue(
            "step",
            new.step,
            say(
                "the next step is %(role)s (order: %(roles)s)",
                role=state.next_step.role,
                roles=policy.roles,
            ),
        )


def effective_date(policy: Policy, announced_on: dt.date, previous_from: dt.date | None) -> dt.date:
    """Announcement plus notice, postponed until the minimum interval since the last version."""
    earliest = announced_on + dt.timedelta(days=policy.notice_days)
    if previous_from is not None:
        earliest = max(earliest, previous_from + dt.timedelta(days=policy.min_interval_days))
    return earliest
