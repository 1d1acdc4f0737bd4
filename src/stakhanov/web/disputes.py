"""Disputes as those who answer or oversee them see them; who sees which is the service's rule
(services/disputes.py), the same the API shows by."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from stakhanov.api.security import engine_of
from stakhanov.domain.disputes import Dispute
from stakhanov.domain.disputes import Verdict as DisputeVerdict
from stakhanov.domain.errors import InvalidValue
from stakhanov.i18n import _
from stakhanov.services import disputes, reports
from stakhanov.services.accounts import Session
from stakhanov.services.disputes import ANSWERED_BY, SEEING
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.listing import listing, paged
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)
SORTS: dict[str, Any] = {
    "opened": lambda d: d.opened_at,
    "worker": lambda d: d.worker_id,
    "subject": lambda d: d.subject.value,
    "status": lambda d: d.status,
}


@router.get("/disputes")
def disputes_page(request: Request, session: Annotated[Session, page(*SEEING)]) -> HTMLResponse:
    return _disputes(request, session)


def _disputes(
    request: Request, session: Session, status: int = 200, message: str | None = None
) -> HTMLResponse:
    engine = engine_of(request)
    account = session.account
    shown = disputes.visible(engine, account)
    names = {w.worker_id: w.name for w in reports.workers(engine)}
    open_ones = [d for d in shown if d.status == "open"]

    def text(d: Dispute) -> str:
        return " ".join(
            (str(d.dispute_id), d.worker_id, names.get(d.worker_id, ""), d.reference, d.text)
        )

    found = paged(shown, listing(request, tuple(SORTS), anchor="disputes-list"), SORTS, text)
    return render(
        request,
        "disputes.html",
        session,
        status=status,
        title=_("Disputes"),
        found=found,
        open_count=len(open_ones),
        in_scope=len(shown),
        answerable={d.dispute_id for d in found.rows if disputes.may_answer(engine, account, d)},
        names=names,
        message=message,
    )


@router.post("/disputes/{dispute_id}")
async def answer_dispute(
    request: Request,
    dispute_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: Annotated[Session, page(*ANSWERED_BY.values())],
) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "verdict", "text")
    engine = engine_of(request)
    found = next((d for d in disputes.load(engine) if d.dispute_id == dispute_id), None)
    if found is None:
        raise PageError(404, _("There is no such dispute."))
    if not disputes.may_answer(engine, session.account, found):
        raise PageError(403, _("This dispute is not yours to answer."))
    try:
        await run_in_threadpool(
            disputes.answer,
            engine,
            dispute_id,
            DisputeVerdict(values["verdict"]),
            values["text"],
            session.account.username,
        )
    except ValueError as err:
        reason = err.reason if isinstance(err, InvalidValue) else _("choose a verdict")
        raise PageError(422, _("Not answered: %(reason)s.") % {"reason": reason}) from err
    return _disputes(request, session, message=_("Dispute %(id)s answered.") % {"id": dispute_id})
