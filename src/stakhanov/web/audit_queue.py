"""The audit queue page: open findings of every period by default, filtered, sorted and paged;
decisions one at a time or in bulk, after which the page comes back to the same place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import status_of
from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.periods import parse_period
from stakhanov.i18n import N_, _, localized, ngettext, said
from stakhanov.services import audit_queue, dashboard, reviews
from stakhanov.services.accounts import Session
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.exports import csv_file, xlsx_file
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)

FILTERS = ("period", "unit", "kind", "status", "worker", "sort", "order", "page")
STATUSES = ("open", "explained", "upheld", "any")
Text = Annotated[str | None, Query(max_length=200)]


def _query(params: list[tuple[str, str]]) -> audit_queue.Query:
    """The queue's query from a page's parameters; a bad one is told, not ignored."""
    one = {k: v for k, v in params if v}
    kinds = frozenset(v for k, v in params if k == "kind" and v)
    try:
        period = parse_period(one["period"]) if "period" in one else None
        unknown = kinds - {k.value for k in FindingKind}
        if unknown:
            raise PageError(422, _("No kind of finding '%(kind)s'.") % {"kind": sorted(unknown)[0]})
        status = one.get("status", "open")
        if status not in STATUSES:
            raise PageError(
                422,
                _("Status '%(status)s' is not one of %(known)s.")
                % {"status": status, "known": ", ".join(STATUSES)},
            )
        return audit_queue.Query(
            period=period,
            unit=one.get("unit"),
            kinds=kinds,
            status=None if status == "any" else status,
            worker=one.get("worker"),
            sort=audit_queue.Sort(one.get("sort", "date")),
            descending=one.get("order") == "desc",
            page=max(int(one.get("page", "1")), 1),
        )
    except InvalidValue as err:
        raise PageError(
            422,
            _("Period '%(period)s' %(reason)s.")
            % {"period": one.get("period"), "reason": localized(err.reason)},
        ) from err
    except ValueError as err:
        raise PageError(422, _("Not a sort or page: %(err)s.") % {"err": err}) from err


def _kept(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in params if k in FILTERS and v]


def _link(params: list[tuple[str, str]], **changes: str) -> str:
    kept = [(k, v) for k, v in _kept(params) if k not in changes]
    return "/audit?" + urlencode(kept + [(k, v) for k, v in changes.items() if v])


@router.get("/audit")
def audit_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_AUDIT)],
    done: Annotated[int | None, Query(ge=0)] = None,
    decision: Annotated[Decision | None, Query()] = None,
) -> HTMLResponse:
    params = _kept(list(request.query_params.multi_items()))
    message = None
    if done is not None and decision is not None:
        message = (
            ngettext("%(num)d finding explained.", "%(num)d findings explained.", done)
            if decision is Decision.EXPLAINED
            else ngettext("%(num)d finding upheld.", "%(num)d findings upheld.", done)
        ) % {"num": done}
    return _render(request, session, params, message=message)


def _render(
    request: Request,
    session: Session,
    params: list[tuple[str, str]],
    code: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    query = _query(params)
    subtrees = session.account.scopes(Permission.VIEW_AUDIT)
    found = audit_queue.queue(engine_of(request), subtrees, query)
    rows = [(item, audit_queue.anchor(item)) for item in found.items]
    # After deciding a row the page comes back to the row below it (the last: the one above).
    anchors = [a for _, a in rows]
    nexts = anchors[1:] + anchors[-2:-1] if len(anchors) > 1 else [""] * len(anchors)
    one = dict(params)
    return render(
        request,
        "audit.html",
        session,
        status=code,
        title=N_("Audit queue"),
        period=one.get("period", ""),
        filters=one,
        rows=list(zip(rows, nexts, strict=True)),
        found=found,
        kinds=[k.value for k in FindingKind],
        wanted=query.kinds,
        statuses=STATUSES,
        status_filter=one.get("status", "open"),
        sorts=[s.value for s in audit_queue.Sort],
        back=urlencode(params),
        link=lambda **changes: _link(params, **changes),
        may_review=session.account.scopes(Permission.REVIEW_FINDINGS) != [],
        message=message,
        error=error,
    )


def _back(form: Any) -> list[tuple[str, str]]:
    return _kept(parse_qsl(str(form.get("back", ""))))


def _after(params: list[tuple[str, str]], count: int, decision: Decision, next_: str) -> Response:
    target = _link(params, done=str(count), decision=decision.value)
    if next_:
        target += "#" + "".join(c for c in next_ if c.isalnum() or c in "-_")
    return RedirectResponse(target, status_code=303)


@router.post("/audit")
async def review_finding(
    request: Request, session: Annotated[Session, page(Permission.REVIEW_FINDINGS)]
) -> Response:
    form = await posted(request, session)
    values = fields(form, "kind", "shift_id", "operation", "decision", "reason", "next")
    params = _back(form)
    engine = engine_of(request)
    shown = dashboard.shift(engine, values["shift_id"])
    if shown is None or not session.account.allows(Permission.REVIEW_FINDINGS, shown.workplace):
        raise PageError(403, _("That shift is outside your scope."))

    def decide() -> tuple[int, Decision, str]:
        decision = Decision(values["decision"])
        reviews.review(
            engine,
            FindingKind(values["kind"]),
            values["shift_id"],
            values["operation"] or None,
            decision,
            values["reason"],
            session.account.username,
        )
        return 1, decision, values["next"]

    return await _attempt(request, session, params, decide)


async def _attempt(
    request: Request,
    session: Session,
    params: list[tuple[str, str]],
    decide: Callable[[], tuple[int, Decision, str]],
) -> Response:
    """Decide, then go back to the same place; a refusal is shown on the same view instead."""
    try:
        count, decision, next_ = await run_in_threadpool(decide)
    except Refused as err:
        return _render(request, session, params, status_of(err), error=said(err))
    except ValueError as err:
        return _render(request, session, params, 422, error=str(err))
    return _after(params, count, decision, next_)


def _picked(form: Any) -> list[reviews.Target]:
    targets = []
    for value in form.getlist("pick"):
        kind, _, rest = str(value).partition("|")
        shift_id, _, operation = rest.partition("|")
        targets.append((FindingKind(kind), shift_id, operation or None))
    return targets


@router.post("/audit/bulk")
async def review_findings(
    request: Request, session: Annotated[Session, page(Permission.REVIEW_FINDINGS)]
) -> Response:
    """One decision with one reason on the findings picked, or on all the filters match."""
    form = await posted(request, session)
    values = fields(form, "decision", "reason", "scope")
    params = _back(form)
    engine = engine_of(request)
    scopes = session.account.scopes(Permission.REVIEW_FINDINGS)

    def decide() -> tuple[int, Decision, str]:
        decision = Decision(values["decision"])
        if values["scope"] == "all":
            matched = audit_queue.matching(engine, scopes, _query(params))
            targets = [(f.finding.kind, f.finding.shift_id, f.finding.operation) for f in matched]
        else:
            targets = _picked(form)
        for shift_id in {t[1] for t in targets}:
            shown = dashboard.shift(engine, shift_id)
            if shown is None or not session.account.allows(
                Permission.REVIEW_FINDINGS, shown.workplace
            ):
                raise PageError(403, _("Shift %(id)s is outside your scope.") % {"id": shift_id})
        before = audit_queue.queue(engine, scopes, _query(params)).items
        done = reviews.review_many(engine, targets, decision, values["reason"], username)
        return len(done), decision, _next_after(before, done)

    username = session.account.username
    return await _attempt(request, session, params, decide)


def _next_after(before: list[reviews.ReviewedFinding], done: list[reviews.ReviewedFinding]) -> str:
    """The first row of the page below the last one decided, else the first one left."""
    decided = {audit_queue.anchor(d) for d in done}
    anchors = [audit_queue.anchor(i) for i in before]
    last = max((n for n, a in enumerate(anchors) if a in decided), default=-1)
    left = [a for a in anchors[last + 1 :] + anchors[: last + 1] if a not in decided]
    return left[0] if left else ""


FINDING_COLUMNS = (
    "date",
    "kind",
    "shift_id",
    "operation",
    "workers",
    "what",
    "status",
    "reviewer",
    "reason",
)


def _finding_rows(request: Request, session: Session) -> list[list[Any]]:
    """Every finding the filters match (all pages), as the queue lists them."""
    params = _kept(list(request.query_params.multi_items()))
    scopes = session.account.scopes(Permission.VIEW_AUDIT)
    matched = audit_queue.matching(engine_of(request), scopes, _query(params))
    return [
        [
            f.finding.date,
            f.finding.kind.value,
            f.finding.shift_id,
            f.finding.operation,
            " ".join(f.finding.worker_ids),
            f.finding.message,
            f.status,
            f.review.reviewer if f.review else None,
            f.review.reason if f.review else None,
        ]
        for f in matched
    ]


@router.get("/audit.csv")
def audit_csv(
    request: Request, session: Annotated[Session, page(Permission.VIEW_AUDIT)]
) -> Response:
    return csv_file("findings", FINDING_COLUMNS, _finding_rows(request, session))


@router.get("/audit.xlsx")
def audit_xlsx(
    request: Request, session: Annotated[Session, page(Permission.VIEW_AUDIT)]
) -> Response:
    return xlsx_file("findings", FINDING_COLUMNS, _finding_rows(request, session))
