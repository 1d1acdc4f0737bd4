"""The audit: every shift whose result is not simply one's own work under standard conditions.

Each check is a small function over crew groups, in the manner of a ledger plugin; findings are
values, collected over the whole period and sorted for stable output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.attribution import CrewGroup, crew_groups
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.rounding import rounded

HUNDREDTH = Decimal("0.01")


class FindingKind(StrEnum):
    ASSISTED = "assisted"
    POOLED = "pooled"
    IMPLAUSIBLE = "implausible"
    PREPARED = "prepared"
    UNCREDITED = "uncredited"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    shift_id: str
    operation: str | None
    worker_ids: tuple[str, ...]
    message: str
    date: dt.date | None = None


def _sorted_unique(ids: Iterable[str]) -> list[str]:
    return sorted(set(ids))


def assisted(group: CrewGroup) -> Iterable[Finding]:
    if not group.assisted:
        return
    doers = _sorted_unique(c.worker_id for c in group.doers)
    helpers = [w for w in _sorted_unique(h.worker_id for h in group.helpers) if w not in doers]
    work = ", ".join(
        f"{h.worker_id} {h.operation} {h.hours} h"
        for h in sorted(group.helpers, key=lambda h: (h.worker_id, h.operation))
    )
    yield Finding(
        FindingKind.ASSISTED,
        group.shift.shift_id,
        group.operation,
        (*doers, *helpers),
        f"{group.operation} result contains helpers' work ({work}); "
        f"fair fulfilment counts the crew's {group.crew_hours} h",
        group.shift.date,
    )


def pooled(group: CrewGroup) -> Iterable[Finding]:
    beneficiaries, donors = group.pooling()
    if not beneficiaries:
        return
    yield Finding(
        FindingKind.POOLED,
        group.shift.shift_id,
        group.operation,
        (*_sorted_unique(beneficiaries), *_sorted_unique(donors)),
        f"output pooled onto {', '.join(sorted(beneficiaries))}: "
        f"{', '.join(sorted(donors))} credited under a tenth of their hours share",
        group.shift.date,
    )


def implausible(group: CrewGroup) -> Iterable[Finding]:
    norm = group.norm
    if norm is None or norm.max_rate is None:
        return
    factor = conversion_factor(group.output.unit, norm.unit)
    # Output over hours above the maximum, compared without dividing: exact in Decimal.
    over = [c for c in group.doers if c.quantity * factor > norm.max_rate * c.hours]
    if not over:
        return
    rates = ", ".join(
        f"{c.worker_id} {_rate(c.quantity * factor, c.hours)} {norm.unit}/h" for c in over
    )
    yield Finding(
        FindingKind.IMPLAUSIBLE,
        group.shift.shift_id,
        group.operation,
        tuple(_sorted_unique(c.worker_id for c in over)),
        f"credited output per hour above the physical maximum of {norm.max_rate} "
        f"{norm.unit}/h: {rates}",
        group.shift.date,
    )


def _rate(output: Decimal, hours: Decimal) -> Decimal:
    return rounded(Fraction(output) / Fraction(hours), HUNDREDTH)


def prepared(group: CrewGroup) -> Iterable[Finding]:
    if not group.shift.prepared:
        return
    note = f": {group.shift.note}" if group.shift.note else ""
    yield Finding(
        FindingKind.PREPARED,
        group.shift.shift_id,
        group.operation,
        tuple(
            _sorted_unique(
                [c.worker_id for c in group.doers] + [h.worker_id for h in group.helpers]
            )
        ),
        f"shift run under prepared conditions{note}; kept out of norm statistics",
        group.shift.date,
    )


def uncredited(group: CrewGroup) -> Iterable[Finding]:
    if group.doers:
        return
    yield Finding(
        FindingKind.UNCREDITED,
        group.shift.shift_id,
        group.operation,
        (),
        f"{group.output.quantity} {group.output.unit} measured but credited to no one",
        group.shift.date,
    )


CHECKS: tuple[Callable[[CrewGroup], Iterable[Finding]], ...] = (
    assisted,
    pooled,
    implausible,
    prepared,
    uncredited,
)


def audit(ledger: Ledger, start: dt.date, end: dt.date) -> list[Finding]:
    """All findings for shifts in [start, end], in date, shift, operation and check order."""
    findings: list[Finding] = []
    for shift in ledger.shifts_between(start, end):
        groups = crew_groups(ledger, shift)
        for check in CHECKS:
            for group in groups:
                findings.extend(check(group))
        if shift.prepared and not groups:
            findings.append(
                Finding(
                    FindingKind.PREPARED,
                    shift.shift_id,
                    None,
                    tuple(_sorted_unique(e.worker_id for e in ledger.crew_of(shift.shift_id))),
                    "shift run under prepared conditions; no output measured yet",
                    shift.date,
                )
            )
    order = {kind: i for i, kind in enumerate(FindingKind)}
    findings.sort(
        key=lambda f: (f.date or dt.date.min, f.shift_id, f.operation or "", order[f.kind])
    )
    return findings


class Decision(StrEnum):
    """An auditor's decision on a finding."""

    # The data are right as they stand (e.g. a high rate witnessed and measured).
    EXPLAINED = "explained"
    # The finding stands: the result is not what it claims to be.
    UPHELD = "upheld"


@dataclass(frozen=True)
class Review:
    kind: FindingKind
    shift_id: str
    operation: str | None
    decision: Decision
    reason: str
    reviewer: str
    finding_message: str

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.kind.value, self.shift_id, self.operation)


def finding_key(finding: Finding) -> tuple[str, str, str | None]:
    return (finding.kind.value, finding.shift_id, finding.operation)


def review_of(finding: Finding, reviews: Iterable[Review]) -> Review | None:
    """The latest review of exactly this finding; a review of different facts does not count.

    If the ledger is corrected after a review, the finding's message changes and it is open again.
    """
    latest = None
    for review in reviews:
        if review.key == finding_key(finding) and review.finding_message == finding.message:
            latest = review
    return latest
