"""Norm governance: revisions proposed with evidence and decided step by step; plans; notices.

Each approval step is taken by the role it names (`may_decide`), so a director cannot take
the representatives' step, nor a rate-setter approve their own proposal at the director's.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api import convert, models
from stakhanov.api.errors import FieldError
from stakhanov.api.models import IsoDate
from stakhanov.api.reports import During, UnitQuery, scoped
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, forbidden, own_worker, requires
from stakhanov.domain.access import Permission, may_decide, within_any
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.governance import Verdict, policy_dict
from stakhanov.domain.periods import Period, parse_period
from stakhanov.domain.proposals import Basis
from stakhanov.domain.provenance import TimeStudy
from stakhanov.domain.rounding import rounded
from stakhanov.domain.units import parse_path
from stakhanov.i18n import COOKIE, of_request
from stakhanov.services import (
    dashboard,
    notices,
    plans,
    policies,
    proposals,
    revisions,
)
from stakhanov.services.accounts import Account, Session
from stakhanov.services.entry import enter
from stakhanov.services.revisions import visible_revision
from stakhanov.sim import report as simulations
from stakhanov.sim.ratchet import Model

router = APIRouter(route_class=PolicyRoute, tags=["governance"])
RevisionId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Viewer = Annotated[Session, requires(Permission.VIEW_NORMS)]


def _revision(found: revisions.Revision, account: Account) -> models.RevisionDetailOut:
    full = visible_revision(account, found.as_dict(full=True))
    summary = found.as_dict()
    evidence = {
        k: v for k, v in full.items() if k not in summary and k not in ("decisions", "steps")
    }
    return models.RevisionDetailOut(
        **summary,
        reason=found.reason,
        evidence=evidence,
        decisions=full["decisions"],
        steps=full["steps"],
    )


@router.get("/revisions")
def list_revisions(
    session: Viewer,
    request: Request,
    operation: Annotated[str | None, Query(max_length=200)] = None,
) -> list[models.RevisionOut]:
    """Every norm revision with its status and the step it waits for; open to everyone."""
    return [
        models.RevisionOut(**r.as_dict())
        for r in revisions.revisions(engine_of(request), operation)
    ]


@router.get("/revisions/{revision_id}", responses={404: {}})
def get_revision(
    revision_id: RevisionId, session: Viewer, request: Request
) -> models.RevisionDetailOut:
    """A revision with its evidence, its impact on every worker's fulfilment and pay."""
    return _revision(revisions.revision(engine_of(request), revision_id), session.account)


def _basis(text: str) -> Basis:
    try:
        return Basis(text)
    except ValueError as err:
        raise FieldError(["body", "basis"], "must be technical, time study or statistical") from err


@router.post("/revisions", status_code=201, responses={403: {}, 422: {}})
def propose(
    body: models.ProposalIn,
    session: Annotated[Session, requires(Permission.MANAGE_NORMS, organisation_wide=True)],
    request: Request,
) -> models.RevisionDetailOut | dict[str, Any]:
    """Propose a revision with its basis; its impact is computed and kept with it."""
    window = None
    if body.start or body.end:
        if not (body.start and body.end) or body.end < body.start:
            raise FieldError(["body", "from"], "give from and to, from first")
        window = Period(body.start, body.end)
    study = None
    try:
        if body.observations is not None:
            minutes, pace, allowances = body.observed_minutes, body.pace_rating, body.allowances
            if minutes is None or pace is None or allowances is None:
                raise FieldError(["body", "observed_minutes"], "a time study needs every figure")
            study = TimeStudy(body.observations, minutes, pace, allowances)
        asked = proposals.Request(
            operation=body.operation,
            basis=_basis(body.basis),
            by=session.account.username,
            reason=body.reason,
            proposed_on=dt.date.today(),
            window=window,
            evidence=body.evidence,
            percentile=body.percentile,
            target=body.target,
            norm=body.norm,
            study=study,
        )
        document = proposals.propose(engine_of(request), asked, dry_run=body.dry_run)
    except InvalidValue as err:
        raise FieldError(["body", err.field], err.reason) from err
    if body.dry_run:
        return document
    if document["revision_id"] is None:
        raise FieldError(["body", "operation"], document["warnings"][-1])
    return _revision(
        revisions.revision(engine_of(request), document["revision_id"]), session.account
    )


