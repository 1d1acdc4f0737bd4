"""Declared competitions and the units each one is between: fixed once declared."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, insert, select

from stakhanov.domain.competition import Competition, Metric, Step
from stakhanov.domain.periods import Period
from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import competition_units, competitions


def declared(connection: Connection) -> list[Competition]:
    """Every competition in the order it was declared, with its units in order."""
    members: dict[str, list[str]] = defaultdict(list)
    query = select(competition_units).order_by(competition_units.c.entry_id)
    for row in connection.execute(query):
        members[row.competition].append(row.unit)
    rows = connection.execute(select(competitions).order_by(competitions.c.written_at))
    return [
        Competition(
            r.name,
            Metric(r.metric),
            Period(r.start, r.end),
            Step(r.step),
            tuple(members[r.name]),
            r.banner,
        )
        for r in rows
    ]


def declare(connection: Connection, competition: Competition, by: str) -> None:
    connection.execute(
        insert(competitions).values(
            name=competition.name,
            metric=competition.metric.value,
            start=competition.period.start,
            end=competition.period.end,
            step=competition.step.value,
            banner=competition.banner,
            by=by,
            written_at=now(),
        )
    )
    for unit in competition.units:
        connection.execute(
            insert(competition_units).values(competition=competition.name, unit=unit)
        )
