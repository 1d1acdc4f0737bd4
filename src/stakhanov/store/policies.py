"""Governance policies, kept as the TOML text they were written in; the latest is in force."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from stakhanov.store.governance_tables import governance_policies
from stakhanov.store.ledger import now


@dataclass(frozen=True)
class PolicyDocument:
    policy_id: int
    document: str
    author: str


def latest(connection: Connection) -> PolicyDocument | None:
    """The policy written last, or None if none was."""
    row = connection.execute(
        select(governance_policies).order_by(governance_policies.c.policy_id.desc()).limit(1)
    ).first()
    return None if row is None else PolicyDocument(row.policy_id, row.document, row.author)


def write(connection: Connection, document: str, author: str, reason: str | None) -> int:
    """Write a policy's text; returns its id."""
    result = connection.execute(
        insert(governance_policies).values(
            document=document, author=author, reason=reason, written_at=now()
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])