@router.post("/revisions/{revision_id}/decisions", responses={403: {}, 404: {}, 422: {}})
def decide(
    revision_id: RevisionId,
    body: models.DecisionIn,
    session: Annotated[Session, requires(Permission.DECIDE_REVISIONS, Permission.MANAGE_NORMS)],
    request: Request,
) -> models.RevisionDetailOut:
    """Take your step on a revision: approve or (at an advisory step) object, or reject.

    The proposer's side (a rate-setter) may withdraw it. The last approval announces it.
    """
    try:
        verdict = Verdict(body.decision)
    except ValueError as err:
        raise FieldError(["body", "decision"], "must be approve, reject or withdraw") from err
    grants = session.account.grants
    if verdict is Verdict.WITHDRAW:
        if not session.account.allows(Permission.MANAGE_NORMS, None):
            raise forbidden("only a rate-setter for the whole organisation may withdraw")
    elif not may_decide(grants, body.step):
        raise forbidden(f"the {body.step} step is not yours to take")
    done = revisions.decide(
        engine_of(request),
        revision_id,
        body.step,
        verdict,
        session.account.username,
        body.reason,
        dt.date.today(),
    )
    return _revision(done, session.account)


@router.get("/plans")
def plan_status(
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    during: During,
    unit: UnitQuery = None,
) -> list[models.PlanOut]:
    """Plan fulfilment over the tree (units with plans and every unit above them)."""
    subtrees = scoped(session, Permission.VIEW_FULFILMENT, unit)
    bounded = None if during.start == dt.date(1, 1, 1) and during.end.year == 9999 else during
    found = plans.status(engine_of(request), bounded, unit)
    return [models.PlanOut(**plans.status_dict(s)) for s in found if within_any(s.unit, subtrees)]


@router.get("/me/notice")
def my_notice(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
    on: Annotated[IsoDate | None, Query(description="The day the notice speaks of.")] = None,
) -> dict[str, Any]:
    """The norms that apply to you: how each was set, what is announced or proposed."""
    found = notices.notice(engine_of(request), own_worker(session), on or dt.date.today())
    return notices.notice_dict(found)


NOTICE_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The notice, as the text reads."}
}


def _notice_pdf(request: Request, notice: notices.WorkerNotice) -> Response:
    """The notice in the reader's language (the pages' selector, else Accept-Language)."""
    language = of_request(request.cookies.get(COOKIE), request.headers.get("accept-language"))
    with tempfile.TemporaryDirectory(prefix="stakhanov-notice-") as folder:
        path = FilePath(folder) / "notice.pdf"
        notices.write_pdf(notice, path, language)
        content = path.read_bytes()
    name = f"notice-{notice.worker.worker_id}.pdf"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/me/notice.pdf", response_class=Response, responses=NOTICE_PDF)
def my_notice_pdf(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
    on: Annotated[IsoDate | None, Query(description="The day the notice speaks of.")] = None,
) -> Response:
    """Your written notice of norms as a PDF (`stakhanov norms notice --pdf`)."""
    found = notices.notice(engine_of(request), own_worker(session), on or dt.date.today())
    return _notice_pdf(request, found)


@router.get("/me/data")
def my_data(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
    as_of: Annotated[IsoDate | None, Query()] = None,
) -> dict[str, Any]:
    """Your own data: every shift and your fulfilment over the 90 days up to `as_of`."""
    return notices.worker_data(engine_of(request), own_worker(session), as_of)


@router.get("/policy")
def policy(session: Viewer, request: Request) -> dict[str, Any]:
    """The governance policy in force: notice, approval steps, caps, breaks (or the defaults)."""
    stored = policies.load(engine_of(request))
    return {"policy_id": stored.policy_id, "author": stored.author, **policy_dict(stored.policy)}


@router.put("/policy", responses={403: {}, 422: {}})
def set_policy(
    body: models.PolicyIn,
    session: Annotated[Session, requires(Permission.SET_POLICY, organisation_wide=True)],
    request: Request,
) -> dict[str, Any]:
    """Set the governance policy (TOML, as `stakhanov norms policy set`); it governs every
    proposal made from now on, and earlier proposals keep the policy they were made under."""
    stored = policies.write(engine_of(request), body.text, session.account.username, body.reason)
    return {"policy_id": stored.policy_id, "author": stored.author, **policy_dict(stored.policy)}


@router.get("/norms/provenance")
def provenance(
    session: Viewer,
    request: Request,
    operation: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict[str, Any]]:
    """How each norm version was set: method, time-study figures, evidence and approvals."""
    return dashboard.provenance(engine_of(request), operation)


@router.get("/workers/{worker_id}/notice", responses={403: {}, 404: {}})
def worker_notice(
    worker_id: Annotated[str, Path(max_length=100)],
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    on: Annotated[IsoDate | None, Query()] = None,
) -> dict[str, Any]:
    """A worker's written notice of the norms that apply to them, as `norms notice`.

    It tells the worker's fulfilment, so it is for those who see fulfilment there (not the
    admin, who manages accounts and sees no one's results)."""
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise LookupError(f"worker {worker_id}")
    check_scope(session.account, Permission.VIEW_FULFILMENT, [found.unit])
    return notices.notice_dict(notices.notice(engine_of(request), worker_id, on or dt.date.today()))


