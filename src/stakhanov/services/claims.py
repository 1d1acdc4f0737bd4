"""Record claims: register an attempt before the shift, claim a result after it, and have an
auditor outside the crew verify or reject it. Decisions are appended, never edited, and one
made on facts that were corrected since no longer applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine

from stakhanov.domain.audit import Finding, audit, review_of
from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import ASSIST
from stakhanov.domain.records import (
    Assessment,
    Claim,
    ClaimDecision,
    ClaimStatus,
    CrewMember,
    FindingState,
    assess,
    current_status,
    in_crew,
    locate,
    shifts_claimed,
)
from stakhanov.domain.shifts import Conditions
from stakhanov.domain.wording import say
from stakhanov.services.reviews import load_reviews
from stakhanov.store import claims as claim_store
from stakhanov.store.ledger import NO_PAID_TIME, LedgerStore


class ClaimRefused(Refused):
    """The claim or decision cannot be recorded; every reason is listed."""

    def __init__(self, reasons: Sequence[str], kind: Refusal | None = None) -> None:
        super().__init__(*reasons, kind=kind)


@dataclass(frozen=True)
class ClaimState:
    """A claim with what the ledger says of it now, and its decision if one still applies."""

    claim: Claim
    assessment: Assessment
    decision: ClaimDecision | None
    lapsed: bool  # a decision was made, but on facts that were corrected since

    @property
    def status(self) -> ClaimStatus:
        return ClaimStatus.CLAIMED if self.decision is None else self.decision.status


@dataclass(frozen=True)
class Context:
    """The ledger of the claims' dates and its audit findings with their review decisions."""

    ledger: Ledger
    findings: list[FindingState]


def context_for(connection: Connection, dates: Iterable[dt.date]) -> Context:
    """Every shift of the dates, with its audit findings: what was done on those days."""
    store = LedgerStore(connection)
    return _context(connection, store.shift_ids_on(set(dates)))


def context_of(connection: Connection, claims: Iterable[Claim]) -> Context:
    """The shifts the claims could stand on, with their audit findings: each claim's named
    shift, and the shifts its claimant worked on its date; the workers of their crews and of
    the claims. A claim's result, its facts, the names that make an auditor an insider and
    the findings that block it lie there, so claims cost their own shifts, not their days'."""
    claims = list(claims)
    store = LedgerStore(connection)
    worked = store.shift_ids_worked((c.worker_id, c.date) for c in claims)
    named = {c.shift_id for c in claims if c.shift_id is not None}
    people = {w for c in claims for w in (c.worker_id, *(m.worker_id for m in c.crew))}
    return _context(connection, worked | named, people)


def _context(
    connection: Connection, shift_ids: set[str], people: set[str] | None = None
) -> Context:
    """The shifts' ledger and findings, with every worker or only their crews and `people`."""
    ledger = LedgerStore(connection).snapshot(shift_ids, NO_PAID_TIME, people)
    days = sorted({s.date for s in ledger.shifts.values()})
    found: list[Finding] = audit(ledger, days[0], days[-1]) if days else []
    reviews = load_reviews(connection, {f.shift_id for f in found})
    states: list[FindingState] = []
    for finding in found:
        review = review_of(finding, reviews)
        states.append((finding, review.decision if review else None))
    return Context(ledger, states)


@dataclass(frozen=True)
class ClaimBook:
    """Every claim's state, with the ledger they were judged on."""

    context: Context
    states: list[ClaimState]


def claim_book(connection: Connection) -> ClaimBook:
    """Every claim with its assessment and current decision."""
    claims = claim_store.claims(connection)
    decisions = claim_store.decisions(connection)
    context = context_of(connection, claims)
    found = []
    for claim in claims:
        assessment = assess(claim, context.ledger, context.findings)
        made = decisions.get(claim.claim_id, [])
        decision = current_status(made, assessment.fingerprint or "")
        found.append(ClaimState(claim, assessment, decision, bool(made) and decision is None))
    return ClaimBook(context, found)


