"""Recognition: the records registry and the verification of claims, the honour board,
competitions and a worker's titles.

A record attempt is registered by the foreman of the worker's unit; a claim is verified or
rejected by an auditor in scope who is not in its crew, under any of their names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from stakhanov.api import models
from stakhanov.api.errors import FieldError
from stakhanov.api.models import IsoDate
from stakhanov.api.params import Bounded, period
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, forbidden, own_worker, requires
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.competition import Metric, Step
from stakhanov.domain.periods import Period
from stakhanov.domain.records import CrewMember
from stakhanov.services import (
    claims,
    competitions,
    dashboard,
    honour,
    incidents,
    records,
    reports,
    titles,
)
from stakhanov.services import mentoring as mentoring_service
from stakhanov.services.accounts import Session

router = APIRouter(route_class=PolicyRoute, tags=["recognition"])
Everyone = Annotated[Session, requires(Permission.VIEW_RECOGNITION)]
Auditor = Annotated[Session, requires(Permission.VERIFY_RECORDS)]
ClaimId = Annotated[str, Path(max_length=100)]


def _home(request: Request, worker_id: str) -> str:
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise FieldError(["body", "worker_id"], f"unknown worker {worker_id!r}")
    return found.unit


@router.get("/records")
def standing_records(
    session: Everyone,
    request: Request,
    operation: Annotated[str | None, Query(max_length=200)] = None,
    scope: Annotated[str | None, Query(max_length=50)] = None,
) -> list[dict[str, Any]]:
    """The records registry: the best verified and assisted results in every scope, ranked by
    the fair value, then the historical records with their sources."""
    return records.listing(engine_of(request), operation=operation, scope=scope)


@router.get("/records/claims")
def list_claims(
    session: Annotated[Session, requires(Permission.VERIFY_RECORDS, Permission.REGISTER_RECORDS)],
    request: Request,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> list[dict[str, Any]]:
    """Claims of workers in your scope with their status, blockers and likely outcome."""
    account = session.account
    engine = engine_of(request)
    states = dashboard.claim_states(engine)
    units = reports.homes(engine, {s.claim.worker_id for s in states})

    def visible(worker_id: str) -> bool:
        unit = units.get(worker_id, "")
        return any(
            within_any(unit, account.scopes(p))
            for p in (Permission.VERIFY_RECORDS, Permission.REGISTER_RECORDS)
            if account.scopes(p) != []
        )

    return [
        records.state_dict(s)
        for s in states
        if visible(s.claim.worker_id) and (status is None or s.status.value == status)
    ]


@router.get("/records/claims/{claim_id}", responses={404: {}})
def check_claim(
    claim_id: ClaimId,
    session: Annotated[Session, requires(Permission.VERIFY_RECORDS, Permission.REGISTER_RECORDS)],
    request: Request,
) -> dict[str, Any]:
    """What verifying the claim would decide now, and anything that blocks it (for you)."""
    state = dashboard.claim_state(engine_of(request), claim_id, session.account.username)
    home = dashboard.worker(engine_of(request), state.claim.worker_id)
    account = session.account
    if home is None or not any(
        account.allows(p, home.unit)
        for p in (Permission.VERIFY_RECORDS, Permission.REGISTER_RECORDS)
    ):
        raise forbidden("that claim is outside your scope")
    return records.state_dict(state)


@router.post("/records/claims", status_code=201, responses={403: {}, 422: {}})
def register_attempt(
    body: models.ClaimIn,
    session: Annotated[Session, requires(Permission.REGISTER_RECORDS)],
    request: Request,
) -> dict[str, Any]:
    """Register a record attempt before the shift: its crew, helpers, conditions, witnesses."""
    check_scope(session.account, Permission.REGISTER_RECORDS, [_home(request, body.worker_id)])
    claim = claims.register(
        engine_of(request),
        worker_id=body.worker_id,
        operation=body.operation,
        date=body.date,
        by=session.account.username,
        shift_id=body.shift_id or None,
        crew=[CrewMember(m.worker_id, m.operation) for m in body.crew],
        conditions=body.conditions,
        resources=body.resources,
        witnesses=body.witnesses,
        note=body.note,
    )
    return records.claim_dict(claim)


def _outsider(request: Request, session: Session, claim_id: str) -> None:
    """404 for an unknown claim; 403 outside the auditor's scope or inside the claim's crew."""
    account = session.account
    dashboard.claim_to_decide(
        engine_of(request),
        claim_id,
        lambda unit: account.allows(Permission.VERIFY_RECORDS, unit),
        (account.username, account.display_name, account.worker_id),
    )


@router.post("/records/claims/{claim_id}/verify", responses={403: {}, 404: {}, 422: {}})
def verify(
    claim_id: ClaimId, body: models.VerifyIn, session: Auditor, request: Request
) -> dict[str, Any]:
    """Verify a claim: verified, an assisted record, or rejected, as the ledger shows."""
    _outsider(request, session, claim_id)
    decision, award = records.verify(
        engine_of(request), claim_id, session.account.username, body.evidence
    )
    return {
        "claim_id": decision.claim_id,
        "status": decision.status.value,
        "auditor": decision.auditor,
        "evidence": decision.evidence,
        "reason": decision.reason,
        "award": None if award is None else award.code,
    }


@router.post("/records/claims/{claim_id}/reject", responses={403: {}, 404: {}, 422: {}})
def reject(
    claim_id: ClaimId, body: models.RejectIn, session: Auditor, request: Request
) -> dict[str, Any]:
    """Reject a claim with a reason."""
    _outsider(request, session, claim_id)
    decision = claims.reject(engine_of(request), claim_id, session.account.username, body.reason)
    return {"claim_id": decision.claim_id, "status": decision.status.value, "reason": body.reason}


@router.get("/honour")
def honour_board(
    session: Everyone,
    request: Request,
    during: Annotated[Period, Depends(period)],
    unit: Annotated[str, Query(min_length=1, max_length=500)],
    workers: bool = False,
    operation: Annotated[str | None, Query(max_length=200)] = None,
    top: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> list[dict[str, Any]]:
    """A unit's honour board by fair fulfilment on ordinary shifts; no money is shown, and
    workers who opted out or whom the safety and quality gates bar are not named. Workers rank
    by the rulebook's honour rules: each row says the least shifts it was ranked under, the
    operation, and a worker's trade. `top`: only the first so many rows (the leaders), as
    they stand on the whole board; without it, every row."""
    engine = engine_of(request)
    found = honour.board(engine, unit, during, workers=workers, operation=operation, top=top)
    least = honour.least_shifts(honour.rules(engine), None, workers)
    return [honour.entry_dict(e, workers, min_shifts=least, operation=operation) for e in found]


@router.get("/competitions")
def list_competitions(session: Everyone, request: Request) -> list[dict[str, Any]]:
    """Every declared competition with its terms."""
    return [
        {
            "name": c.name,
            "metric": c.metric.value,
            "from": c.period.start,
            "to": c.period.end,
            "step": c.step.value,
            "units": list(c.units),
            "banner": c.banner,
        }
        for c in dashboard.declared_competitions(engine_of(request))
    ]


@router.get("/competitions/{name}", responses={404: {}, 422: {}})
def standings(
    name: Annotated[str, Path(max_length=200)],
    session: Everyone,
    request: Request,
    as_of: Annotated[IsoDate | None, Query()] = None,
) -> dict[str, Any]:
    """Standings overall and per round so far, the winners and the banner's holders."""
    report = competitions.report(engine_of(request), name, as_of)
    return {
        "name": report.competition.name,
        "metric": report.competition.metric.value,
        "overall": competitions.standing_rows(report.overall, report.competition),
        "rounds": [competitions.standing_rows(r, report.competition) for r in report.rounds],
        "banner": [competitions.holding_dict(h) for h in report.banner],
        "winners": report.winners,
        "leaders": report.leaders,
        "finished": report.finished,
    }


