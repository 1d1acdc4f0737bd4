"""Titles after they are conferred (revoked, appealed, reinstated), method innovations, the
rulebook, and awards: the rest of `stakhanov titles`, `stakhanov rulebook` and `stakhanov awards`.

The director revokes titles, decides appeals and grants awards for workers in scope; a worker
appeals a revocation of their own title, or their foreman appeals it for them (a worker is not
a login). Every write names its author.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from stakhanov.api import models
from stakhanov.api.errors import FieldError
from stakhanov.api.params import period
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, forbidden, requires
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.periods import Period
from stakhanov.domain.titles import AwardKind, AwardTerms, TitleEventKind
from stakhanov.services import awards, dashboard, reports, rulebooks, titles
from stakhanov.services.accounts import Session

router = APIRouter(route_class=PolicyRoute, tags=["titles and awards"])
Conferrer = Annotated[Session, requires(Permission.CONFER_TITLES)]
TitleId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _title(request: Request, title_id: int) -> titles.Grant:
    found = next((g for g in titles.grants(engine_of(request)) if g.title_id == title_id), None)
    if found is None:
        raise LookupError(f"title {title_id}")
    return found


def _unit_of(request: Request, worker_id: str, field: str = "worker_id") -> str:
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise FieldError(["body", field], f"unknown worker {worker_id!r}")
    return found.unit


def _event(
    request: Request, session: Session, grant: titles.Grant, kind: TitleEventKind, body: Any
) -> dict[str, Any]:
    done = titles.record_event(
        engine_of(request),
        grant.title_id,
        kind,
        body.on or dt.date.today(),
        body.reason,
        session.account.username,
    )
    return titles.grant_dict(done)


@router.post("/titles/{title_id}/revoke", responses={403: {}, 404: {}, 422: {}})
def revoke(
    title_id: TitleId, body: models.TitleEventIn, session: Conferrer, request: Request
) -> dict[str, Any]:
    """Revoke a title with a reason (appealable once), as `stakhanov titles revoke`."""
    grant = _title(request, title_id)
    check_scope(session.account, Permission.CONFER_TITLES, [_unit_of(request, grant.worker_id)])
    return _event(request, session, grant, TitleEventKind.REVOKED, body)


@router.post("/titles/{title_id}/appeal", responses={403: {}, 404: {}, 422: {}})
def appeal(
    title_id: TitleId,
    body: models.TitleEventIn,
    session: Annotated[Session, requires(Permission.VIEW_OWN, Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """Appeal the revocation of your own title, or of a worker's in your scope."""
    grant = _title(request, title_id)
    account = session.account
    own = account.worker_id == grant.worker_id and account.scopes(Permission.VIEW_OWN) != []
    if not own and not account.allows(
        Permission.MANAGE_WORKERS, _unit_of(request, grant.worker_id)
    ):
        raise forbidden("you may appeal only your own titles, or those of workers in your scope")
    return _event(request, session, grant, TitleEventKind.APPEALED, body)


@router.post("/titles/{title_id}/appeal-decision", responses={403: {}, 404: {}, 422: {}})
def decide_appeal(
    title_id: TitleId, body: models.AppealDecisionIn, session: Conferrer, request: Request
) -> dict[str, Any]:
    """Decide an appeal: reinstate the title or dismiss the appeal, with a reason."""
    grant = _title(request, title_id)
    check_scope(session.account, Permission.CONFER_TITLES, [_unit_of(request, grant.worker_id)])
    kind = TitleEventKind.REINSTATED if body.reinstate else TitleEventKind.APPEAL_DISMISSED
    return _event(request, session, grant, kind, body)


