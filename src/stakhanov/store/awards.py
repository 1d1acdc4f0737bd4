"""The awards table: current awards (neither a cancellation nor cancelled), new awards and
their cancellation by a reversing row that repeats them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Row, and_, exists, insert, select
from sqlalchemy.orm import aliased

from stakhanov.domain.awards import Award
from stakhanov.domain.periods import Period
from stakhanov.domain.titles import AwardKind, AwardTerms
from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import awards
from stakhanov.store.types import keeping, with_places


def _award(row: Row[Any]) -> Award:
    amount = with_places(row.amount, row.amount_places)
    terms = AwardTerms(AwardKind(row.kind), amount, row.currency, row.description)
    return Award(
        row.award_id,
        row.worker_id,
        row.date,
        row.code,
        terms,
        row.title_id,
        row.claim_id,
        row.reason,
    )


def granted(connection: Connection, period: Period | None = None) -> list[Award]:
    """Awards that are not cancellations and have not been cancelled, dated in `period`."""
    cancel = aliased(awards)
    query = (
        select(awards)
        .where(awards.c.reverses.is_(None))
        .where(~exists().where(cancel.c.reverses == awards.c.award_id))
        .order_by(awards.c.date, awards.c.award_id)
    )
    if period is not None:
        query = query.where(and_(awards.c.date >= period.start, awards.c.date <= period.end))
    return [_award(row) for row in connection.execute(query)]


def write(connection: Connection, award: Award, by: str) -> Award:
    """Write a new award (its `award_id` is ignored); returns it with the id it was given."""
    terms = award.terms
    result = connection.execute(
        insert(awards).values(
            worker_id=award.worker_id,
            date=award.date,
            code=award.code,
            kind=terms.kind.value,
            currency=terms.currency,
            **keeping(amount=terms.amount),
            description=terms.description,
            title_id=award.title_id,
            claim_id=award.claim_id,
            reason=award.reason,
            by=by,
            written_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    return replace(award, award_id=int(result.inserted_primary_key[0]))


def reverse(connection: Connection, award_id: int, reason: str, by: str) -> None:
    """Cancel an award by a row that repeats it, pointing back at it, with the reason."""
    row = connection.execute(select(awards).where(awards.c.award_id == award_id)).one()
    values = {c.name: getattr(row, c.name) for c in awards.c if c.name != "award_id"}
    values.update(reverses=award_id, reason=reason, by=by, written_at=now())
    connection.execute(insert(awards).values(**values))