@router.get("/me/titles")
def my_titles(
    session: Annotated[Session, requires(Permission.VIEW_OWN)], request: Request
) -> list[dict[str, Any]]:
    """Your titles, in force or not, each with its rule, evidence and history."""
    return [titles.grant_dict(g) for g in titles.grants(engine_of(request), own_worker(session))]


@router.post("/records/claims/results", status_code=201, responses={403: {}, 422: {}})
def claim_result(
    body: models.ResultClaimIn,
    session: Annotated[Session, requires(Permission.REGISTER_RECORDS)],
    request: Request,
) -> dict[str, Any]:
    """Claim a result already in the ledger as a record, as `stakhanov records claim`."""
    check_scope(session.account, Permission.REGISTER_RECORDS, [_home(request, body.worker_id)])
    claim = claims.claim_result(
        engine_of(request),
        shift_id=body.shift_id,
        worker_id=body.worker_id,
        by=session.account.username,
        operation=body.operation,
        note=body.note,
    )
    return records.claim_dict(claim)


@router.post("/competitions", status_code=201, responses={403: {}, 422: {}})
def declare(
    body: models.CompetitionIn,
    session: Annotated[Session, requires(Permission.DECLARE_COMPETITIONS, organisation_wide=True)],
    request: Request,
) -> dict[str, Any]:
    """Declare a competition between units; its terms are fixed once declared."""
    if body.end < body.start:
        raise FieldError(["body", "to"], "ends before from")
    try:
        metric, step = Metric(body.metric), Step(body.step)
    except ValueError as err:
        raise FieldError(["body", "metric"], str(err)) from err
    made = competitions.declare(
        engine_of(request),
        competitions.Competition(
            body.name,
            metric,
            Period(body.start, body.end),
            step,
            tuple(body.units),
            body.banner,
        ),
        session.account.username,
    )
    return {"name": made.name, "units": list(made.units), "metric": made.metric.value}


