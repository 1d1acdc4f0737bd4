"""Record claims, their crews and the auditors' decisions: read whole, appended, never edited."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from stakhanov.domain.records import Claim, ClaimDecision, ClaimStatus, CrewMember
from stakhanov.domain.shifts import Conditions
from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import claim_crew, claim_decisions, record_claims

WITNESS_SEPARATOR = "\n"


def _claim(row: Row[Any], crew: list[CrewMember]) -> Claim:
    return Claim(
        claim_id=row.claim_id,
        worker_id=row.worker_id,
        operation=row.operation,
        date=row.date,
        shift_id=row.shift_id,
        pre_registered=bool(row.pre_registered),
        declared=bool(row.declared),
        conditions=Conditions(row.conditions),
        crew=tuple(crew),
        resources=row.resources,
        witnesses=tuple(row.witnesses.split(WITNESS_SEPARATOR)) if row.witnesses else (),
        registered_by=row.registered_by,
        note=row.note,
    )


def claims(connection: Connection) -> list[Claim]:
    """Every claim in the order it was written, with its crew."""
    crews: dict[str, list[CrewMember]] = defaultdict(list)
    for row in connection.execute(select(claim_crew).order_by(claim_crew.c.member_id)):
        crews[row.claim_id].append(CrewMember(row.worker_id, row.operation))
    rows = connection.execute(select(record_claims).order_by(record_claims.c.written_at))
    return [_claim(row, crews[row.claim_id]) for row in rows]


def decisions(connection: Connection) -> dict[str, list[ClaimDecision]]:
    """Each claim's decisions in the order they were made."""
    found: dict[str, list[ClaimDecision]] = defaultdict(list)
    query = select(claim_decisions).order_by(claim_decisions.c.decision_id)
    for row in connection.execute(query):
        found[row.claim_id].append(
            ClaimDecision(
                row.claim_id,
                ClaimStatus(row.status),
                row.auditor,
                row.evidence,
                row.fingerprint,
                row.reason,
            )
        )
    return found


def next_id(connection: Connection) -> str:
    """The first free id of the form C<n>, from one more than the number of claims."""
    count = connection.execute(select(func.count()).select_from(record_claims)).scalar_one()
    taken = set(connection.scalars(select(record_claims.c.claim_id)))
    number = count + 1
    while f"C{number}" in taken:
        number += 1
    return f"C{number}"


def write_claim(connection: Connection, claim: Claim) -> None:
    connection.execute(
        insert(record_claims).values(
            claim_id=claim.claim_id,
            worker_id=claim.worker_id,
            operation=claim.operation,
            date=claim.date,
            shift_id=claim.shift_id,
            pre_registered=claim.pre_registered,
            declared=claim.declared,
            conditions=claim.conditions.value,
            resources=claim.resources,
            witnesses=WITNESS_SEPARATOR.join(claim.witnesses) or None,
            note=claim.note,
            registered_by=claim.registered_by,
            written_at=now(),
        )
    )
    for member in claim.crew:
        connection.execute(
            insert(claim_crew).values(
                claim_id=claim.claim_id, worker_id=member.worker_id, operation=member.operation
            )
        )


def taken(connection: Connection, claim_id: str) -> bool:
    query = select(record_claims.c.claim_id).where(record_claims.c.claim_id == claim_id)
    return connection.execute(query).first() is not None


def owner(connection: Connection, claim_id: str) -> str | None:
    """The worker a claim is for; None for an unknown claim."""
    query = select(record_claims.c.worker_id).where(record_claims.c.claim_id == claim_id)
    found: str | None = connection.execute(query).scalar()
    return found


def write_decision(connection: Connection, decision: ClaimDecision) -> None:
    connection.execute(
        insert(claim_decisions).values(
            claim_id=decision.claim_id,
            status=decision.status.value,
            auditor=decision.auditor,
            evidence=decision.evidence,
            reason=decision.reason,
            fingerprint=decision.fingerprint,
            written_at=now(),
        )
    )