@router.get("/workers/{worker_id}/notice.pdf", response_class=Response, responses=NOTICE_PDF)
def worker_notice_pdf(
    worker_id: Annotated[str, Path(max_length=100)],
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    on: Annotated[IsoDate | None, Query()] = None,
) -> Response:
    """A worker's written notice of norms as a PDF, to print and hand over."""
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise LookupError(f"worker {worker_id}")
    check_scope(session.account, Permission.VIEW_FULFILMENT, [found.unit])
    return _notice_pdf(
        request, notices.notice(engine_of(request), worker_id, on or dt.date.today())
    )


@router.get("/workers/{worker_id}/data", responses={403: {}, 404: {}})
def worker_data(
    worker_id: Annotated[str, Path(max_length=100)],
    session: Annotated[Session, requires(Permission.VIEW_FULFILMENT)],
    request: Request,
    as_of: Annotated[IsoDate | None, Query()] = None,
) -> dict[str, Any]:
    """A worker's 90 days of output and fulfilment, as `stakhanov worker-data`."""
    found = dashboard.worker(engine_of(request), worker_id)
    if found is None:
        raise LookupError(f"worker {worker_id}")
    check_scope(session.account, Permission.VIEW_FULFILMENT, [found.unit])
    return notices.worker_data(engine_of(request), worker_id, as_of)


def _period_field(text: str, field: str) -> Period:
    try:
        return parse_period(text)
    except InvalidValue as err:
        raise FieldError(["body", field], err.reason) from err


@router.post("/plans/cascade", responses={403: {}, 422: {}})
def plan_cascade(
    body: models.CascadeIn,
    session: Annotated[Session, requires(Permission.MANAGE_PLANS)],
    request: Request,
) -> dict[str, Any]:
    """Split a unit's target over the units below it by their capacity in norm output, as
    `stakhanov plan cascade`; with `apply`, record the targets as an import of plans.csv (all
    or nothing, each row's unit checked against your scope)."""
    check_scope(session.account, Permission.MANAGE_PLANS, [body.unit])
    engine = engine_of(request)
    try:
        made = plans.plan_cascade(
            engine,
            parse_path(body.unit),
            body.operation,
            _period_field(body.period, "period"),
            target=body.target,
            unit_of_measure=body.unit_of_measure,
            overrides={parse_path(u): t for u, t in body.overrides.items()},
            reference=_period_field(body.reference, "reference") if body.reference else None,
            levels=body.levels,
        )
    except InvalidValue as err:
        raise FieldError(["body", "overrides"], f"{err.value!r} {err.reason}") from err
    recorded = None
    if body.apply:
        report = enter(
            engine,
            plans.cascade_batch(made),
            session.account.allows,
            author=session.account.username,
            correct=body.correct,
            reason=plans.cascade_reason(made) if body.correct else None,
        )
        recorded = convert.imported(report).model_dump(mode="json")
    return {
        "unit": made.unit,
        "operation": made.operation,
        "period": str(made.period),
        "target": made.target,
        "unit_of_measure": made.unit_of_measure,
        "reference": str(made.reference),
        "rows": [
            {
                "unit": r.allocation.unit,
                "parent": r.parent,
                "capacity": rounded(r.allocation.capacity, Decimal("0.001")).normalize(),
                "target": r.allocation.target,
                "overridden": r.allocation.overridden,
            }
            for r in made.rows
        ],
        "unallocated": made.unallocated,
        "recorded": recorded,
    }


@router.get("/simulations/ratchet", responses={403: {}, 422: {}})
async def ratchet_simulation(
    session: Annotated[Session, requires(Permission.DECIDE_REVISIONS, Permission.MANAGE_NORMS)],
    seed: Annotated[int, Query(ge=0, le=2**31 - 1, description="Seed of the workforce.")] = 1935,
    workers: Annotated[int, Query(ge=4, le=100, description="Workers.")] = 40,
    months: Annotated[int, Query(ge=2, le=36, description="Months simulated.")] = 24,
    enthusiasts: Annotated[
        Decimal, Query(ge=0, le=1, max_digits=6, description="Share who chase records.")
    ] = Decimal("0.1"),
    change_month: Annotated[
        int, Query(ge=0, le=36, description="Month new equipment arrives.")
    ] = 8,
) -> dict[str, Any]:
    """Output, pay and hidden capacity under after-record raises and governed revisions, as
    `stakhanov simulate ratchet --json` (seeded, so the same question gets the same answer;
    the command line runs bigger workforces and longer spans)."""
    model = Model(seed, workers, months, enthusiasts, change_month=change_month)
    return await run_in_threadpool(simulations.ratchet, model)
