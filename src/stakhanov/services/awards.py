"""Awards for titles and records: granted (by rulebook or by hand), cancelled by a reversing
entry, and handed to pay as named bonuses."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.awards import Award, bonus_of
from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.periods import Period
from stakhanov.domain.records import RECORD_STATUSES, ClaimStatus
from stakhanov.domain.titles import AwardTerms
from stakhanov.domain.wording import say
from stakhanov.services import claims
from stakhanov.store import awards as award_store
from stakhanov.store import claims as claim_store
from stakhanov.store import titles as title_store

RECORD_CODE = "record"  # the code of the awards a verification grants


class AwardRefused(Refused):
    """The award names nothing it could be for, or cannot be cancelled."""


def _withheld(connection: Connection, found: list[Award]) -> list[Award]:
    """Mark the awards whose record claim does not stand as a record now: a correction of the
    ledger reopened it (until an auditor decides it again), or it was rejected."""
    if not any(a.claim_id is not None for a in found):
        return found
    status = {s.claim.claim_id: s.status for s in claims.claim_book(connection).states}
    marked = []
    for award in found:
        now_ = status.get(award.claim_id) if award.claim_id is not None else None
        if award.claim_id is not None and now_ not in RECORD_STATUSES:
            why = "rejected" if now_ is ClaimStatus.REJECTED else "reopened by a correction"
            award = replace(award, withheld=f"claim {award.claim_id} is {why}")
        marked.append(award)
    return marked


def current(connection: Connection, period: Period | None = None) -> list[Award]:
    """Awards that are not cancellations and have not been cancelled; those for a record claim
    that does not stand now are marked as withheld."""
    return _withheld(connection, award_store.granted(connection, period))


def add(
    connection: Connection,
    *,
    worker_id: str,
    date: dt.date,
    code: str,
    terms: AwardTerms,
    by: str,
    title_id: int | None = None,
    claim_id: str | None = None,
    reason: str | None = None,
) -> Award:
    """Write an award linked to a title or a record claim (one of them is required)."""
    if (title_id is None) == (claim_id is None):
        raise AwardRefused(say("an award is for one title or one record claim"))
    if title_id is not None:
        owner = title_store.owner(connection, title_id)
        what = say("title %(id)s", id=title_id)
    else:
        owner = claim_store.owner(connection, str(claim_id))
        what = say("claim %(id)s", id=claim_id)
    if owner is None:
        raise AwardRefused(say("unknown %(what)s", what=what))
    if owner != worker_id:
        raise AwardRefused(
            say(
                "%(what)s belongs to %(owner)s, not %(worker)s",
                what=what,
                owner=owner,
                worker=worker_id,
            )
        )
    award = Award(0, worker_id, date, code, terms, title_id, claim_id, reason)
    return award_store.write(connection, award, by)


def grant(engine: Engine, **details: Any) -> Award:
    with engine.begin() as connection:
        return add(connection, **details)


def cancel(engine: Engine, award_id: int, reason: str, by: str) -> Award:
    """Cancel an award by a reversing entry that repeats it with the reason."""
    if not reason.strip():
        raise AwardRefused(say("a cancellation needs a reason"), field="reason")
    with engine.begin() as connection:
        return cancel_on(connection, award_id, reason, by)


def cancel_on(connection: Connection, award_id: int, reason: str, by: str) -> Award:
    found = [a for a in award_store.granted(connection) if a.award_id == award_id]
    if not found:
        raise AwardRefused(
            say("no current award %(award)s", award=award_id), kind=Refusal.NOT_FOUND
        )
    award_store.reverse(connection, award_id, reason.strip(), by)
    return found[0]


def record_awards_of(connection: Connection, claim_id: str) -> list[Award]:
    """The record awards granted for a claim by its verification, not cancelled."""
    return [
        a
        for a in award_store.granted(connection)
        if a.claim_id == claim_id and a.code == RECORD_CODE
    ]


def award_bonuses(connection: Connection, period: Period) -> list[ExternalBonus]:
    """Money awards dated in the period as named bonus lines, for pay's period close."""
    return [b for b in (bonus_of(a) for a in current(connection, period)) if b is not None]


def award_dict(award: Award) -> dict[str, Any]:
    return {
        "award_id": award.award_id,
        "worker_id": award.worker_id,
        "date": award.date,
        "code": award.code,
        "kind": award.terms.kind.value,
        "amount": award.terms.amount,
        "currency": award.terms.currency,
        "description": award.terms.description,
        "title_id": award.title_id,
        "claim_id": award.claim_id,
        "reason": award.reason,
        "withheld": award.withheld,
    }
