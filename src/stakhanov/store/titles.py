"""Conferred titles, their events (revocations, appeals) and method innovations: appended,
never edited; a title's state is read from its events."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, String, case, cast, func, insert, select

from stakhanov.domain.periods import Period
from stakhanov.domain.title_grants import Grant
from stakhanov.domain.titles import STATE_AFTER, TitleEvent, TitleEventKind, TitleState
from stakhanov.store.ledger import current_query, now
from stakhanov.store.lists import every_word
from stakhanov.store.read_model import paths_within
from stakhanov.store.recognition_tables import innovations, title_events, title_grants
from stakhanov.store.records import WORKERS


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


def _events_of(connection: Connection, title_ids: Sequence[int]) -> dict[int, list[TitleEvent]]:
    events: dict[int, list[TitleEvent]] = defaultdict(list)
    query = select(title_events).where(title_events.c.title_id.in_(title_ids))
    for row in connection.execute(query.order_by(title_events.c.event_id)):
        events[row.title_id].append(
            TitleEvent(TitleEventKind(row.kind), row.date, row.reason, row.by)
        )
    return events


def grant_page(
    connection: Connection,
    subtrees: Sequence[str] | None,
    unit: str | None,
    words: Sequence[str],
    descending: bool,
    limit: int | None,
    number: int = 1,
    worker_id: str | None = None,
) -> tuple[list[Grant], int]:
    """Page `number` of the titles conferred on workers at home within the subtrees (None:
    every title) and the unit (and of one worker if named), every word found in the id, worker,
    name, title or state; by id, newest first if `descending`; with how many there are. A page
    past the last is the last; no limit, every one."""
    workers = current_query(WORKERS).order_by(None).subquery()
    last = (
        select(title_events.c.kind)
        .where(title_events.c.title_id == title_grants.c.title_id)
        .order_by(title_events.c.event_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    state = case(
        *((last == kind.value, to.value) for kind, to in STATE_AFTER.items()),
        else_=TitleState.HELD.value,
    )
    home = func.coalesce(workers.c.unit, "")
    query = select(title_grants).select_from(
        title_grants.outerjoin(workers, workers.c.worker_id == title_grants.c.worker_id)
    )
    if subtrees is not None:
        query = query.where(paths_within(home, subtrees))
    if unit is not None:
        query = query.where(paths_within(home, [unit]))
    searched = [
        cast(title_grants.c.title_id, String),
        title_grants.c.worker_id,
        title_grants.c.name,
        title_grants.c.title,
        state,
    ]
    if worker_id is not None:
        query = query.where(title_grants.c.worker_id == worker_id)
    query = query.where(*every_word(searched, words))
    total = int(connection.scalar(select(func.count()).select_from(query.subquery())) or 0)
    key = title_grants.c.title_id
    ordered = query.order_by(key.asc() if not descending else key.desc())
    if limit is not None:
        start = (min(number, max(1, -(-total // limit))) - 1) * limit
        ordered = ordered.limit(limit).offset(start)
    rows = list(connection.execute(ordered))
    events = _events_of(connection, [r.title_id for r in rows])
    return [_grant(r, events[r.title_id]) for r in rows], total


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
