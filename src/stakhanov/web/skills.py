"""The skills and methods pages: a foreman sees his workers' certifications, those about to
lapse first, and enters new ones; everyone sees the methods registry, and a worker or foreman
submits a method. The same rules as the API (stakhanov.api.registry)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.periods import parse_date
from stakhanov.domain.skills import Certification, Examination
from stakhanov.i18n import _, localized, reasons_of, said
from stakhanov.services import methods, skills
from stakhanov.services.accounts import Session
from stakhanov.web.auth import fields, page, posted
from stakhanov.web.listing import listing, paged
from stakhanov.web.pages import render

router = APIRouter()
LAPSE_DAYS = 30
CERT_FIELDS = ("worker_id", "operation", "level", "certified_by", "valid_from", "valid_until")
EXAM_FIELDS = ("course_id", "worker_id", "date", "examiner", "result")
METHOD_FIELDS = ("operation", "title", "change", "evidence", "time_study", "author")


def _said(
    message: str | None, errors: dict[str, str] | None, values: dict[str, str] | None
) -> dict[str, Any]:
    """What a form page says back: a message, the errors by field, the values sent."""
    return {"message": message, "errors": errors or {}, "values": values or {}}


def _skills(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    found = skills.load(engine)
    subtrees = session.account.scopes(Permission.VIEW_WORKERS)

    def seen(worker_id: str) -> bool:
        worker = found.workers.get(worker_id)
        return worker is not None and within_any(worker.unit, subtrees)

    today = dt.date.today()
    lapses = [x for x in skills.lapses(engine, today, LAPSE_DAYS) if seen(x.worker_id)]
    may_enter = session.account.scopes(Permission.MANAGE_WORKERS)
    workers = sorted(
        (w for w in found.workers.values() if may_enter != [] and within_any(w.unit, may_enter)),
        key=lambda w: w.worker_id,
    )
    return render(
        request,
        "skills.html",
        session,
        status=status,
        title=_("Skills and certifications"),
        lapses=lapses,
        days=LAPSE_DAYS,
        certifications=paged(
            [c for c in found.certifications if seen(c.worker_id)],
            listing(request, (), anchor="certifications"),
            {},
            lambda c: f"{c.worker_id} {c.operation} {c.level or ''} {c.certified_by}",
        ),
        workers=workers,
        courses=found.courses,
        **_said(message, errors, values),
    )


@router.get("/skills")
def skills_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_WORKERS)]
) -> HTMLResponse:
    return _skills(request, session)


def _date(values: dict[str, str], name: str, errors: dict[str, str]) -> dt.date | None:
    if not values[name]:
        return None
    try:
        return parse_date(values[name], name)
    except InvalidValue as err:
        errors[name] = err.reason
        return None


@router.post("/skills")
async def enter_certification(
    request: Request, session: Annotated[Session, page(Permission.MANAGE_WORKERS)]
) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, *CERT_FIELDS)
    engine = engine_of(request)
    worker = skills.load(engine).workers.get(values["worker_id"])
    errors: dict[str, str] = {}
    if worker is None:
        errors["worker_id"] = _("no such worker")
    elif not session.account.allows(Permission.MANAGE_WORKERS, worker.unit):
        return _skills(request, session, 403, errors={"worker_id": _("outside your scope")})
    start, until = _date(values, "valid_from", errors), _date(values, "valid_until", errors)
    if start is None and "valid_from" not in errors:
        errors["valid_from"] = _("is required")
    if errors:
        return _skills(request, session, 422, errors=errors, values=values)
    assert start is not None
    try:
        made = Certification(
            values["worker_id"],
            values["operation"],
            values["level"],
            values["certified_by"],
            start,
            until,
        )
        added = await run_in_threadpool(skills.enter, engine, made, session.account.username)
    except Refused as err:
        field = err.field or (err.problems[0].column if err.problems else "operation")
        reason = reasons_of(err)[0] if err.reasons else said(err)
        if err.problems:
            reason = localized(err.problems[0].message)
        return _skills(request, session, 422, errors={field: reason}, values=values)
    told = _("Certification recorded.") if added else _("Certification already recorded.")
    return _skills(request, session, 201 if added else 200, message=told)


@router.post("/skills/examinations")
async def enter_examination(
    request: Request, session: Annotated[Session, page(Permission.MANAGE_WORKERS)]
) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, *EXAM_FIELDS)
    engine = engine_of(request)
    worker = skills.load(engine).workers.get(values["worker_id"])
    if worker is not None and not session.account.allows(Permission.MANAGE_WORKERS, worker.unit):
        return _skills(request, session, 403, errors={"exam_worker_id": _("outside your scope")})
    errors: dict[str, str] = {}
    day = _date(values, "date", errors)
    if day is None:
        errors["exam_date"] = errors.pop("date", "is required")
        return _skills(request, session, 422, errors=errors, values=values)
    try:
        exam = Examination(
            values["course_id"], values["worker_id"], day, values["examiner"], values["result"]
        )
        added = await run_in_threadpool(
            skills.enter_examination, engine, exam, session.account.username
        )
    except Refused as err:
        column = err.problems[0].column if err.problems else (err.field or "course_id")
        reason = localized(err.problems[0].message) if err.problems else reasons_of(err)[0]
        key = {"worker_id": "exam_worker_id", "date": "exam_date"}.get(column, column)
        return _skills(request, session, 422, errors={key: reason}, values=values)
    said = _("Examination recorded.") if added else _("Examination already recorded.")
    return _skills(request, session, 201 if added else 200, message=said)


def _methods(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    adopted = methods.adoptions(engine)
    rows = [methods.method_dict(m, adopted.get(m.method_id), True) for m in methods.methods(engine)]
    account = session.account
    return render(
        request,
        "methods.html",
        session,
        status=status,
        title=_("Methods"),
        methods=paged(
            rows,
            listing(request, (), anchor="methods"),
            {},
            lambda m: (
                f"{m['method_id']} {m['title']} {m['operation']} {' '.join(m['authors'])} "
                f"{m['state']}"
            ),
        ),
        may_submit=account.scopes(Permission.MANAGE_WORKERS) != [] or bool(account.worker_id),
        own=account.worker_id,
        **_said(message, errors, values),
    )


@router.get("/methods")
def methods_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_NORMS)]
) -> HTMLResponse:
    return _methods(request, session)


@router.post("/methods")
async def submit_method(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_OWN, Permission.MANAGE_WORKERS)],
) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, *METHOD_FIELDS)
    engine = engine_of(request)
    account = session.account
    author = values["author"] or (account.worker_id or "")
    worker = skills.load(engine).workers.get(author)
    own = author == account.worker_id and account.scopes(Permission.VIEW_OWN) != []
    if worker is None:
        return _methods(
            request, session, 422, errors={"author": _("no such worker")}, values=values
        )
    if not own and not account.allows(Permission.MANAGE_WORKERS, worker.unit):
        return _methods(request, session, 403, errors={"author": _("outside your scope")})
    submission = methods.Submission(
        values["operation"],
        values["title"],
        values["change"],
        values["evidence"],
        values["time_study"] or None,
        (author,),
        None,
        dt.date.today(),
        account.username,
    )
    try:
        made = await run_in_threadpool(methods.submit, engine, submission)
    except Refused as err:
        field = err.field if err.field in METHOD_FIELDS else "title"
        return _methods(request, session, 422, errors={field: reasons_of(err)[0]}, values=values)
    return _methods(
        request, session, 201, message=_("Method %(id)s submitted.") % {"id": made.method_id}
    )
