"""Disputes as those who answer or oversee them see them; who sees which is the service's rule
(services/disputes.py), the same the API shows by."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from stakhanov.api.security import engine_of
from stakhanov.domain.disputes import Verdict as DisputeVerdict
from stakhanov.domain.errors import InvalidValue
from stakhanov.i18n import _
from stakhanov.services import disputes
from stakhanov.services.accounts import Session
from stakhanov.services.disputes import ANSWERED_BY, SEEING
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.listing import Paged, listing
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/disputes")
def disputes_page(request: Request, session: Annotated[Session, page(*SEEING)]) -> HTMLResponse:
    return _disputes(request, session)


def _disputes(
    request: Request, session: Session, status: int = 200, message: str | None = None
) -> HTMLResponse:
    """The disputes in the reader's scope, one page of them searched and sorted in the store."""
    account = session.account
    asked = listing(request, disputes.SORTS, anchor="disputes-list")
    shown = disputes.page(
        engine_of(request),
        account,
        asked.q.split(),
        asked.sort,
        asked.descending,
        asked.per_page,
        asked.page,
    )
    found = Paged([d for d, _, _ in shown.rows], shown.found, asked)
    return render(
        request,
        "disputes.html",
        session,
        status=status,
        title=_("Disputes"),
        found=found,
        open_count=shown.open,
        in_scope=shown.in_scope,
        answerable={
            d.dispute_id for d, unit, _ in shown.rows if disputes.answerable(account, d, unit)
        },
        names={d.worker_id: name for d, _, name in shown.rows if name},
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
    found = disputes.find(engine, dispute_id)
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
