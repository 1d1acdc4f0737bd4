"""The demo's governance and plan chapter: provenance, a September 1935 plan, a proposal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.periods import Period
from stakhanov.domain.plans import actual
from stakhanov.domain.proposals import Basis
from stakhanov.services import plans, proposals, reports
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import RawBatch, RawTable

MINE = "Central-Irmino"
OPERATION = "hewing"
AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))
SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
PLAN_RISE = Decimal("1.10")
MID_MONTH = dt.date(1935, 9, 20)
PROPOSED_ON = dt.date(1935, 10, 1)
PROVENANCE = (
    (
        "hewing",
        "1935-01-01",
        "decree",
        "",
        "",
        "",
        "the coal trust's norm of 7 t per 6 h shift, timbering included (Molotov: 6-7 t)",
        "coal trust",
    ),
    (
        "drill sharpening",
        "1935-01-01",
        "time study",
        "20",
        "105",
        "12",
        "invented for the demo: 20 timed sharpenings at the smithy",
        "rate-setter; smithy foreman",
    ),
)


@dataclass(frozen=True)
class Showcase:
    plan: list[dict[str, Any]]
    forecast: dict[str, Any]
    proposal: dict[str, Any]


def build(engine: Engine) -> Showcase:
    """Record provenance and the September plan, then propose a statistical hewing revision."""
    columns = list(FORMATS["provenance.csv"].columns)
    table = RawTable("provenance.csv", columns, display="demo provenance")
    table.rows = [(n, list(row)) for n, row in enumerate(PROVENANCE, start=2)]
    import_batch(engine, RawBatch({"provenance.csv": table}, [], "demo provenance"), author="demo")
    august = actual(
        MINE,
        OPERATION,
        AUGUST,
        "t",
        plans.production(reports.ledger_for(engine, AUGUST)),
    )
    target = (august * PLAN_RISE / 10).to_integral_value(rounding=ROUND_FLOOR) * 10
    cascade = plans.plan_cascade(
        engine,
        MINE,
        OPERATION,
        SEPTEMBER,
        target=target,
        unit_of_measure="t",
        reference=AUGUST,
        levels=0,
    )
    plans.apply(engine, cascade, author="demo")
    status = plans.status(engine, SEPTEMBER, as_of=SEPTEMBER.end)
    mid = plans.status(engine, SEPTEMBER, MINE, MID_MONTH)
    proposal = proposals.propose(
        engine,
        proposals.Request(
            OPERATION,
            Basis.STATISTICAL,
            by="rate-setter (demo)",
            reason="norm review after the first Stakhanovite month",
            proposed_on=PROPOSED_ON,
            window=SEPTEMBER,
        ),
    )
    return Showcase(
        plan=[plans.status_dict(s) for s in status if s.unit.count("/") <= 1],
        forecast=plans.status_dict(next(s for s in mid if s.unit == MINE)),
        proposal=proposal,
    )
