"""Links between a master and an apprentice and their ends: appended, never edited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select

from stakhanov.domain.mentoring import Mentorship
from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import mentorship_ends, mentorships


def links(connection: Connection) -> list[Mentorship]:
    """Every link in the order it was made, with its end if it has one."""
    ends = {row.link_id: row.end for row in connection.execute(select(mentorship_ends))}
    rows = connection.execute(select(mentorships).order_by(mentorships.c.link_id))
    return [
        Mentorship(r.link_id, r.master_id, r.apprentice_id, r.start, ends.get(r.link_id))
        for r in rows
    ]


def write_link(
    connection: Connection,
    master_id: str,
    apprentice_id: str,
    start: dt.date,
    by: str,
    note: str | None,
) -> Mentorship:
    result = connection.execute(
        insert(mentorships).values(
            master_id=master_id,
            apprentice_id=apprentice_id,
            start=start,
            note=note,
            by=by,
            written_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    return Mentorship(int(result.inserted_primary_key[0]), master_id, apprentice_id, start)


def write_end(
    connection: Connection, link_id: int, on: dt.date, by: str, reason: str | None
) -> None:
    connection.execute(
        insert(mentorship_ends).values(
            link_id=link_id, end=on, reason=reason, by=by, written_at=now()
        )
    )
