"""Skills, courses and methods over HTTP: `stakhanov skills`, `courses` and `methods`.

A foreman sees and enters the certifications of workers in his units, a director everyone's
(whoever may view workers, within the scope they may). Anyone logged in sees the methods; a
worker submits his own, a foreman for workers in his units, and whoever adds and revises norms
for the whole organisation evaluates, rejects and adopts them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from stakhanov.api.models import IsoDate, Strict, Text
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, forbidden, requires
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.methods import MethodState, RewardTerms, Step
from stakhanov.domain.skills import Certification, Examination
from stakhanov.services import methods, skills
from stakhanov.services.accounts import Session

router = APIRouter(route_class=PolicyRoute, tags=["skills and methods"])
Viewer = Annotated[Session, requires(Permission.VIEW_WORKERS)]
Judge = Annotated[Session, requires(Permission.MANAGE_NORMS, organisation_wide=True)]
MethodId = Annotated[int, Path(ge=1, le=2_147_483_647)]


class CertificationIn(Strict):
    worker_id: str = Text
    operation: str = Text
    level: str = Field(default="", max_length=100)
    certified_by: str = Text
    valid_from: IsoDate
    valid_until: IsoDate | None = None


class MethodIn(Strict):
    operation: str = Text
    title: str = Text
    change: str = Field(min_length=1, max_length=5000)
    evidence: str = Field(default="", max_length=5000)
    time_study: str | None = Field(default=None, max_length=5000)
    authors: list[str] = Field(default_factory=list, max_length=100)
    brigade: str | None = Field(default=None, max_length=500)
    on: IsoDate | None = None


class StepIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)
    on: IsoDate | None = None


class AdoptIn(StepIn):
    norm: Decimal = Field(gt=0)
    share: Decimal = Field(gt=0, le=1)
    tariff: Decimal = Field(gt=0)
    months: int = Field(default=6, ge=1, le=120)
    currency: str = Field(default="RUB", min_length=1, max_length=10)


def _seen(session: Session, found: skills.Registry, worker_id: str) -> bool:
    worker = found.workers.get(worker_id)
    subtrees = session.account.scopes(Permission.VIEW_WORKERS)
    return worker is not None and within_any(worker.unit, subtrees)


@router.get("/skills", responses={403: {}})
def certifications(
    session: Viewer,
    request: Request,
    worker_id: Annotated[str | None, Query(max_length=100)] = None,
    on: Annotated[dt.date | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Certifications of the workers you may see, as `stakhanov skills list`."""
    found = skills.load(engine_of(request))
    return [
        skills.certification_dict(c)
        for c in found.certifications
        if _seen(session, found, c.worker_id)
        and (worker_id is None or c.worker_id == worker_id)
        and (on is None or c.valid_on(on))
    ]


