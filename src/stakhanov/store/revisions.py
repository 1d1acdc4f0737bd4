"""Norm revisions as proposed (their evidence and the policy they are governed by, as JSON text)
and the decisions on each step: appended, never edited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select

from stakhanov.domain.governance import Decision, Verdict
from stakhanov.store.governance_tables import norm_revisions, revision_decisions
from stakhanov.store.ledger import now


@dataclass(frozen=True)
class StoredRevision:
    """A proposed revision as written, with its decisions in order."""

    revision_id: int
    operation: str
    basis: str
    base_from: dt.date
    proposed_on: dt.date
    proposed_by: str
    reason: str
    evidence: str  # the proposal's document, JSON
    policy: str  # the policy that governs it, JSON
    decisions: tuple[Decision, ...]
    effective_from: dt.date | None  # set by the decision that approved it


def revisions(connection: Connection, revision_id: int | None = None) -> list[StoredRevision]:
    """Every revision (or the one asked for) in the order it was proposed."""
    query = select(norm_revisions).order_by(norm_revisions.c.revision_id)
    if revision_id is not None:
        query = query.where(norm_revisions.c.revision_id == revision_id)
    rows = connection.execute(query).all()
    decisions: dict[int, list[Any]] = {}
    wanted = [r.revision_id for r in rows]
    if wanted:
        found = connection.execute(
            select(revision_decisions)
            .where(revision_decisions.c.revision_id.in_(wanted))
            .order_by(revision_decisions.c.decision_id)
        )
        for d in found:
            decisions.setdefault(d.revision_id, []).append(d)
    stored = []
    for row in rows:
        made = decisions.get(row.revision_id, [])
        stored.append(
            StoredRevision(
                revision_id=row.revision_id,
                operation=row.operation,
                basis=row.basis,
                base_from=row.base_from,
                proposed_on=row.proposed_on,
                proposed_by=row.proposed_by,
                reason=row.reason,
                evidence=row.evidence,
                policy=row.policy,
                decisions=tuple(
                    Decision(d.step, Verdict(d.verdict), d.decided_by, d.reason, d.decided_on)
                    for d in made
                ),
                effective_from=next((d.effective_from for d in made if d.effective_from), None),
            )
        )
    return stored


def write_revision(
    connection: Connection,
    *,
    operation: str,
    basis: str,
    base_from: dt.date,
    proposed_norm: Decimal,
    proposed_on: dt.date,
    proposed_by: str,
    reason: str,
    evidence: str,
    policy: str,
) -> int:
    """Write a proposed revision; returns its id."""
    result = connection.execute(
        insert(norm_revisions).values(
            operation=operation,
            basis=basis,
            base_from=base_from,
            proposed_norm=proposed_norm,
            proposed_on=proposed_on,
            proposed_by=proposed_by,
            reason=reason,
            evidence=evidence,
            policy=policy,
            written_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def write_decision(
    connection: Connection, revision_id: int, decision: Decision, effective_from: dt.date | None
) -> None:
    connection.execute(
        insert(revision_decisions).values(
            revision_id=revision_id,
            step=decision.step,
            verdict=decision.verdict.value,
            decided_by=decision.by,
            reason=decision.reason,
            decided_on=decision.on,
            effective_from=effective_from,
            written_at=now(),
        )
    )
