"""The foundation's reports, each limited to what the caller's scope reaches."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Connection

from stakhanov.api import convert, models
from stakhanov.api.models import IsoDate
from stakhanov.api.params import Paged, period
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, own_worker, requires
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.audit import FindingKind
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.domain.workers import Worker
from stakhanov.services import chain, dashboard, history, reports, reviews
from stakhanov.services.accounts import Session

router = APIRouter(route_class=PolicyRoute, tags=["reports"])


class Status(StrEnum):
    OPEN = "open"
    EXPLAINED = "explained"
    UPHELD = "upheld"


During = Annotated[Period, Depends(period)]
UnitQuery = Annotated[
    str | None, Query(max_length=500, description="Only this unit and the units below it.")
]


def one_connection(request: Request) -> Connection:
    """The request's reads on one connection: a page holds one, not one per query, so the
    pool serves as many requests as the server lets in (api/admission.py)."""
    return engine_of(request).connect().execution_options(read_only=True)


def scoped(session: Session, permission: Permission, unit: str | None) -> list[str] | None:
    """The caller's subtrees for a permission; 403 if a unit asked for lies outside them."""
    if unit:
        check_scope(session.account, permission, [unit])
    return session.account.scopes(permission)


def _worker_in_scope(
    request: Request, session: Session, worker_id: str, permission: Permission
) -> Worker:
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise LookupError(f"worker {worker_id}")
    check_scope(session.account, permission, [found.unit])
    return found


@router.get("/workers")
def workers(
    session: Annotated[Session, requires(Permission.VIEW_WORKERS)],
    request: Request,
    unit: UnitQuery = None,
) -> list[models.WorkerOut]:
    """Workers whose home unit lies in your scope."""
    subtrees = scoped(session, Permission.VIEW_WORKERS, unit)
    found = reports.workers(engine_of(request), unit)
    return [convert.worker(w) for w in found if within_any(w.unit, subtrees)]


@router.get("/workers/{worker_id}", responses={403: {}, 404: {}})
def worker(
    worker_id: str,
    session: Annotated[Session, requires(Permission.VIEW_WORKERS)],
    request: Request,
) -> models.WorkerOut:
    return convert.worker(_worker_in_scope(request, session, worker_id, Permission.VIEW_WORKERS))


@router.get("/workers/{worker_id}/fulfilment", responses={403: {}, 404: {}})
def worker_fulfilment(
    worker_id: str,
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    during: During,
) -> models.WorkerDetailOut:
    """One worker's fulfilment by operation, stated and fair, and its daily trend."""
    found = _worker_in_scope(request, session, worker_id, Permission.VIEW_FULFILMENT)
    return _detail(request, found, during)


def _detail(request: Request, found: Worker, during: Period) -> models.WorkerDetailOut:
    with one_connection(request) as connection:
        found_rows = reports.fulfilment(
            connection, during, Grouping.WORKER, found.unit, found.worker_id
        )
        points = dashboard.trend(connection, during, [found.unit], worker_id=found.worker_id)
    rows = [r for r in found_rows if r.fulfilment.group[0] == found.worker_id]
    return models.WorkerDetailOut(
        worker=convert.worker(found),
        fulfilment=convert.fulfilment(rows),
        trend=convert.trend(points),
    )


@router.get("/me/fulfilment", responses={403: {}})
def my_fulfilment(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
    during: During,
) -> models.WorkerDetailOut:
    """Your own fulfilment, stated and fair, and its daily trend."""
    found = dashboard.worker(engine_of(request), own_worker(session))
    if found is None:
        raise LookupError("your worker record")
    return _detail(request, found, during)


@router.get("/me/shifts", responses={403: {}})
def my_shifts(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
    during: During,
) -> list[models.ShiftOut]:
    """Every shift you worked in, with its whole crew and how the output was credited."""
    views = dashboard.shifts(engine_of(request), during, [], worker_id=own_worker(session))
    return [convert.shift(v) for v in views]


@router.get("/norms")
def norms(
    session: Annotated[Session, requires(Permission.VIEW_NORMS)],
    request: Request,
    on: Annotated[IsoDate | None, Query(description="Only norms in force on this date.")] = None,
) -> list[models.NormOut]:
    """Every norm version, or those in force on a date."""
    return [models.NormOut(**reports.norm_dict(n)) for n in reports.norms(engine_of(request), on)]


@router.get("/fulfilment")
def fulfilment(
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    during: During,
    paged: Paged,
    by: Grouping = Grouping.WORKER,
    unit: UnitQuery = None,
) -> list[models.FulfilmentOut]:
    """Fulfilment of the norm, stated and fair, as `stakhanov fulfilment --json`."""
    subtrees = scoped(session, Permission.VIEW_FULFILMENT, unit)
    with one_connection(request) as connection:
        if by is Grouping.UNIT and paged.size is not None:  # a page of the unit sums, in SQL
            found = dashboard.fulfilment_page(
                connection, during, subtrees, unit, paged.size, paged.offset
            )
            if found is not None:
                return convert.fulfilment(found)
        if by is Grouping.WORKER and paged.size is not None:  # the worker month sums, in SQL
            found = dashboard.worker_fulfilment_page(
                connection, during, subtrees, unit, paged.size, paged.offset
            )
            if found is not None:
                return convert.fulfilment(found)
        rows = dashboard.fulfilment(connection, during, by, subtrees, unit)
    return convert.fulfilment(paged.of(rows))