@router.put("/me/honour", status_code=204)
def my_honour(
    body: models.HonourIn,
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
) -> None:
    """Be named on the honour board, or not (your work still counts for your brigade)."""
    honour.set_public(
        engine_of(request), own_worker(session), body.public, session.account.username, body.reason
    )


@router.get("/titles")
def titles_in_scope(
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    worker_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    """Titles of workers in your scope, each with its rule, evidence and history (the evidence
    is fulfilment, so those who see no results, such as the admin, are refused)."""
    subtrees = session.account.scopes(Permission.VIEW_FULFILMENT)
    found, _ = titles.grant_page(
        engine_of(request), subtrees, None, (), False, None, worker_id=worker_id
    )
    return [titles.grant_dict(g) for g in found]


@router.get("/incidents")
def incidents_in_scope(
    session: Annotated[Session, requires(Permission.VIEW_AUDIT)],
    request: Request,
    during: Annotated[Period, Depends(period)],
) -> list[dict[str, Any]]:
    """Safety incidents involving workers in your scope (they gate titles and the board)."""
    engine = engine_of(request)
    found = incidents.incidents(engine, during)
    units = reports.homes(engine, {w for i in found for w in i.worker_ids})
    subtrees = session.account.scopes(Permission.VIEW_AUDIT)
    return [
        incidents.incident_dict(i)
        for i in found
        if any(within_any(units.get(w, ""), subtrees) for w in i.worker_ids)
    ]


Conferrer = Annotated[Session, requires(Permission.CONFER_TITLES)]


@router.get("/titles/proposals")
def title_proposals(
    session: Conferrer,
    request: Request,
    during: Bounded,
    unit: Annotated[str | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """The titles the rules give for a period (nothing is written), and who the safety and
    quality gates bar, with why."""
    check_scope(session.account, Permission.CONFER_TITLES, [unit] if unit else [])
    if not unit and not session.account.allows(Permission.CONFER_TITLES, None):
        raise forbidden("name a unit in your scope")
    evaluation = titles.evaluate(engine_of(request), during, unit)
    return {
        "proposals": [titles.proposal_dict(p, evaluation.rulebook) for p in evaluation.proposals],
        "excluded": [
            {"worker_id": e.worker_id, "reasons": list(e.reasons)} for e in evaluation.exclusions
        ],
    }


@router.post("/titles/conferrals", status_code=201, responses={403: {}, 422: {}})
def confer(body: models.ConferralIn, session: Conferrer, request: Request) -> list[dict[str, Any]]:
    """Confer the proposals of a period (optionally some workers or titles); each title keeps
    its rule, evidence and who conferred it."""
    if body.end < body.start:
        raise FieldError(["body", "to"], "ends before from")
    check_scope(session.account, Permission.CONFER_TITLES, [body.unit] if body.unit else [])
    if not body.unit and not session.account.allows(Permission.CONFER_TITLES, None):
        raise forbidden("name a unit in your scope")
    done = titles.confer(
        engine_of(request),
        Period(body.start, body.end),
        session.account.username,
        workers=set(body.workers) if body.workers else None,
        titles=set(body.titles) if body.titles else None,
        within=body.unit,
    )
    return [titles.grant_dict(g) for g in done.grants]


def _mentorship(m: Any) -> dict[str, Any]:
    return {
        "link_id": m.link_id,
        "master_id": m.master_id,
        "apprentice_id": m.apprentice_id,
        "from": m.start,
        "to": m.end,
    }


@router.get("/mentoring")
def mentoring(
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    as_of: Annotated[IsoDate | None, Query()] = None,
) -> dict[str, Any]:
    """Each apprentice's fair fulfilment before and since their master, and each master's
    verdict, for apprentices in your scope."""
    engine = engine_of(request)
    subtrees = session.account.scopes(Permission.VIEW_FULFILMENT)
    progress, masters = mentoring_service.report(engine, as_of or dt.date.today())
    units = reports.homes(
        engine, {p.mentorship.apprentice_id for p in progress} | {m.master_id for m in masters}
    )
    shown = [p for p in progress if within_any(units.get(p.mentorship.apprentice_id, ""), subtrees)]
    return {
        "links": [mentoring_service.progress_dict(p) for p in shown],
        "masters": [
            mentoring_service.master_dict(m)
            for m in masters
            if within_any(units.get(m.master_id, ""), subtrees)
        ],
    }


@router.post("/mentoring", status_code=201, responses={403: {}, 422: {}})
def link(
    body: models.MentorshipIn,
    session: Annotated[Session, requires(Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """Link a master to an apprentice, both in your scope, as `stakhanov mentoring link`."""
    homes = [_home(request, body.master_id), _home(request, body.apprentice_id)]
    check_scope(session.account, Permission.MANAGE_WORKERS, homes)
    made = mentoring_service.link(
        engine_of(request),
        body.master_id,
        body.apprentice_id,
        body.start,
        session.account.username,
        body.note,
    )
    return _mentorship(made)


@router.post("/mentoring/{link_id}/end", responses={403: {}, 404: {}, 422: {}})
def end_link(
    link_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    body: models.MentorshipEndIn,
    session: Annotated[Session, requires(Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """End a master's link to an apprentice (the apprentice must be in your scope)."""
    engine = engine_of(request)
    found = next((m for m in dashboard.mentorships(engine) if m.link_id == link_id), None)
    if found is None:
        raise LookupError(f"link {link_id}")
    check_scope(session.account, Permission.MANAGE_WORKERS, [_home(request, found.apprentice_id)])
    done = mentoring_service.end(engine, link_id, body.on, session.account.username, body.reason)
    return _mentorship(done)


@router.put("/workers/{worker_id}/honour", status_code=204, responses={403: {}, 404: {}})
def worker_honour(
    worker_id: Annotated[str, Path(max_length=100)],
    body: models.WorkerHonourIn,
    session: Annotated[Session, requires(Permission.MANAGE_WORKERS)],
    request: Request,
) -> None:
    """Record a worker's wish to be left off public boards, or shown again, for a worker in
    your scope who has no login (as `stakhanov honour opt-out/opt-in`)."""
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise LookupError(f"worker {worker_id}")
    check_scope(session.account, Permission.MANAGE_WORKERS, [found.unit])
    honour.set_public(
        engine_of(request), worker_id, body.public, session.account.username, body.reason
    )
