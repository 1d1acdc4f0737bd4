"""Norms: the versions in force, a proposed norm's impact, and revisions decided step by step."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import status_of
from stakhanov.api.jobs import jobs_of
from stakhanov.api.security import engine_of
from stakhanov.domain import rounding
from stakhanov.domain.access import Permission, may_decide
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.governance import Verdict
from stakhanov.domain.periods import Period, parse_period
from stakhanov.domain.proposals import Basis
from stakhanov.domain.provenance import TimeStudy
from stakhanov.i18n import N_, _, localized, said
from stakhanov.services import payroll, proposals, reports, revisions
from stakhanov.services.accounts import Session
from stakhanov.services.parsing import parse_decimal
from stakhanov.services.whatif_views import visible_whatif, whatif_view
from stakhanov.web import charts
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.listing import listing, paged
from stakhanov.web.pages import PeriodText, _period, render

router = APIRouter(include_in_schema=False)


NORM_SORTS: dict[str, Any] = {
    "operation": lambda n: n.operation,
    "kind": lambda n: n.kind.value,
    "norm": lambda n: n.norm,
    "per_hour": lambda n: n.per_hour,
    "effective_from": lambda n: n.effective_from,
    "method": lambda n: n.method,
}
REVISION_SORTS: dict[str, Any] = {
    n: (lambda key: lambda r: r.get(key))(n)
    for n in ("revision_id", "operation", "basis", "raise_percent", "status", "proposed_on")
}
TOUCHED_SORTS: dict[str, Any] = {
    "name": lambda w: w["name"],
    "unit": lambda w: w.get("unit"),
} | {
    n: (lambda key: lambda w: _number(w.get(key)))(n)
    for n in (
        "shifts",
        "fair_percent_old",
        "fair_percent_new",
        "pay_old",
        "pay_change",
    )
}
IMPACT_SORTS: dict[str, Any] = {
    "name": lambda w: w.name,
    "old": lambda w: None if w.old is None else Decimal(w.old),
    "new": lambda w: None if w.new is None else Decimal(w.new),
    "change": lambda w: None if w.change is None else Decimal(w.change),
    "old_percent": lambda w: w.old_percent,
    "new_percent": lambda w: w.new_percent,
}


def _number(value: Any) -> Any:
    """A figure of a document (a decimal string) as a number to sort by; text as it is."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


# The words shown from values (a norm's kind, a revision's verdict and status), for the catalogs.
SAID = (
    *(N_("output"), N_("time"), N_("approve"), N_("reject"), N_("withdraw")),
    *(N_("pending"), N_("approved"), N_("rejected"), N_("withdrawn")),
    *(N_("technical"), N_("time study"), N_("statistical")),
)


@router.get("/norms")
def norms_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_NORMS)]
) -> HTMLResponse:
    """Every norm version: the chart of the latest of each operation leads, the table is paged."""
    found = reports.norms(engine_of(request))
    in_force = list({n.operation: n for n in found}.values())
    chart = (
        charts.bars(
            _("Output per hour that meets each norm in force"),
            [n.operation for n in in_force],
            [charts.Series(_("per hour"), [rounding.shown(n.per_hour) for n in in_force])],
            unit="",
        )
        if in_force
        else None
    )
    norms_found = paged(
        found,
        listing(request, tuple(NORM_SORTS), anchor="norms-list"),
        NORM_SORTS,
        lambda n: f"{n.operation} {n.method or ''} {n.source or ''}",
    )
    return render(
        request,
        "norms.html",
        session,
        title=_("Norms"),
        norms=norms_found,
        operations=len(in_force),
        total_versions=len(found),
        chart=chart,
    )


Impact = Annotated[Session, page(Permission.MANAGE_NORMS, Permission.VIEW_PAY)]


