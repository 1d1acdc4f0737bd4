"""Standing records: the best verified (and assisted) result in every scope, and the historical
claims from the sources, listed as historical records with their provenance."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.awards import Award
from stakhanov.domain.honour import HonourRules
from stakhanov.domain.periods import Period
from stakhanov.domain.records import (
    RECORD_STATUSES,
    Candidate,
    Claim,
    ClaimDecision,
    Measure,
    StandingRecord,
    select_records,
)
from stakhanov.domain.rounding import percent_or_none, rounded
from stakhanov.domain.scopes import Organisation, Scope
from stakhanov.services import awards, claims, history, rulebooks
from stakhanov.store import ordinary as ordinary_store

HISTORICAL = "historical"
THOUSANDTH = Decimal("0.001")


def candidates(
    book: claims.ClaimBook,
    organisation: Organisation,
    period: Period | None = None,
    rules: HonourRules | None = None,
) -> list[Candidate]:
    """Every claim decided as verified or assisted whose decision still applies.

    A result on an operation the worker's trade is not ranked on (the rulebook's
    `[honour.trades]`, decision 0860) counts for their personal best only: a hewer who loads
    once does not take the brigade's loading record from its loaders.
    """
    workers = book.context.ledger.workers
    found = []
    for state in book.states:
        result, group = state.assessment.located.result, state.assessment.located.group
        if state.status not in RECORD_STATUSES or result is None or group is None:
            continue
        if period is not None and result.date not in period:
            continue
        worker = workers.get(result.worker_id)
        home = worker.unit if worker else group.shift.workplace
        scopes = organisation.scopes_of(result.worker_id, home, group.shift.workplace)
        if rules is not None and not rules.covers(
            worker.trade if worker else None, result.operation
        ):
            scopes = [s for s in scopes if s.scope is Scope.WORKER]
        found.append(Candidate(state.claim.claim_id, state.status, result, tuple(scopes)))
    return found


def standing(connection: Connection, period: Period | None = None) -> list[StandingRecord]:
    book = claims.claim_book(connection)
    homes = ordinary_store.home_units(connection)  # every worker's: the tree's depth
    rulebook = rulebooks.in_force(connection).rulebook
    organisation = rulebook.organisation.fitted(homes)
    return select_records(candidates(book, organisation, period, rulebook.honour))


def verify(
    engine: Engine, claim_id: str, auditor: str, evidence: str
) -> tuple[ClaimDecision, Award | None]:
    """Verify a claim (see claims.verify_on) and grant the rulebook's record award if the
    claim now holds a record above the worker's own personal best."""
    with engine.begin() as connection:
        decision = claims.verify_on(connection, claim_id, auditor, evidence)
        terms = rulebooks.in_force(connection).rulebook.record_awards.get(decision.status.value)
        held = [
            r
            for r in standing(connection)
            if terms is not None
            and r.candidate.claim_id == claim_id
            and r.slot.scope.scope is not Scope.WORKER
        ]
        # A claim decided again after a correction keeps the award it earned once (withheld
        # while the claim was reopened), or loses it if it no longer earns that award.
        earlier = awards.record_awards_of(connection, claim_id)
        if earlier and held and all(a.terms == terms for a in earlier):
            return decision, None
        for award in earlier:
            awards.cancel_on(
                connection,
                award.award_id,
                f"decided again as {decision.status.value}: "
                + ("a record with another award" if held else "no award is due"),
                auditor,
            )
        if terms is None or not held:
            return decision, None
        claim = claims.state_of(connection, claim_id).claim
        scopes = ", ".join(dict.fromkeys(r.slot.scope.scope.value for r in held))
        award = awards.add(
            connection,
            worker_id=claim.worker_id,
            date=claim.date,
            code=awards.RECORD_CODE,
            terms=terms,
            by=auditor,
            claim_id=claim_id,
            reason=f"{decision.status.value} record ({scopes})",
        )
        return decision, award


def _tidy(value: Fraction | None, measure: Measure) -> Decimal | None:
    """A record's value: a percentage to one decimal, output to a thousandth, half-up once."""
    if value is None or measure is Measure.PERCENT:
        return percent_or_none(value)
    return rounded(value, THOUSANDTH).normalize()


