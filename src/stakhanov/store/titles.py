"""Conferred titles, their events (revocations, appeals) and method innovations: appended,
never edited; a title's state is read from its events."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from stakhanov.domain.periods import Period
from stakhanov.domain.title_grants import Grant
from stakhanov.domain.titles import TitleEvent, TitleEventKind
from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import innovations, title_events, title_grants


def _grant(row: Row[Any], events: list[TitleEvent]) -> Grant:
    return Grant(
        row.title_id,
        row.worker_id,
        row.title,
        row.name,
        row.valid_from,
        row.valid_to,
        row.rule,
        json.loads(row.evidence, parse_float=Decimal, parse_int=Decimal),
        Period(row.period_start, row.period_end),
        row.conferred_by,
        tuple(events),
    )


def grants(connection: Connection) -> list[Grant]:
    """Every conferred title in the order of its id, with its events in order."""
    events: dict[int, list[TitleEvent]] = defaultdict(list)
    for row in connection.execute(select(title_events).order_by(title_events.c.event_id)):
        events[row.title_id].append(
            TitleEvent(TitleEventKind(row.kind), row.date, row.reason, row.by)
        )
    rows = connection.execute(select(title_grants).order_by(title_grants.c.title_id))
    return [_grant(row, events[row.title_id]) for row in rows]


def owner(connection: Connection, title_id: int) -> str | None:
    """The worker a title was conferred on; None for an unknown title."""
    query = select(title_grants.c.worker_id).where(title_grants.c.title_id == title_id)
    found: str | None = connection.execute(query).scalar()
    return found


def write_grant(connection: Connection, grant: Grant, evidence: str) -> Grant:
    """Write a conferred title (its evidence as `evidence`, JSON text); returns it with its id."""
    result = connection.execute(
        insert(title_grants).values(
            worker_id=grant.worker_id,
            title=grant.title,
            name=grant.name,
            valid_from=grant.valid_from,
            valid_to=grant.valid_to,
            rule=grant.rule,
            evidence=evidence,
            period_start=grant.period.start,
            period_end=grant.period.end,
            conferred_by=grant.conferred_by,
            written_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    return replace(grant, title_id=int(result.inserted_primary_key[0]))


def write_event(connection: Connection, title_id: int, event: TitleEvent) -> None:
    connection.execute(
        insert(title_events).values(
            title_id=title_id,
            kind=event.kind.value,
            date=event.date,
            reason=event.reason,
            by=event.by,
            written_at=now(),
        )
    )


def innovations_by_worker(connection: Connection, period: Period) -> dict[str, int]:
    """How many method innovations each worker recorded in the period."""
    counts: dict[str, int] = defaultdict(int)
    query = select(innovations).where(
        innovations.c.date >= period.start, innovations.c.date <= period.end
    )
    for row in connection.execute(query):
        counts[row.worker_id] += 1
    return counts


def write_innovation(
    connection: Connection, worker_id: str, on: dt.date, description: str, by: str
) -> None:
    connection.execute(
        insert(innovations).values(
            worker_id=worker_id, date=on, description=description, by=by, written_at=now()
        )
    )