def judged(
    connection: Connection, claim_id: str, auditor: str | None = None
) -> tuple[ClaimState, Ledger]:
    """A claim's state, with the ledger of its own shifts it was judged on (who is in its crew)."""
    claims = [c for c in claim_store.claims(connection) if c.claim_id == claim_id]
    if not claims:
        raise ClaimRefused([say("unknown claim %(claim)r", claim=claim_id)], kind=Refusal.NOT_FOUND)
    claim = claims[0]
    context = context_of(connection, [claim])
    assessment = assess(claim, context.ledger, context.findings, auditor)
    made = claim_store.decisions(connection).get(claim_id, [])
    decision = current_status(made, assessment.fingerprint or "")
    return ClaimState(claim, assessment, decision, bool(made) and decision is None), context.ledger


def state_of(connection: Connection, claim_id: str, auditor: str | None = None) -> ClaimState:
    return judged(connection, claim_id, auditor)[0]


# --- writing ----------------------------------------------------------------------------------


def _check_claim(connection: Connection, claim: Claim, ledger: Ledger) -> list[str]:
    """Problems with a new claim, judged on its own shifts (`context_of`, which hold the other
    claims of its worker and date too): unknown names, a reused id, a result already claimed."""
    problems = []
    if claim_store.taken(connection, claim.claim_id):
        problems.append(f"claim id {claim.claim_id!r} is taken")
    norm = ledger.norms.in_force(claim.operation, claim.date)
    if norm is None:
        problems.append(f"no norm for {claim.operation!r} on {claim.date}")
    for member in (CrewMember(claim.worker_id, claim.operation), *claim.crew):
        if member.worker_id not in ledger.workers:
            problems.append(f"unknown worker {member.worker_id!r}")
    allowed = {claim.operation, ASSIST, *(norm.includes if norm else ())}
    for member in claim.crew:
        if member.operation not in allowed:
            problems.append(
                f"{member.worker_id}: {member.operation!r} is none of {', '.join(sorted(allowed))}"
            )
    for other in claim_store.claims(connection):
        same = (other.worker_id, other.operation, other.date) == (
            claim.worker_id,
            claim.operation,
            claim.date,
        )
        # A claim without a shift covers its one result that day, or any result while none
        # is logged; one that found several shifts covers none, so a claim may name one.
        covered = shifts_claimed(other, ledger)
        clash = claim.shift_id is None or not covered or claim.shift_id == other.shift_id
        if same and (clash or (other.shift_id is None and covered == [claim.shift_id])):
            problems.append(
                f"{claim.worker_id} {claim.operation} on {claim.date} is already claim "
                f"{other.claim_id}"
            )
    return problems


def register(
    engine: Engine,
    *,
    worker_id: str,
    operation: str,
    date: dt.date,
    by: str,
    shift_id: str | None = None,
    crew: Sequence[CrewMember] = (),
    conditions: Conditions = Conditions.STANDARD,
    resources: str | None = None,
    witnesses: Sequence[str] = (),
    note: str | None = None,
    claim_id: str | None = None,
) -> Claim:
    """Register a record attempt with its declared crew, helpers, conditions and witnesses.

    It counts as pre-registered if the ledger holds no result for it yet.
    """
    with engine.begin() as connection:
        draft = Claim(
            claim_id=claim_id or claim_store.next_id(connection),
            worker_id=worker_id,
            operation=operation,
            date=date,
            shift_id=shift_id,
            declared=True,
            conditions=conditions,
            crew=tuple(crew),
            resources=resources or None,
            witnesses=tuple(w.strip() for w in witnesses if w.strip()),
            registered_by=by,
            note=note,
        )
        ledger = context_of(connection, [draft]).ledger
        problems = _check_claim(connection, draft, ledger)
        if problems:
            raise ClaimRefused(problems)
        before = locate(draft, ledger).result is None
        claim = replace(draft, pre_registered=before)
        claim_store.write_claim(connection, claim)
    return claim