@router.get("/skills/lapsing", responses={403: {}})
def lapsing(
    session: Viewer,
    request: Request,
    within: Annotated[int, Query(ge=0, le=3660)] = 30,
    on: Annotated[dt.date | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Certifications of your workers that lapse within the days ahead, renewals counted."""
    engine = engine_of(request)
    found = skills.load(engine)
    lapses = skills.lapses(engine, on or dt.date.today(), within)
    return [skills.lapse_dict(x) for x in lapses if _seen(session, found, x.worker_id)]


@router.post("/skills", status_code=201, responses={403: {}, 422: {}})
def enter_certification(
    body: CertificationIn,
    session: Annotated[Session, requires(Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """Enter one certification of a worker in your scope (stored ones are never edited)."""
    engine = engine_of(request)
    worker = skills.load(engine).workers.get(body.worker_id)
    if worker is not None:
        check_scope(session.account, Permission.MANAGE_WORKERS, [worker.unit])
    made = Certification(
        body.worker_id,
        body.operation,
        body.level,
        body.certified_by,
        body.valid_from,
        body.valid_until,
    )
    added = skills.enter(engine, made, session.account.username)
    return {**skills.certification_dict(made), "added": added}


class ExaminationIn(Strict):
    worker_id: str = Text
    date: IsoDate
    examiner: str = Text
    result: Literal["pass", "fail"]


@router.post(
    "/courses/{course_id}/examinations", status_code=201, responses={403: {}, 404: {}, 422: {}}
)
def enter_examination(
    course_id: Annotated[str, Path(min_length=1, max_length=100)],
    body: ExaminationIn,
    session: Annotated[Session, requires(Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """Record an examination of a worker in your scope; a pass grants the course's
    certification, as a row of `stakhanov courses import`'s examinations.csv."""
    engine = engine_of(request)
    found = skills.load(engine)
    if not any(c.course_id == course_id for c in found.courses):
        raise LookupError(f"course {course_id}")
    worker = found.workers.get(body.worker_id)
    if worker is not None:
        check_scope(session.account, Permission.MANAGE_WORKERS, [worker.unit])
    exam = Examination(course_id, body.worker_id, body.date, body.examiner, body.result)
    added = skills.enter_examination(engine, exam, session.account.username)
    return {
        "course_id": course_id,
        "worker_id": body.worker_id,
        "date": body.date,
        "examiner": body.examiner,
        "result": body.result,
        "added": added,
    }


@router.get("/courses", responses={403: {}})
def courses(session: Viewer, request: Request) -> list[dict[str, Any]]:
    """Courses taught or attended by workers you may see, as `stakhanov courses list`."""
    subtrees = session.account.scopes(Permission.VIEW_WORKERS)
    if subtrees is None:
        return skills.courses(engine_of(request))
    rows: dict[str, dict[str, Any]] = {}
    for unit in subtrees:
        rows |= {r["course_id"]: r for r in skills.courses(engine_of(request), unit)}
    return sorted(rows.values(), key=lambda r: str(r["course_id"]))


@router.get("/methods", responses={403: {}})
def list_methods(
    session: Annotated[Session, requires(Permission.VIEW_NORMS)], request: Request
) -> list[dict[str, Any]]:
    """Every method with its state, steps and the revision it is the basis of."""
    engine = engine_of(request)
    adopted = methods.adoptions(engine)
    return [
        methods.method_dict(m, adopted.get(m.method_id), full=True) for m in methods.methods(engine)
    ]


@router.post("/methods", status_code=201, responses={403: {}, 422: {}})
def submit(
    body: MethodIn,
    session: Annotated[Session, requires(Permission.VIEW_OWN, Permission.MANAGE_WORKERS)],
    request: Request,
) -> dict[str, Any]:
    """Submit a method: your own, or one of workers or a brigade in your scope."""
    engine = engine_of(request)
    account = session.account
    own = account.worker_id is not None and body.authors == [account.worker_id]
    if not own or account.scopes(Permission.VIEW_OWN) == []:
        workers = skills.load(engine).workers
        units = [workers[a].unit for a in body.authors if a in workers]
        units += [body.brigade] if body.brigade else []
        if not units:
            raise forbidden("name the authors or the brigade")
        check_scope(account, Permission.MANAGE_WORKERS, units)
    made = methods.submit(
        engine,
        methods.Submission(
            body.operation,
            body.title,
            body.change,
            body.evidence,
            body.time_study,
            tuple(body.authors),
            body.brigade,
            body.on or dt.date.today(),
            account.username,
        ),
    )
    return methods.method_dict(made, full=True)


def _step(
    request: Request, session: Session, method_id: int, state: MethodState, body: StepIn
) -> dict[str, Any]:
    step = Step(state, session.account.username, body.reason, body.on or dt.date.today())
    return methods.method_dict(methods.move(engine_of(request), method_id, step), full=True)


@router.post("/methods/{method_id}/evaluate", responses={403: {}, 404: {}, 422: {}})
def evaluate(method_id: MethodId, body: StepIn, session: Judge, request: Request) -> dict[str, Any]:
    """Put a submitted method under evaluation."""
    return _step(request, session, method_id, MethodState.UNDER_EVALUATION, body)


@router.post("/methods/{method_id}/reject", responses={403: {}, 404: {}, 422: {}})
def reject(method_id: MethodId, body: StepIn, session: Judge, request: Request) -> dict[str, Any]:
    """Reject a method under evaluation, with why."""
    return _step(request, session, method_id, MethodState.REJECTED, body)


@router.post("/methods/{method_id}/adopt", responses={403: {}, 404: {}, 422: {}})
def adopt(method_id: MethodId, body: AdoptIn, session: Judge, request: Request) -> dict[str, Any]:
    """Adopt a method: it becomes the technical basis of a norm revision, and its authors share
    the savings once the revised norm is in effect, as `stakhanov methods adopt`."""
    try:
        terms = RewardTerms(body.share, body.tariff, body.currency, body.months)
    except InvalidValue as err:
        raise methods.MethodRefused(err.reason, field=err.field) from err
    engine = engine_of(request)
    step = Step(
        MethodState.ADOPTED, session.account.username, body.reason, body.on or dt.date.today()
    )
    made, document = methods.adopt(engine, method_id, body.norm, step, terms)
    adoption = methods.adoptions(engine).get(method_id)
    return {
        **methods.method_dict(made, adoption, full=True),
        "revision_id": document["revision_id"],
    }