def _proposal(
    request: Request, session: Session, operation: str, norm: str, chosen: Period
) -> tuple[Any, Any]:
    """The norm in force and the proposed one, or InvalidValue naming the field at fault."""
    in_force = {n.operation: n for n in reports.norms(engine_of(request), chosen.start)}
    current = in_force.get(operation)
    if current is None:
        raise InvalidValue(
            "operation", operation, _("has no norm in force on %(date)s") % {"date": chosen.start}
        )
    proposed = replace(
        current,
        norm=parse_decimal(norm, "norm"),
        effective_from=chosen.start,
        method="proposal",
        source=f"what-if by {session.account.username}",
    )
    return current, proposed


@router.get("/norms/impact")
def impact_page(
    request: Request,
    session: Impact,
    operation: Annotated[str | None, Query(max_length=200)] = None,
    norm: Annotated[str | None, Query(max_length=30)] = None,
    period: PeriodText = None,
    job: Annotated[str | None, Query(max_length=50)] = None,
) -> HTMLResponse:
    """A proposed norm replayed over a period: each worker's pay and fulfilment, old and new.

    With JavaScript the replay runs as a job with progress and this page shows its result;
    without, the page computes it while the browser waits.
    """
    chosen, text = _period(request, period)
    engine = engine_of(request)
    context: dict[str, Any] = {
        "operations": sorted(n.operation for n in reports.norms(engine, chosen.start)),
        "operation": operation or "",
        "norm": norm or "",
        "period": text,
        "report": None,
        "error": None,
    }
    if operation and norm:
        try:
            current, proposed = _proposal(request, session, operation, norm, chosen)
        except InvalidValue as err:
            context["error"] = f"{err.field} {err.reason}"
        else:
            done = jobs_of(request).get(job, session.account.user_id) if job else None
            if done is not None and done.state == "done":
                report = done.result
            else:
                report = _visible(engine, session, payroll.whatif(engine, chosen, None, [proposed]))
            context.update(_impact(report, text, current, proposed))
            context["found"] = paged(
                report.workers,
                listing(request, tuple(IMPACT_SORTS), anchor="impact-workers"),
                IMPACT_SORTS,
                lambda w: f"{w.name} {w.worker_id}",
            )
    return render(request, "impact.html", session, title=_("Norm revision impact"), **context)


@router.post("/norms/impact")
async def start_impact(request: Request, session: Impact) -> Response:
    """Start the replay as a job; answer where to see it when it is done."""
    form = await posted(request, session)
    values = fields(form, "operation", "norm", "period")
    chosen, text = _period(request, values["period"] or None)
    try:
        _, proposed = _proposal(request, session, values["operation"], values["norm"], chosen)
    except InvalidValue as err:
        return JSONResponse({"detail": f"{err.field} {err.reason}"}, status_code=422)
    engine = engine_of(request)

    def work(progress: Any) -> Any:
        progress("replaying", 0)
        return _visible(engine, session, payroll.whatif(engine, chosen, None, [proposed]))

    job = jobs_of(request).start(session.account.user_id, 0, work)
    query = urlencode({**values, "period": text, "job": job.job_id})
    return JSONResponse({"job_id": job.job_id, "url": f"/norms/impact?{query}"}, status_code=202)


def _visible(engine: Any, session: Session, report: Any) -> Any:
    """The replay of a proposed norm as the API shows it to this caller."""
    view = whatif_view(report)
    units = reports.homes(engine, [row.worker_id for row in view.workers])
    return visible_whatif(session.account, view, units, norms_proposed=True)


def _impact(report: Any, text: str, current: Any, proposed: Any) -> dict[str, Any]:
    changed = sorted(
        (w for w in report.workers if w.change is not None and Decimal(w.change) != 0),
        key=lambda w: Decimal(w.change),
    )[:40]
    names = [w.name for w in changed]
    return {
        "report": report,
        "current": current,
        "proposed": proposed,
        "pay_chart": charts.bars(
            _("Pay for %(period)s: now and under %(norm)s %(unit)s")
            % {"period": text, "norm": proposed.norm, "unit": current.unit},
            names,
            [
                charts.Series(_("now"), [Decimal(w.old) for w in changed]),
                charts.Series(_("proposed"), [Decimal(w.new) for w in changed]),
            ],
            unit="",
            decimals=2,
        )
        if changed
        else None,
        "percent_chart": charts.bars(
            _("Stated fulfilment: now and under the proposed norm"),
            names,
            [
                charts.Series(_("now"), [rounding.percent_or_none(w.old_percent) for w in changed]),
                charts.Series(
                    _("proposed"), [rounding.percent_or_none(w.new_percent) for w in changed]
                ),
            ],
        )
        if changed
        else None,
    }


