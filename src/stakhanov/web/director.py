"""The director's pages for what was only in the API: declare a competition, confer and revoke
titles, set the governance (approval) policy. Each page asks exactly the permission of its API
route (stakhanov.api.recognition, awards, governance), and a refusal is shown beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import status_of
from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.competition import Competition, Metric, Step
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.periods import Period, parse_date, parse_period
from stakhanov.domain.titles import TitleEventKind
from stakhanov.i18n import N_, _, reasons_of, said
from stakhanov.services import competitions, dashboard, policies, titles
from stakhanov.services.accounts import Session
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.listing import Paged, listing
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)
Declarer = Annotated[Session, page(Permission.DECLARE_COMPETITIONS, organisation_wide=True)]
Conferrer = Annotated[Session, page(Permission.CONFER_TITLES)]
PolicySetter = Annotated[Session, page(Permission.SET_POLICY, organisation_wide=True)]
TitleId = Annotated[int, Path(ge=1, le=2_147_483_647)]
# A title's state and events as shown (values of the domain), marked for the catalogs.
SAID = (
    *(N_("held"), N_("revoked"), N_("under appeal"), N_("appealed"), N_("reinstated")),
    N_("appeal-dismissed"),
)
COMPETITION_FIELDS = ("name", "metric", "from", "to", "step", "banner")


def _said(
    errors: dict[str, str] | None, values: dict[str, Any] | None, **done: Any
) -> dict[str, Any]:
    return {"errors": errors or {}, "values": values or {}, **done}


def _date(values: dict[str, str], name: str, errors: dict[str, str]) -> dt.date | None:
    if not values[name]:
        errors[name] = _("is required")
        return None
    try:
        return parse_date(values[name], name)
    except InvalidValue as err:
        errors[name] = err.reason
        return None


# --- Declare a competition (as POST /api/competitions) ---


def _declare_page(
    request: Request, session: Session, status: int = 200, **said: Any
) -> HTMLResponse:
    said.setdefault("errors", {})
    said.setdefault("values", {})
    return render(
        request,
        "declare.html",
        session,
        status=status,
        title=_("Declare a competition"),
        units=dashboard.unit_paths(engine_of(request), None),
        metrics=[m.value for m in Metric],
        steps=[s.value for s in Step],
        declared=dashboard.declared_competitions(engine_of(request)),
        **said,
    )


@router.get("/competitions/declare")
def declare_page(request: Request, session: Declarer) -> HTMLResponse:
    return _declare_page(request, session)


@router.post("/competitions/declare")
async def declare(request: Request, session: Declarer) -> HTMLResponse:
    form = await posted(request, session)
    values: dict[str, Any] = fields(form, *COMPETITION_FIELDS)
    values["units"] = [str(u).strip() for u in form.getlist("units") if str(u).strip()]
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("is required")
    if len(values["units"]) < 2:
        errors["units"] = _("choose at least two units")
    start, end = _date(values, "from", errors), _date(values, "to", errors)
    if start and end and end < start:
        errors["to"] = _("ends before from")
    try:
        metric = Metric(values["metric"])
    except ValueError:
        errors["metric"] = _("must be one of %(choices)s") % {
            "choices": ", ".join(m.value for m in Metric)
        }
    try:
        step = Step(values["step"] or Step.WEEK.value)
    except ValueError:
        errors["step"] = _("must be one of %(choices)s") % {
            "choices": ", ".join(s.value for s in Step)
        }
    if errors:
        return _declare_page(request, session, 422, **_said(errors, values))
    assert start is not None and end is not None
    wanted = Competition(
        values["name"],
        metric,
        Period(start, end),
        step,
        tuple(values["units"]),
        values["banner"] or None,
    )
    try:
        made = await run_in_threadpool(
            competitions.declare, engine_of(request), wanted, session.account.username
        )
    except Refused as err:
        field = err.field if err.field in (*COMPETITION_FIELDS, "units") else "name"
        errs = {field: reasons_of(err)[0] if err.reasons else said(err)}
        return _declare_page(request, session, status_of(err), **_said(errs, values))
    return _declare_page(request, session, 201, made=made)


# --- Titles: propose and confer for a period, revoke with a reason (as /api/titles/...) ---


def _unit_asked(session: Session, unit: str) -> str | None:
    """The unit the titles page works in: as the API, a subtree grant must name a unit in it."""
    account = session.account
    if unit:
        if not account.allows(Permission.CONFER_TITLES, unit):
            raise PageError(403, _("%(unit)s is outside your scope.") % {"unit": unit})
        return unit
    if account.allows(Permission.CONFER_TITLES, None):
        return None
    subtrees = account.scopes(Permission.CONFER_TITLES)
    return subtrees[0] if subtrees else None


def _titles_page(
    request: Request,
    session: Session,
    period_text: str,
    unit_text: str,
    status: int = 200,
    **said: Any,
) -> HTMLResponse:
    said.setdefault("errors", {})
    said.setdefault("values", {})
    engine = engine_of(request)
    unit = _unit_asked(session, unit_text)
    evaluation = None
    if period_text:
        try:
            chosen = parse_period(period_text)
        except InvalidValue as err:
            said["errors"] = {**said["errors"], "period": err.reason}
            status = 422
        else:
            evaluation = titles.evaluate(engine, chosen, unit)
    subtrees = session.account.scopes(Permission.CONFER_TITLES)
    asked = listing(request, ("title_id",), anchor="grants-h")
    # Newest first unless the oldest are asked for (a second click on the heading).
    newest = not asked.sort or asked.descending
    shown, total = titles.grant_page(
        engine, subtrees, unit, asked.q.split(), newest, asked.per_page, asked.page
    )
    return render(
        request,
        "titles.html",
        session,
        status=status,
        title=_("Titles"),
        period=period_text,
        unit=unit or "",
        units=[u for u in dashboard.unit_paths(engine, None) if within_any(u, subtrees)],
        evaluation=evaluation,
        grants=Paged(shown, total, asked),
        **said,
    )


@router.get("/titles")
def titles_page(
    request: Request,
    session: Conferrer,
    period: Annotated[str | None, Query(max_length=30)] = None,
    unit: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    return _titles_page(request, session, period or "", unit or "")


@router.post("/titles/confer")
async def confer(request: Request, session: Conferrer) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "period", "unit")
    picked = [str(p) for p in form.getlist("pick")]
    unit = _unit_asked(session, values["unit"])
    errors: dict[str, str] = {}
    try:
        chosen = parse_period(values["period"])
    except InvalidValue as err:
        errors["period"] = err.reason
    if not picked:
        errors["pick"] = _("pick at least one proposal")
    if errors:
        return _titles_page(request, session, values["period"], values["unit"], 422, errors=errors)
    workers = {p.partition("|")[0] for p in picked}
    codes = {p.partition("|")[2] for p in picked}
    try:
        done = await run_in_threadpool(
            lambda: titles.confer(
                engine_of(request),
                chosen,
                session.account.username,
                workers=workers,
                titles=codes,
                within=unit,
            )
        )
    except Refused as err:
        errs = {"pick": "; ".join(reasons_of(err))}
        return _titles_page(
            request, session, values["period"], values["unit"], status_of(err), errors=errs
        )
    wanted = set(picked)
    conferred = [g for g in done.grants if f"{g.worker_id}|{g.title}" in wanted]
    return _titles_page(
        request, session, values["period"], values["unit"], 201, conferred=conferred
    )


def _grant_in_scope(request: Request, session: Session, title_id: int) -> titles.Grant:
    """The title, 404 if unknown, 403 outside the director's scope (as the API)."""
    engine = engine_of(request)
    grant = next((g for g in titles.grants(engine) if g.title_id == title_id), None)
    if grant is None:
        raise PageError(404, _("There is no title %(id)s.") % {"id": title_id})
    worker = dashboard.worker(engine, grant.worker_id)
    if worker is None or not session.account.allows(Permission.CONFER_TITLES, worker.unit):
        raise PageError(403, _("That title is outside your scope."))
    return grant