@router.get("/trend")
def trend(
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    during: During,
    unit: UnitQuery = None,
) -> list[models.TrendOut]:
    """Fulfilment per day, stated and fair, over your scope or one unit."""
    subtrees = scoped(session, Permission.VIEW_FULFILMENT, unit)
    with one_connection(request) as connection:
        points = dashboard.trend(connection, during, subtrees, unit)
    return convert.trend(points)


@router.get("/audit")
def audit(
    session: Annotated[Session, requires(Permission.VIEW_AUDIT)],
    request: Request,
    during: During,
    paged: Paged,
    kind: Annotated[list[FindingKind] | None, Query()] = None,
    status: Annotated[Status | None, Query(description="open, explained or upheld")] = None,
) -> list[models.FindingOut]:
    """Findings on shifts at workplaces in your scope with their review status, as
    `stakhanov audit --json`."""
    subtrees = session.account.scopes(Permission.VIEW_AUDIT)
    kinds = {k.value for k in kind} if kind else None
    chosen = status.value if status else None
    with one_connection(request) as connection:  # filtered and paged in SQL (decision 0595)
        found = dashboard.reviewed(
            connection, during, subtrees, kinds, chosen, paged.size, paged.offset
        )
    return [convert.finding(f) for f in found]


@router.get("/ledger/verify")
def verify_ledger(
    _session: Annotated[Session, requires(Permission.VIEW_AUDIT, organisation_wide=True)],
    request: Request,
) -> models.ChainStateOut:
    """Recompute the ledger's hash chain and name every row changed behind it, as
    `stakhanov verify-ledger --json` (the whole organisation's ledger: organisation-wide)."""
    found = chain.verify_ledger(engine_of(request))
    return models.ChainStateOut.model_validate(chain.chain_state(found))


@router.post("/audit/reviews", status_code=201, responses={403: {}, 404: {}, 422: {}})
def review(
    body: models.ReviewIn,
    session: Annotated[Session, requires(Permission.REVIEW_FINDINGS)],
    request: Request,
) -> models.FindingOut:
    """Explain or uphold a current finding; the decision is kept with its reviewer."""
    engine = engine_of(request)
    shift = dashboard.shift(engine, body.shift_id)
    if shift is None:
        raise LookupError(f"shift {body.shift_id}")
    check_scope(session.account, Permission.REVIEW_FINDINGS, [shift.workplace])
    done = reviews.review(
        engine,
        body.kind,
        body.shift_id,
        body.operation or None,
        body.decision,
        body.reason,
        session.account.username,
    )
    return convert.finding(done)


@router.post("/audit/reviews/bulk", status_code=201, responses={403: {}, 404: {}, 422: {}})
def review_many(
    body: models.BulkReviewIn,
    session: Annotated[Session, requires(Permission.REVIEW_FINDINGS)],
    request: Request,
) -> list[models.FindingOut]:
    """Explain or uphold many current findings with one reason, all or none; each decision
    is kept with its reviewer as a single one would be."""
    engine = engine_of(request)
    for shift_id in sorted({f.shift_id for f in body.findings}):
        shift = dashboard.shift(engine, shift_id)
        if shift is None:
            raise LookupError(f"shift {shift_id}")
        check_scope(session.account, Permission.REVIEW_FINDINGS, [shift.workplace])
    done = reviews.review_many(
        engine,
        [(f.kind, f.shift_id, f.operation or None) for f in body.findings],
        body.decision,
        body.reason,
        session.account.username,
    )
    return [convert.finding(d) for d in done]


@router.get("/shifts")
def shifts(
    session: Annotated[Session, requires(Permission.VIEW_SHIFTS)],
    request: Request,
    during: During,
    paged: Paged,
    unit: UnitQuery = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[models.ShiftOut]:
    """Shifts at workplaces in your scope, newest first, with output and crew; only the page
    asked for is read (page_size, else at most `limit`)."""
    subtrees = scoped(session, Permission.VIEW_SHIFTS, unit)
    size = paged.size or limit
    views = dashboard.shifts(
        engine_of(request), during, subtrees, unit, limit=size, offset=(paged.page - 1) * size
    )
    return [convert.shift(v) for v in views]


@router.get("/units")
def units(
    session: Annotated[Session, requires(Permission.VIEW_WORKERS)], request: Request
) -> list[str]:
    """The units of the organisation tree that you may see."""
    return dashboard.unit_paths(engine_of(request), session.account.scopes(Permission.VIEW_WORKERS))


@router.get("/history")
def claims(
    session: Annotated[Session, requires(Permission.VIEW_HISTORY)],
) -> list[models.ClaimOut]:
    """The bundled historical claims, each as its source states it."""
    return [convert.claim(c) for c in history.claims()]


@router.get("/batches")
def batches(
    session: Annotated[Session, requires(Permission.VIEW_BATCHES, organisation_wide=True)],
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[models.BatchOut]:
    """Every write to the ledger, newest first, with its author."""
    return [models.BatchOut(**b) for b in dashboard.recent_batches(engine_of(request), limit)]
