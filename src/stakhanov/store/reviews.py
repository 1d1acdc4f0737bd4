"""Auditors' reviews of findings: appended; the latest review of a finding counts."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from stakhanov.domain.audit import Decision, FindingKind, Review
from stakhanov.store.ledger import now
from stakhanov.store.review_tables import finding_reviews


def reviews(connection: Connection, shift_ids: set[str] | None = None) -> list[Review]:
    """Reviews (of these shifts' findings, or all) in the order they were made."""
    query = select(finding_reviews).order_by(finding_reviews.c.review_id)
    if shift_ids is not None:
        query = query.where(finding_reviews.c.shift_id.in_(sorted(shift_ids)))
    return [
        Review(
            FindingKind(r.kind),
            r.shift_id,
            r.operation,
            Decision(r.decision),
            r.reason,
            r.reviewer,
            r.finding_message,
        )
        for r in connection.execute(query)
    ]


def write(connection: Connection, review: Review) -> None:
    connection.execute(
        insert(finding_reviews).values(
            kind=review.kind.value,
            shift_id=review.shift_id,
            operation=review.operation,
            decision=review.decision.value,
            reason=review.reason,
            reviewer=review.reviewer,
            finding_message=review.finding_message,
            written_at=now(),
        )
    )
