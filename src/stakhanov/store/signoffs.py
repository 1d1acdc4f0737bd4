"""Sign-offs of the day's counts: appended; the latest per worker and shift is the state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from stakhanov.domain.signoffs import SignOff, Verdict
from stakhanov.store.ledger import now
from stakhanov.store.signoff_tables import day_signoffs

CHUNK = 500


def write(
    connection: Connection,
    worker_id: str,
    shift_id: str,
    day: dt.date,
    verdict: Verdict,
    seen: str,
    reason: str | None,
    dispute_id: int | None,
    by: str,
) -> SignOff:
    at = now()
    result = connection.execute(
        insert(day_signoffs).values(
            worker_id=worker_id,
            shift_id=shift_id,
            day=day,
            verdict=verdict.value,
            seen=seen,
            reason=reason,
            dispute_id=dispute_id,
            signed_by=by,
            signed_at=at,
        )
    )
    assert result.inserted_primary_key is not None
    key = int(result.inserted_primary_key[0])
    return SignOff(key, worker_id, shift_id, day, verdict, seen, reason, dispute_id, by, at)


def latest(connection: Connection, shift_ids: Iterable[str]) -> dict[tuple[str, str], SignOff]:
    """The newest sign-off of each (shift, worker) among these shifts."""
    found: dict[tuple[str, str], SignOff] = {}
    ids = sorted(set(shift_ids))
    for start in range(0, len(ids), CHUNK):
        query = (
            select(day_signoffs)
            .where(day_signoffs.c.shift_id.in_(ids[start : start + CHUNK]))
            .order_by(day_signoffs.c.signoff_id)
        )
        for r in connection.execute(query):
            found[(r.shift_id, r.worker_id)] = SignOff(
                r.signoff_id,
                r.worker_id,
                r.shift_id,
                r.day,
                Verdict(r.verdict),
                r.seen,
                r.reason,
                r.dispute_id,
                r.signed_by,
                r.signed_at if r.signed_at.tzinfo else r.signed_at.replace(tzinfo=dt.UTC),
            )
    return found