def claim_result(
    engine: Engine,
    *,
    shift_id: str,
    worker_id: str,
    by: str,
    operation: str | None = None,
    note: str | None = None,
    claim_id: str | None = None,
) -> Claim:
    """Claim a result that is already in the ledger (no declaration was made before it)."""
    with engine.begin() as connection:
        ledger = LedgerStore(connection).snapshot([shift_id], NO_PAID_TIME, [worker_id])
        shift = ledger.shifts.get(shift_id)
        if shift is None:
            raise ClaimRefused([say("unknown shift %(id)r%(hint)s", id=shift_id, hint="")])
        measured = sorted(
            e.operation
            for e in ledger.crew_of(shift_id)
            if e.worker_id == worker_id and (shift_id, e.operation) in ledger.outputs
        )
        if operation is None and len(measured) == 1:
            operation = measured[0]
        if operation is None or operation not in measured:
            raise ClaimRefused(
                [
                    say(
                        "%(worker)s has no measured result in %(shift)s to claim",
                        worker=worker_id,
                        shift=shift_id,
                    )
                ]
                if not measured
                else [
                    say(
                        "name the operation: %(worker)s worked %(operations)s",
                        worker=worker_id,
                        operations=", ".join(measured),
                    )
                ]
            )
        claim = Claim(
            claim_id=claim_id or claim_store.next_id(connection),
            worker_id=worker_id,
            operation=operation,
            date=shift.date,
            shift_id=shift_id,
            registered_by=by,
            note=note,
        )
        problems = _check_claim(connection, claim, context_of(connection, [claim]).ledger)
        if problems:
            raise ClaimRefused(problems)
        claim_store.write_claim(connection, claim)
    return claim


def _decide(
    connection: Connection,
    state: ClaimState,
    status: ClaimStatus,
    auditor: str,
    evidence: str,
    reason: str | None,
) -> ClaimDecision:
    decision = ClaimDecision(
        state.claim.claim_id,
        status,
        auditor,
        evidence,
        state.assessment.fingerprint or "",
        reason,
    )
    claim_store.write_decision(connection, decision)
    return decision


def _undecided(state: ClaimState) -> None:
    if state.decision is not None:
        raise ClaimRefused(
            [
                f"claim {state.claim.claim_id} is already {state.decision.status.value} "
                f"(by {state.decision.auditor}); a correction of the ledger reopens it"
            ]
        )


def verify_on(connection: Connection, claim_id: str, auditor: str, evidence: str) -> ClaimDecision:
    """Decide a claim on the evidence: verified, assisted or rejected as the ledger shows.

    Refused while anything blocks it: no result, an auditor in the crew, an open pooled or
    implausible finding, a declared crew member missing from the ledger.
    """
    if not auditor.strip() or not evidence.strip():
        raise ClaimRefused(["verification needs the auditor's name and the evidence"])
    state = state_of(connection, claim_id, auditor.strip())
    _undecided(state)
    if state.assessment.blockers:
        raise ClaimRefused(state.assessment.blockers)
    reasons = [*state.assessment.reasons, *state.assessment.notes]
    return _decide(
        connection,
        state,
        state.assessment.outcome,
        auditor.strip(),
        evidence.strip(),
        "; ".join(reasons) or None,
    )


def reject(engine: Engine, claim_id: str, auditor: str, reason: str) -> ClaimDecision:
    """Reject a claim with a reason; needs an auditor outside the crew, nothing else."""
    if not auditor.strip() or not reason.strip():
        raise ClaimRefused(["a rejection needs the auditor's name and a reason"])
    with engine.begin() as connection:
        state, ledger = judged(connection, claim_id)
        _undecided(state)
        group = state.assessment.located.group
        shift_id = group.shift.shift_id if group else state.claim.shift_id
        if in_crew(auditor, state.claim, ledger, shift_id):
            raise ClaimRefused([say("auditor %(auditor)r is in the crew", auditor=auditor.strip())])
        return _decide(
            connection, state, ClaimStatus.REJECTED, auditor.strip(), reason.strip(), None
        )
