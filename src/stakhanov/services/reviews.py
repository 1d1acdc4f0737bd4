"""Reviewing audit findings: an auditor explains or upholds each one, and the history is kept."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from stakhanov.domain.audit import (
    Decision,
    Finding,
    FindingKind,
    Review,
    audit,
    review_of,
)
from stakhanov.domain.errors import Refused
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.periods import Period
from stakhanov.domain.wording import say
from stakhanov.services import reports
from stakhanov.store import reviews as review_store


class ReviewRefused(Refused):
    """The review names no current finding, or gives no reason."""


@dataclass(frozen=True)
class ReviewedFinding:
    finding: Finding
    review: Review | None

    @property
    def status(self) -> str:
        return "open" if self.review is None else self.review.decision.value


def load_reviews(connection: Connection, shift_ids: set[str] | None = None) -> list[Review]:
    return review_store.reviews(connection, shift_ids)


def doubtful_results(
    connection: Connection, ledger: Ledger, period: Period
) -> frozenset[tuple[str, str, str]]:
    """(shift, operation, worker) of every result under an implausible finding of the period
    that is open or upheld: a figure the audit calls impossible and no auditor has explained."""
    found = [
        f
        for f in audit(ledger, period.start, period.end)
        if f.kind is FindingKind.IMPLAUSIBLE and f.operation is not None
    ]
    reviews = load_reviews(connection, {f.shift_id for f in found})
    doubtful: set[tuple[str, str, str]] = set()
    for finding in found:
        review = review_of(finding, reviews)
        if review is None or review.decision is Decision.UPHELD:
            assert finding.operation is not None
            doubtful |= {(finding.shift_id, finding.operation, w) for w in finding.worker_ids}
    return frozenset(doubtful)


def reviewed_findings(engine: Engine, period: Period) -> list[ReviewedFinding]:
    """Every finding of the period with its latest review, if any still applies."""
    found = reports.findings(engine, period)
    with engine.connect() as connection:
        reviews = load_reviews(connection, {f.shift_id for f in found})
    return [ReviewedFinding(f, review_of(f, reviews)) for f in found]


def _no_finding(
    kind: FindingKind, shift_id: str, operation: str | None, of_kind: list[Finding]
) -> str:
    message = _none_such(kind, shift_id, operation)
    operations = sorted(f.operation for f in of_kind if f.operation)
    if operations:
        return say(
            "%(message)s; give --operation, one of: %(operations)s",
            message=message,
            operations=", ".join(operations),
        )
    return message


def _none_such(kind: FindingKind, shift_id: str, operation: str | None) -> str:
    if operation:
        return say(
            "no %(kind)s finding on %(shift_id)s %(operation)s",
            kind=kind.value,
            shift_id=shift_id,
            operation=operation,
        )
    return say("no %(kind)s finding on %(shift_id)s", kind=kind.value, shift_id=shift_id)


def review(
    engine: Engine,
    kind: FindingKind,
    shift_id: str,
    operation: str | None,
    decision: Decision,
    reason: str,
    reviewer: str,
) -> ReviewedFinding:
    """Record a decision on a current finding; refuse one that does not exist."""
    if not reason.strip():
        raise ReviewRefused(say("a review needs a reason"), field="reason")
    with engine.connect() as connection:
        shift = reports.shift_date(connection, shift_id)
    if shift is None:
        raise ReviewRefused(say("unknown shift %(shift_id)r", shift_id=shift_id), field="shift_id")
    of_kind = [
        f
        for f in reports.findings(engine, Period(shift, shift))
        if f.kind == kind and f.shift_id == shift_id
    ]
    current = [f for f in of_kind if f.operation == operation]
    if not current and operation is None and len(of_kind) == 1:
        # The operation may be left out when the shift has one finding of this kind.
        current, operation = of_kind, of_kind[0].operation
    if not current:
        raise ReviewRefused(_no_finding(kind, shift_id, operation, of_kind), field="kind")
    finding = current[0]
    made = Review(kind, shift_id, operation, decision, reason.strip(), reviewer, finding.message)
    with engine.begin() as connection:
        review_store.write(connection, made)
    return ReviewedFinding(finding, made)


Target = tuple[FindingKind, str, str | None]


def review_many(
    engine: Engine, targets: list[Target], decision: Decision, reason: str, reviewer: str
) -> list[ReviewedFinding]:
    """One decision with one reason on many current findings, in one transaction: each is
    recorded as a single review would be; if any is not a current finding, none is."""
    if not reason.strip():
        raise ReviewRefused(say("a review needs a reason"), field="reason")
    if not targets:
        raise ReviewRefused(say("choose at least one finding"), field="findings")
    with engine.connect() as connection:
        dates = {s: reports.shift_date(connection, s) for s in {t[1] for t in targets}}
    unknown = sorted(s for s, d in dates.items() if d is None)
    if unknown:
        raise ReviewRefused(say("unknown shift %(shift)r", shift=unknown[0]), field="shift_id")
    known = [d for d in dates.values() if d is not None]
    current = {
        (f.kind, f.shift_id, f.operation): f
        for f in reports.findings(engine, Period(min(known), max(known)))
        if f.shift_id in dates
    }
    missing = [t for t in dict.fromkeys(targets) if t not in current]
    if missing:
        kind, shift_id, operation = missing[0]
        raise ReviewRefused(_none_such(kind, shift_id, operation), field="findings")
    done = []
    with engine.begin() as connection:
        for target in dict.fromkeys(targets):
            finding = current[target]
            made = Review(
                finding.kind,
                finding.shift_id,
                finding.operation,
                decision,
                reason.strip(),
                reviewer,
                finding.message,
            )
            review_store.write(connection, made)
            done.append(ReviewedFinding(finding, made))
    return done