def record_dict(record: StandingRecord) -> dict[str, Any]:
    candidate, slot = record.candidate, record.slot
    result = candidate.result
    return {
        "scope": slot.scope.scope.value,
        "scope_id": slot.scope.scope_id,
        "operation": slot.operation,
        "measure": slot.measure.value,
        "worker_id": result.worker_id,
        "shift_id": result.shift_id,
        "date": result.date,
        "hours": result.hours,
        "output": result.output,
        "unit": result.unit,
        "percent": percent_or_none(result.percent),
        "fair_percent": percent_or_none(result.fair_percent),
        "value": _tidy(candidate.value(slot.measure, fair=False), slot.measure),
        "fair_value": _tidy(candidate.value(slot.measure, fair=True), slot.measure),
        "status": record.status.value,
        "claim_id": candidate.claim_id,
    }


def historical_rows() -> list[dict[str, Any]]:
    """The bundled historical claims as records: as their sources state them, never verified."""
    return [
        {
            "scope": HISTORICAL,
            "scope_id": claim["place"] or claim["industry"],
            "operation": claim["operation"],
            "measure": Measure.OUTPUT.value if claim["output"] is not None else None,
            "worker_id": None,
            "person": claim["person"],
            "shift_id": None,
            "date": claim["date"],
            "hours": claim["shift_hours"],
            "output": claim["output"],
            "unit": claim["unit"],
            "percent": claim["percent"],
            "fair_percent": None,
            "status": HISTORICAL,
            "claim_id": claim["claim_id"],
            "stated_ratio": claim["stated_ratio"],
            "source": claim["source"],
            "note": claim["note"],
        }
        for claim in history.claims()
    ]


def listing(
    engine: Engine,
    *,
    operation: str | None = None,
    scope: str | None = None,
    measure: Measure | None = None,
    status: str | None = None,
    period: Period | None = None,
) -> list[dict[str, Any]]:
    """Records as rows, filtered; without a scope, the historical records come last."""
    rows: list[dict[str, Any]] = []
    if scope != HISTORICAL:
        with engine.connect() as connection:
            rows = [record_dict(r) for r in standing(connection, period)]
    if scope in (None, HISTORICAL) and period is None:
        rows += historical_rows()
    return [
        row
        for row in rows
        if (operation is None or row["operation"] == operation)
        and (scope is None or row["scope"] == scope)
        and (measure is None or row["measure"] == measure.value)
        and (status is None or row["status"] == status)
    ]


def claim_dict(claim: Claim) -> dict[str, Any]:
    """A claim as `stakhanov records claims --json` shows it."""
    return {
        "claim_id": claim.claim_id,
        "worker_id": claim.worker_id,
        "operation": claim.operation,
        "date": claim.date,
        "shift_id": claim.shift_id,
        "pre_registered": claim.pre_registered,
        "declared": claim.declared,
        "conditions": claim.conditions.value,
        "crew": [{"worker_id": m.worker_id, "operation": m.operation} for m in claim.crew],
        "resources": claim.resources,
        "witnesses": list(claim.witnesses),
        "registered_by": claim.registered_by,
        "note": claim.note,
    }


def state_dict(state: claims.ClaimState) -> dict[str, Any]:
    """A claim with its result, status, what blocks it and what verifying it would decide."""
    row = claim_dict(state.claim)
    assessment = state.assessment
    result = assessment.located.result
    if result is not None:
        row["shift_id"] = result.shift_id
    row["output"] = None if result is None else result.output
    row["unit"] = None if result is None else result.unit
    row["percent"] = None if result is None else percent_or_none(result.percent)
    row["fair_percent"] = None if result is None else percent_or_none(result.fair_percent)
    row["status"] = state.status.value
    row["blockers"] = list(assessment.blockers)
    row["outcome_if_verified"] = None if assessment.blockers else assessment.outcome.value
    row["reasons"] = list(assessment.reasons)
    row["notes"] = list(assessment.notes)
    decision = state.decision
    row["decision"] = (
        None
        if decision is None
        else {
            "status": decision.status.value,
            "auditor": decision.auditor,
            "evidence": decision.evidence,
            "reason": decision.reason,
        }
    )
    row["lapsed"] = state.lapsed
    return row