PROPOSAL_FIELDS = (
    "operation",
    "basis",
    "reason",
    "evidence",
    "norm",
    "window",
    "percentile",
    "target",
    "observations",
    "observed_minutes",
    "pace_rating",
    "allowances",
)


@router.get("/revisions")
def revisions_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_NORMS)]
) -> HTMLResponse:
    return _revisions_page(request, session)


def _revisions_page(
    request: Request,
    session: Session,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    return render(
        request,
        "revisions.html",
        session,
        status=status,
        title=_("Norm revisions"),
        revisions=paged(
            [r.as_dict() for r in revisions.revisions(engine)],
            listing(request, tuple(REVISION_SORTS), anchor="revisions-list"),
            REVISION_SORTS,
            lambda r: f"{r['revision_id']} {r['operation']} {r['status']} {r['proposed_by']}",
        ),
        may_propose=session.account.allows(Permission.MANAGE_NORMS),
        operations=sorted({n.operation for n in reports.norms(engine)}),
        bases=[b.value for b in Basis],
        values=values or {"basis": Basis.STATISTICAL.value},
        errors=errors or {},
    )


def _decimal_field(values: dict[str, str], name: str) -> Decimal | None:
    text = values.get(name, "")
    if not text:
        return None
    try:
        return parse_decimal(text, name)
    except InvalidValue as err:
        raise _FieldRefused(name, err.reason) from err


class _FieldRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@router.post("/revisions")
async def propose_revision(
    request: Request,
    session: Annotated[Session, page(Permission.MANAGE_NORMS, organisation_wide=True)],
) -> Response:
    """The rate-setter proposes a revision with its basis, as `POST /api/revisions` does; its
    impact is computed and kept with it, and the revision's page opens."""
    form = await posted(request, session)
    values = fields(form, *PROPOSAL_FIELDS)
    try:
        if not values["reason"]:
            raise _FieldRefused("reason", _("say why the revision is proposed"))
        try:
            basis = Basis(values["basis"])
        except ValueError as err:
            raise _FieldRefused("basis", _("choose technical, time study or statistical")) from err
        window = None
        if values["window"]:
            try:
                window = parse_period(values["window"])
            except InvalidValue as err:
                raise _FieldRefused("window", err.reason) from err
        study = None
        if basis is Basis.TIME_STUDY:
            figures = [
                _decimal_field(values, n) for n in ("observed_minutes", "pace_rating", "allowances")
            ]
            if not values["observations"].isdigit() or None in figures:
                raise _FieldRefused("observations", _("a time study needs every figure"))
            minutes, pace, allowances = figures
            assert minutes is not None and pace is not None and allowances is not None
            study = TimeStudy(int(values["observations"]), minutes, pace, allowances)
        asked = proposals.Request(
            operation=values["operation"],
            basis=basis,
            by=session.account.username,
            reason=values["reason"],
            proposed_on=dt.date.today(),
            window=window,
            evidence=values["evidence"] or None,
            percentile=_decimal_field(values, "percentile"),
            target=_decimal_field(values, "target"),
            norm=_decimal_field(values, "norm"),
            study=study,
        )
        document = await run_in_threadpool(proposals.propose, engine_of(request), asked)
    except _FieldRefused as refused:
        return _revisions_page(request, session, 422, values, {refused.field: refused.message})
    except InvalidValue as err:
        field = err.field if err.field in PROPOSAL_FIELDS else "operation"
        return _revisions_page(request, session, 422, values, {field: localized(err.reason)})
    except Refused as err:
        # The service speaks of the command line's options (--norm); here they are fields.
        message = re.sub(r"--([a-z][a-z-]*)", lambda m: m[1].replace("-", " "), said(err))
        field = err.field if err.field in PROPOSAL_FIELDS else "operation"
        return _revisions_page(request, session, status_of(err), values, {field: message})
    return RedirectResponse(f"/revisions/{document['revision_id']}", status_code=303)


@router.get("/revisions/{revision_id}")
def revision_page(
    request: Request,
    revision_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: Annotated[Session, page(Permission.VIEW_NORMS)],
) -> HTMLResponse:
    return _revision_page(request, session, revision_id)


def _revision_page(
    request: Request,
    session: Session,
    revision_id: int,
    status: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    found = revisions.revision(engine_of(request), revision_id)
    document = revisions.visible_revision(session.account, found.as_dict(full=True))
    workers = document["impact"]["workers"]
    named = {
        w.worker_id: w.name
        for w in reports.workers(engine_of(request), ids=[w["worker_id"] for w in workers])
    }
    labels = [named.get(w["worker_id"], w["worker_id"]) for w in workers]
    fair_chart = (
        charts.bars(
            _("%(operation)s: each worker's fair fulfilment, current and proposed norm")
            % {"operation": found.operation},
            labels,
            [
                charts.Series(_("current norm"), [w["fair_percent_old"] for w in workers]),
                charts.Series(_("proposed norm"), [w["fair_percent_new"] for w in workers]),
            ],
        )
        if workers
        else None
    )
    paid = [w for w in workers if w["pay_old"] is not None]
    pay_chart = (
        charts.bars(
            _("Pay over the window: now and under the proposed norm"),
            [named.get(w["worker_id"], w["worker_id"]) for w in paid],
            [
                charts.Series(_("now"), [Decimal(w["pay_old"]) for w in paid]),
                charts.Series(_("proposed"), [Decimal(w["pay_new"]) for w in paid]),
            ],
            unit="",
            decimals=2,
        )
        if paid
        else None
    )
    state = found.state
    next_step = state.next_step.role if state.next_step else None
    return render(
        request,
        "revision.html",
        session,
        status=status,
        title=_("Revision %(id)s: %(operation)s")
        % {"id": revision_id, "operation": found.operation},
        revision=document,
        names=named,
        found=paged(
            [{**w, "name": named.get(w["worker_id"], w["worker_id"])} for w in workers],
            listing(request, tuple(TOUCHED_SORTS), anchor="impact-workers"),
            TOUCHED_SORTS,
            lambda w: f"{w['name']} {w['worker_id']} {w.get('unit') or ''}",
        ),
        fair_chart=fair_chart,
        pay_chart=pay_chart,
        next_step=next_step,
        may_take=next_step is not None and may_decide(session.account.grants, next_step),
        may_withdraw=next_step is not None and session.account.allows(Permission.MANAGE_NORMS),
        message=message,
        error=error,
    )


@router.post("/revisions/{revision_id}")
async def decide_revision(
    request: Request,
    revision_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: Annotated[Session, page(Permission.DECIDE_REVISIONS, Permission.MANAGE_NORMS)],
) -> HTMLResponse:
    form = await posted(request, session)
    step, reason = str(form.get("step", "")), str(form.get("reason", ""))
    try:
        verdict = Verdict(str(form.get("decision", "")))
    except ValueError as err:
        raise PageError(422, _("Choose approve, reject or withdraw.")) from err
    allowed = (
        session.account.allows(Permission.MANAGE_NORMS)
        if verdict is Verdict.WITHDRAW
        else may_decide(session.account.grants, step)
    )
    if not allowed:
        raise PageError(403, _("The %(step)s step is not yours to take.") % {"step": step})
    try:
        await run_in_threadpool(
            revisions.decide,
            engine_of(request),
            revision_id,
            step,
            verdict,
            session.account.username,
            reason,
            dt.date.today(),
        )
    except Refused as err:
        return _revision_page(request, session, revision_id, status_of(err), error=said(err))
    return _revision_page(
        request,
        session,
        revision_id,
        message=_("%(step)s: %(verdict)s recorded.") % {"step": step, "verdict": _(verdict.value)},
    )