@router.post("/innovations", status_code=201, responses={403: {}, 422: {}})
def innovation(
    body: models.InnovationIn,
    session: Annotated[Session, requires(Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """Record a method innovation of a worker in your scope (the Stakhanovite rule may count
    it), as `stakhanov titles innovation`."""
    check_scope(session.account, Permission.MANAGE_WORKERS, [_unit_of(request, body.worker_id)])
    titles.record_innovation(
        engine_of(request),
        body.worker_id,
        body.date,
        body.description,
        session.account.username,
    )
    return {"worker_id": body.worker_id, "date": body.date, "description": body.description}


@router.get("/rulebook")
def rulebook(
    session: Annotated[Session, requires(Permission.VIEW_RECOGNITION)], request: Request
) -> dict[str, Any]:
    """The rulebook in force: every title with its rule, validity and award, and the gates."""
    with engine_of(request).connect() as connection:
        return rulebooks.describe(rulebooks.in_force(connection))


@router.post("/rulebook", status_code=201, responses={403: {}, 422: {}})
def import_rulebook(
    body: models.RulebookIn,
    session: Annotated[Session, requires(Permission.CONFER_TITLES, organisation_wide=True)],
    request: Request,
) -> dict[str, Any]:
    """Store a new version of the rulebook (a higher version than the one in force), as
    `stakhanov rulebook import`; every problem is named by its line."""
    book, stored = rulebooks.import_text(
        engine_of(request), body.text, body.name, session.account.username
    )
    return {"name": book.name, "version": book.version, "stored": stored}


def _in_scope(session: Session, permission: Permission, units: dict[str, str]) -> Any:
    subtrees = session.account.scopes(permission)
    return lambda worker_id: within_any(units.get(worker_id, ""), subtrees)


@router.get("/awards")
def list_awards(
    session: Annotated[Session, requires(Permission.VIEW_PAY, Permission.CONFER_TITLES)],
    request: Request,
    during: Annotated[Period, Depends(period)],
    worker_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    """Current awards of workers in your scope (cancelled ones left out), by date."""
    with engine_of(request).connect() as connection:
        found = awards.current(connection, during)
    units = reports.homes(engine_of(request), {a.worker_id for a in found})
    seen = [
        _in_scope(session, p, units)
        for p in (Permission.VIEW_PAY, Permission.CONFER_TITLES)
        if session.account.scopes(p) != []
    ]
    return [
        awards.award_dict(a)
        for a in found
        if (worker_id is None or a.worker_id == worker_id) and any(s(a.worker_id) for s in seen)
    ]


@router.get("/awards/bonuses")
def award_bonuses(
    session: Annotated[Session, requires(Permission.VIEW_PAY)],
    request: Request,
    during: Annotated[Period, Depends(period)],
) -> list[dict[str, Any]]:
    """The named bonus lines a period's money awards make on pay slips, in your scope."""
    with engine_of(request).connect() as connection:
        found = awards.award_bonuses(connection, during)
    seen = _in_scope(
        session,
        Permission.VIEW_PAY,
        reports.homes(engine_of(request), {b.worker_id for b in found}),
    )
    return [
        {
            "worker_id": b.worker_id,
            "date": b.date,
            "code": b.code,
            "amount": str(b.amount),
            "currency": b.currency,
            "explain": b.explain,
            "reference": b.reference,
        }
        for b in found
        if seen(b.worker_id)
    ]


@router.post("/awards", status_code=201, responses={403: {}, 422: {}})
def grant_award(body: models.AwardIn, session: Conferrer, request: Request) -> dict[str, Any]:
    """Grant an award for a title or a record claim to a worker in your scope: money
    (`amount`, paid as a bonus line) or in kind (`in_kind`)."""
    if (body.amount is None) == (body.in_kind is None):
        raise FieldError(["body", "amount"], "give amount or in_kind, not both or neither")
    check_scope(session.account, Permission.CONFER_TITLES, [_unit_of(request, body.worker_id)])
    if body.amount is not None:
        terms = AwardTerms(AwardKind.MONEY, body.amount, body.currency)
    else:
        terms = AwardTerms(AwardKind.IN_KIND, description=body.in_kind)
    made = awards.grant(
        engine_of(request),
        worker_id=body.worker_id,
        date=body.date or dt.date.today(),
        code=body.code,
        terms=terms,
        by=session.account.username,
        title_id=body.title_id,
        claim_id=body.claim_id,
        reason=body.reason,
    )
    return awards.award_dict(made)


@router.post("/awards/{award_id}/cancel", responses={403: {}, 404: {}, 422: {}})
def cancel_award(
    award_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    body: models.AwardCancelIn,
    session: Conferrer,
    request: Request,
) -> dict[str, Any]:
    """Cancel an award by a reversing entry (it stays in the history)."""
    engine = engine_of(request)
    with engine.connect() as connection:
        found = next((a for a in awards.current(connection) if a.award_id == award_id), None)
    if found is None:
        raise LookupError(f"award {award_id}")
    check_scope(session.account, Permission.CONFER_TITLES, [_unit_of(request, found.worker_id)])
    done = awards.cancel(engine, award_id, body.reason, session.account.username)
    return {**awards.award_dict(done), "cancelled": True}