def _revoke_page(
    request: Request, session: Session, grant: titles.Grant, status: int = 200, **said: Any
) -> HTMLResponse:
    said.setdefault("errors", {})
    said.setdefault("values", {})
    return render(
        request,
        "revoke.html",
        session,
        status=status,
        title=_("Revoke title %(id)s") % {"id": grant.title_id},
        grant=grant,
        today=dt.date.today(),
        **said,
    )


@router.get("/titles/{title_id}/revoke")
def revoke_page(request: Request, title_id: TitleId, session: Conferrer) -> HTMLResponse:
    """The confirmation step: what is revoked, and the reason it needs."""
    return _revoke_page(request, session, _grant_in_scope(request, session, title_id))


@router.post("/titles/{title_id}/revoke")
async def revoke(request: Request, title_id: TitleId, session: Conferrer) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "reason", "on", "confirm")
    grant = _grant_in_scope(request, session, title_id)
    errors: dict[str, str] = {}
    if not values["reason"]:
        errors["reason"] = _("give the reason for the revocation")
    if values["confirm"] != "yes":
        errors["confirm"] = _("tick to confirm the revocation")
    on = dt.date.today()
    if values["on"]:
        on = _date(values, "on", errors) or on
    if errors:
        return _revoke_page(request, session, grant, 422, **_said(errors, values))
    try:
        done = await run_in_threadpool(
            titles.record_event,
            engine_of(request),
            title_id,
            TitleEventKind.REVOKED,
            on,
            values["reason"],
            session.account.username,
        )
    except Refused as err:
        field = err.field if err.field in ("reason", "on") else "reason"
        errs = {field: reasons_of(err)[0] if err.reasons else said(err)}
        return _revoke_page(request, session, grant, status_of(err), **_said(errs, values))
    return _revoke_page(request, session, done, 200, revoked=True)


# --- The governance policy (as PUT /api/policy) ---


def _policy_page(
    request: Request, session: Session, status: int = 200, **said: Any
) -> HTMLResponse:
    stored = policies.load(engine_of(request))
    said.setdefault("errors", {})
    said.setdefault("values", {"text": stored.document or ""})
    return render(
        request,
        "policy.html",
        session,
        status=status,
        title=_("Approval policy"),
        stored=stored,
        **said,
    )


@router.get("/policy")
def policy_page(request: Request, session: PolicySetter) -> HTMLResponse:
    return _policy_page(request, session)


@router.post("/policy")
async def set_policy(request: Request, session: PolicySetter) -> HTMLResponse:
    form = await posted(request, session)
    values = {"text": str(form.get("text", "")), "reason": str(form.get("reason", "")).strip()}
    if not values["text"].strip():
        return _policy_page(request, session, 422, **_said({"text": _("is required")}, values))
    try:
        await run_in_threadpool(
            policies.write,
            engine_of(request),
            values["text"],
            session.account.username,
            values["reason"] or None,
        )
    except policies.PolicyRefused as err:
        errs = {
            "text": _("line %(line)s: %(reason)s")
            % {"line": err.line, "reason": reasons_of(err)[0] if err.reasons else said(err)}
        }
        return _policy_page(request, session, 422, **_said(errs, values))
    return _policy_page(request, session, 200, saved=True)
