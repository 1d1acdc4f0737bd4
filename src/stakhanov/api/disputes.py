"""Disputes: a worker contests their own shift, pay line or norm; the person whose work it is
answers. A shift is the foreman's (in scope), a pay line the accountant's, a norm the
rate-setter's; auditors and directors see them all in scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from stakhanov.api import models
from stakhanov.api.errors import FieldError, at
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, forbidden, own_worker, requires
from stakhanov.domain.access import Permission
from stakhanov.domain.disputes import Dispute, Subject, Verdict
from stakhanov.domain.errors import InvalidValue
from stakhanov.services import disputes
from stakhanov.services.accounts import Session
from stakhanov.services.disputes import ANSWERED_BY, SEEING

router = APIRouter(route_class=PolicyRoute, tags=["disputes"])
Worker = Annotated[Session, requires(Permission.VIEW_OWN)]


def dispute_out(dispute: Dispute) -> models.DisputeOut:
    return models.DisputeOut(
        dispute_id=dispute.dispute_id,
        worker_id=dispute.worker_id,
        subject=dispute.subject.value,
        reference=dispute.reference,
        text=dispute.text,
        opened_by=dispute.opened_by,
        opened_at=dispute.opened_at,
        status=dispute.status,
        answers=[
            models.AnswerOut(verdict=a.verdict.value, text=a.text, by=a.by, at=a.at)
            for a in dispute.answers
        ],
    )


@router.post("/me/disputes", status_code=201, responses={403: {}, 422: {}})
def open_dispute(body: models.DisputeIn, session: Worker, request: Request) -> models.DisputeOut:
    """Contest your own shift, a line of your pay slip, or a norm you work to."""
    try:
        subject = Subject(body.subject)
    except ValueError as err:
        raise FieldError(["body", "subject"], "must be shift, pay line or norm") from err
    try:
        opened = disputes.open_dispute(
            engine_of(request),
            own_worker(session),
            subject,
            body.reference,
            body.text,
            session.account.username,
        )
    except InvalidValue as err:
        raise at("body", err) from err
    return dispute_out(opened)


@router.get("/me/disputes")
def my_disputes(session: Worker, request: Request) -> list[models.DisputeOut]:
    """Your disputes with every answer, newest first."""
    return [dispute_out(d) for d in disputes.load(engine_of(request), [own_worker(session)])]


@router.get("/disputes")
def list_disputes(
    session: Annotated[Session, requires(*SEEING)], request: Request
) -> list[models.DisputeOut]:
    """Disputes you answer or oversee, in your scope, newest first."""
    return [dispute_out(d) for d in disputes.visible(engine_of(request), session.account)]


@router.post("/disputes/{dispute_id}/answers", responses={403: {}, 404: {}, 422: {}})
def answer(
    dispute_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    body: models.AnswerIn,
    session: Annotated[Session, requires(*ANSWERED_BY.values())],
    request: Request,
) -> models.DisputeOut:
    """Answer a dispute on your own work: uphold it, reject it, or explain; with a reason."""
    engine = engine_of(request)
    found = disputes.find(engine, dispute_id)
    if found is None:
        raise LookupError(f"dispute {dispute_id}")
    permission = ANSWERED_BY[found.subject]
    if found.subject is Subject.SHIFT:
        unit = disputes.where(engine, found)
        check_scope(session.account, permission, [unit] if unit else [])
    elif not session.account.allows(permission, None):
        raise forbidden(
            f"a {found.subject.value} dispute is answered by whoever may {permission.value}"
        )
    try:
        verdict = Verdict(body.verdict)
    except ValueError as err:
        raise FieldError(["body", "verdict"], "must be upheld, rejected or answered") from err
    try:
        done = disputes.answer(engine, dispute_id, verdict, body.text, session.account.username)
    except InvalidValue as err:
        raise at("body", err) from err
    return dispute_out(done)
