"""Titles: rules that propose them, gates that bar them, and their history once conferred.

Every rule sees fair fulfilment on ordinary shifts only (never the stated figure, never a
prepared record shift). Every title, by rule or by authority, is gated on safety and quality:
a recorded incident or a high reject share in the period bars it. A conferred title is valid
for its rule's months from the day after the period, can be revoked with a reason, and the
revocation can be appealed; the history is never edited.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.expressions import (
    Call,
    Environment,
    ExpressionError,
    Name,
    Node,
    Number,
    Value,
    Vocabulary,
    evaluate,
    references,
    show,
)
from stakhanov.domain.honour import HonourRules
from stakhanov.domain.incidents import Incident
from stakhanov.domain.performance import Tally
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import as_decimal, percent
from stakhanov.domain.scopes import Organisation

VOCABULARY = Vocabulary(
    variables=frozenset(
        {
            "shifts",
            "hours",
            "fair_percent",
            "reject_share",
            "quality_checked",
            "incidents",
            "verified_records",
            "assisted_records",
            "innovations",
            "apprentices",
            "courses_passed",
            "courses_taught",
        }
    ),
    functions={"share_at_least": 1, "holds": 1},
)


class AwardKind(StrEnum):
    MONEY = "money"
    IN_KIND = "in-kind"


@dataclass(frozen=True)
class AwardTerms:
    """What an award gives: money (amount and currency) or something in kind (described)."""

    kind: AwardKind
    amount: Decimal | None = None
    currency: str | None = None
    description: str | None = None

    def __str__(self) -> str:
        if self.kind is AwardKind.MONEY:
            return f"{self.amount} {self.currency}"
        return self.description or "in kind"


@dataclass(frozen=True)
class TitleRule:
    """A title and how it is earned: by an expression over the period's facts, or by an
    authority (no expression)."""

    code: str
    name: str
    when: Node | None = None
    valid_months: int | None = None
    award: AwardTerms | None = None
    description: str | None = None

    @property
    def by_authority(self) -> bool:
        return self.when is None


@dataclass(frozen=True)
class Gates:
    """Safety and quality: a worker over these in the period is not eligible for any title."""

    max_reject_share: Decimal = Decimal(5)
    severities: tuple[str, ...] = ()  # empty: every incident bars


@dataclass(frozen=True)
class Rulebook:
    name: str
    version: int
    titles: tuple[TitleRule, ...]
    gates: Gates = field(default_factory=Gates)
    organisation: Organisation = field(default_factory=Organisation)
    record_awards: Mapping[str, AwardTerms] = field(default_factory=dict)
    honour: HonourRules = field(default_factory=HonourRules)

    def rule(self, code: str) -> TitleRule | None:
        return next((r for r in self.titles if r.code == code), None)


@dataclass(frozen=True)
class Facts:
    """What the rules may know of one worker over the period."""

    worker_id: str
    tally: Tally
    incidents: tuple[Incident, ...] = ()
    verified_records: int = 0
    assisted_records: int = 0
    innovations: int = 0
    apprentices: int = 0
    held: frozenset[str] = frozenset()
    courses_passed: int = 0
    """Course examinations passed in the period (the skills registry)."""
    courses_taught: int = 0
    """Courses the worker taught a session of in the period."""


def gate(facts: Facts, gates: Gates) -> list[str]:
    """Why the worker may hold no title for the period; empty if eligible."""
    reasons = []
    for incident in facts.incidents:
        if not gates.severities or incident.severity in gates.severities:
            reasons.append(
                f"safety incident {incident.incident_id} on {incident.date} ({incident.severity})"
            )
    share = facts.tally.reject_share
    if share > Fraction(gates.max_reject_share):
        reasons.append(f"rejected {percent(share)}% of output (at most {gates.max_reject_share}%)")
    return reasons


def _environment(facts: Facts, proposed: set[str]) -> Environment:
    tally = facts.tally
    variables: dict[str, Value] = {
        "shifts": Decimal(tally.shifts),
        "hours": tally.hours,
        # The rule language computes in Decimal: exact figures enter it exactly where they
        # terminate (120% is 120), else to 28 digits.
        "fair_percent": as_decimal(tally.fair_percent or Fraction(0)),
        "reject_share": as_decimal(tally.reject_share),
        "quality_checked": Decimal(tally.checked),
        "incidents": Decimal(len(facts.incidents)),
        "verified_records": Decimal(facts.verified_records),
        "assisted_records": Decimal(facts.assisted_records),
        "innovations": Decimal(facts.innovations),
        "apprentices": Decimal(facts.apprentices),
        "courses_passed": Decimal(facts.courses_passed),
        "courses_taught": Decimal(facts.courses_taught),
    }

    def share_at_least(percent: Value) -> Value:
        if not isinstance(percent, Decimal):
            raise ExpressionError("share_at_least() needs a number")
        return as_decimal(tally.share_at_least(percent))

    def holds(code: Value) -> Value:
        return code in facts.held or code in proposed

    return Environment(variables, {"share_at_least": share_at_least, "holds": holds})


def _evidence(node: Node, env: Environment) -> dict[str, object]:
    found: dict[str, object] = {}
    for ref in references(node):
        value = evaluate(ref, env)
        shown: object = value
        if isinstance(value, Decimal) and value != value.to_integral():
            shown = percent(value)  # a whole number stays as the rule computed it
        found[ref.name if isinstance(ref, Name) else show(ref)] = shown
    return found


def thresholds(rulebook: Rulebook) -> frozenset[Fraction] | None:
    """Every percentage the rulebook's rules pass to share_at_least, known before any facts
    are: then a tally need only count the results reaching each. None where a rule passes
    anything but a number (the tallies must then list every result's percentage)."""
    found: set[Fraction] = set()
    for rule in rulebook.titles:
        if rule.when is None:
            continue
        for ref in references(rule.when):
            if not isinstance(ref, Call) or ref.name != "share_at_least":
                continue
            if len(ref.args) != 1 or not isinstance(ref.args[0], Number):
                return None
            found.add(Fraction(ref.args[0].value))
    return frozenset(found)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity(rule: TitleRule, start: dt.date) -> tuple[dt.date, dt.date | None]:
    """From the given day for the rule's months (to the day before), or for good."""
    if rule.valid_months is None:
        return start, None
    return start, add_months(start, rule.valid_months) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Proposal:
    worker_id: str
    rule: TitleRule
    valid_from: dt.date
    valid_to: dt.date | None
    evidence: Mapping[str, object]


@dataclass(frozen=True)
class Exclusion:
    worker_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    period: Period
    rulebook: Rulebook
    proposals: tuple[Proposal, ...]
    exclusions: tuple[Exclusion, ...]


def evaluate_titles(rulebook: Rulebook, period: Period, workers: Iterable[Facts]) -> Evaluation:
    """Propose every rule-based title each eligible worker earned in the period.

    Rules run in the rulebook's order, so `holds()` sees titles proposed by earlier rules.
    A title the worker already holds on the first day of the new validity is not proposed.
    """
    start = period.end + dt.timedelta(days=1)
    proposals: list[Proposal] = []
    exclusions: list[Exclusion] = []
    for facts in sorted(workers, key=lambda f: f.worker_id):
        barred = gate(facts, rulebook.gates)
        if barred:
            exclusions.append(Exclusion(facts.worker_id, tuple(barred)))
            continue
        proposed: set[str] = set()
        env = _environment(facts, proposed)
        for rule in rulebook.titles:
            if rule.when is None or evaluate(rule.when, env) is not True:
                continue
            proposed.add(rule.code)
            if rule.code in facts.held:
                continue
            valid_from, valid_to = validity(rule, start)
            proposals.append(
                Proposal(facts.worker_id, rule, valid_from, valid_to, _evidence(rule.when, env))
            )
    return Evaluation(period, rulebook, tuple(proposals), tuple(exclusions))


# --- a conferred title's history ----------------------------------------------------------------


class TitleEventKind(StrEnum):
    REVOKED = "revoked"
    APPEALED = "appealed"
    REINSTATED = "reinstated"
    APPEAL_DISMISSED = "appeal-dismissed"


class TitleState(StrEnum):
    HELD = "held"
    REVOKED = "revoked"
    UNDER_APPEAL = "under appeal"


@dataclass(frozen=True)
class TitleEvent:
    kind: TitleEventKind
    date: dt.date
    reason: str
    by: str


_NEXT: dict[tuple[TitleState, TitleEventKind], TitleState] = {
    (TitleState.HELD, TitleEventKind.REVOKED): TitleState.REVOKED,
    (TitleState.REVOKED, TitleEventKind.APPEALED): TitleState.UNDER_APPEAL,
    (TitleState.UNDER_APPEAL, TitleEventKind.REINSTATED): TitleState.HELD,
    (TitleState.UNDER_APPEAL, TitleEventKind.APPEAL_DISMISSED): TitleState.REVOKED,
}


STATE_AFTER: dict[TitleEventKind, TitleState] = {kind: to for (_, kind), to in _NEXT.items()}
"""Each kind of event leads to one state whatever came before, so a title's last event tells
its state (a store reads it so); tests/unit check that no two transitions disagree."""


def state_of(events: Iterable[TitleEvent]) -> TitleState:
    state = TitleState.HELD
    for event in events:
        state = _NEXT[(state, event.kind)]
    return state


def refusal(events: list[TitleEvent], kind: TitleEventKind) -> str | None:
    """Why this event cannot follow the history, or None if it can.

    A revocation may be appealed once; a dismissed appeal leaves the title revoked.
    """
    state = state_of(events)
    if (state, kind) not in _NEXT:
        return f"cannot record '{kind.value}' on a title that is {state.value}"
    if kind is TitleEventKind.APPEALED and events and events[-1].kind is not TitleEventKind.REVOKED:
        return "this revocation was already appealed and the appeal dismissed"
    return None


def valid_on(
    day: dt.date, valid_from: dt.date, valid_to: dt.date | None, events: Iterable[TitleEvent]
) -> bool:
    """Within its validity and held on that day, as the history stood then."""
    if day < valid_from or (valid_to is not None and day > valid_to):
        return False
    return state_of(e for e in events if e.date <= day) is TitleState.HELD
