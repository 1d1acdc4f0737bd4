"""Recognition: the records registry, the honour board and the competitions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import status_of
from stakhanov.api.security import engine_of
from stakhanov.domain import rounding
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.periods import parse_date
from stakhanov.domain.records import CrewMember
from stakhanov.domain.shifts import Conditions
from stakhanov.i18n import N_, _, reasons_of
from stakhanov.services import claims, competitions, dashboard, honour, records, reports
from stakhanov.services.accounts import Session
from stakhanov.web import charts
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.listing import listing, paged
from stakhanov.web.pages import PeriodText, _period, plain, render

router = APIRouter(include_in_schema=False)
# Words shown from values (a claim's status, a competition's metric), marked for the catalogs.
SAID = (
    *(N_("claimed"), N_("verified"), N_("assisted"), N_("rejected"), N_("historical")),
    *(N_("average-fulfilment"), N_("plan-fulfilment"), N_("quality-adjusted")),
    *(N_("safety-gated"), N_("week"), N_("month"), N_("whole")),
    *(N_("worker"), N_("brigade"), N_("workplace"), N_("section"), N_("enterprise")),
    *(N_("trust"), N_("industry"), N_("all-time"), N_("output"), N_("percent"), N_("per-hour")),
)

SHOWN = 12  # the honour page's leaders, workers and teams: what it reads (decision 0905)


@router.get("/records")
def records_page(
    request: Request, session: Annotated[Session, page(Permission.VIEW_RECOGNITION)]
) -> HTMLResponse:
    return _records(request, session)


CLAIM_SORTS = {
    n: (lambda key: lambda c: c.get(key))(n)
    for n in ("claim_id", "worker_id", "operation", "date", "fair_percent", "status")
}
RECORD_SORTS = {
    n: (lambda key: lambda r: r.get(key))(n)
    for n in ("scope", "where", "operation", "measure", "name", "date", "status")
}
HISTORY_SORTS = {
    n: (lambda key: lambda r: r.get(key))(n) for n in ("person", "date", "operation", "percent")
}


def _records(
    request: Request,
    session: Session,
    code: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    account = session.account
    deciding = account.scopes(Permission.VERIFY_RECORDS)
    registering = account.scopes(Permission.REGISTER_RECORDS)
    states = dashboard.claim_states(engine) if deciding != [] or registering != [] else []
    standing = records.listing(engine)
    # The workers the page names: the claimants and the record holders, not the workforce.
    named = {s.claim.worker_id for s in states} | {r.get("worker_id") or "" for r in standing}
    workers = reports.workers(engine, ids=named)
    units = {w.worker_id: w.unit for w in workers}
    names = {w.worker_id: w.name for w in workers}
    shown_claims = []
    for state in states:
        unit = units.get(state.claim.worker_id, "")
        if (deciding != [] and within_any(unit, deciding)) or (
            registering != [] and within_any(unit, registering)
        ):
            shown_claims.append(records.state_dict(state))
    current = [_record_row(r, names) for r in standing if r["scope"] != records.HISTORICAL]
    historical = [r for r in standing if r["scope"] == records.HISTORICAL]
    rules = honour.rules(engine)
    return render(
        request,
        "records.html",
        session,
        status=code,
        title=_("Records"),
        standing=paged(
            current,
            listing(request, tuple(RECORD_SORTS), prefix="r", anchor="std-h"),
            RECORD_SORTS,
            lambda r: f"{r['name']} {r['worker_id']} {r['operation']} {r['where']} {r['scope']}",
        ),
        historical=paged(
            historical,
            listing(request, tuple(HISTORY_SORTS), prefix="h", anchor="hist-h"),
            HISTORY_SORTS,
            lambda r: f"{r.get('person') or ''} {r['operation']} {r.get('source') or ''}",
        ),
        claims=paged(
            shown_claims,
            listing(request, tuple(CLAIM_SORTS), prefix="c", anchor="claims-h"),
            CLAIM_SORTS,
            lambda c: (
                f"{c['claim_id']} {c['worker_id']} {names.get(c['worker_id'], '')} "
                f"{c['operation']} {c['status']}"
            ),
        ),
        rules=rules,
        trade_text="; ".join(
            f"{t}: {', '.join(sorted(o))}" for t, o in sorted(rules.trades.items())
        ),
        standing_count=len(current),
        may_verify=deciding != [],
        may_register=registering != [],
        workers=[w for w in workers if within_any(w.unit, registering)]
        if registering != []
        else [],
        message=message,
        error=error,
    )


def _record_row(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A standing record as a person reads it: who holds it, where, and the value with its unit
    (percentages to one decimal, as everywhere)."""

    def shown(value: Any) -> str:
        if value is None:
            return "–"
        number = Decimal(str(value))
        if row["measure"] == "percent":
            return f"{plain(rounding.percent(number))}%"
        unit = row.get("unit") or ""
        per = "/h" if row["measure"] == "per-hour" else ""
        return f"{plain(number, 3)} {unit}{per}".strip()

    return {
        **row,
        "where": _("personal best") if row["scope"] == "worker" else row.get("scope_id") or "",
        "name": names.get(row.get("worker_id") or "", row.get("worker_id") or ""),
        "shown_value": shown(row.get("value")),
        "shown_fair": shown(row.get("fair_value")),
    }


@router.post("/records")
async def record_action(
    request: Request,
    session: Annotated[Session, page(Permission.VERIFY_RECORDS, Permission.REGISTER_RECORDS)],
) -> HTMLResponse:
    """Register an attempt (foreman), or verify or reject a claim (auditor outside the crew)."""
    form = await posted(request, session)
    values = fields(
        form, "action", "claim_id", "text", "worker_id", "operation", "date", "shift_id"
    )
    engine, account = engine_of(request), session.account
    action = values["action"]
    try:
        if action == "register":
            worker = dashboard.worker(engine, values["worker_id"])
            if worker is None or not account.allows(Permission.REGISTER_RECORDS, worker.unit):
                raise PageError(403, _("That worker is not in your scope."))
            crew = [
                CrewMember(w.strip(), o.strip() or "assist")
                for w, _colon, o in (
                    part.partition(":")
                    for part in str(form.get("crew", "")).split(",")
                    if part.strip()
                )
            ]
            claim = await run_in_threadpool(
                lambda: claims.register(
                    engine,
                    worker_id=values["worker_id"],
                    operation=values["operation"],
                    date=parse_date(values["date"]),
                    by=account.username,
                    shift_id=values["shift_id"] or None,
                    crew=crew,
                    conditions=Conditions(str(form.get("conditions", "standard"))),
                    witnesses=str(form.get("witnesses", "")).split(","),
                )
            )
            message = _("Attempt %(claim)s registered for %(name)s.") % {
                "claim": claim.claim_id,
                "name": worker.name,
            }
        elif action in ("verify", "reject"):
            try:
                dashboard.claim_to_decide(
                    engine,
                    values["claim_id"],
                    lambda unit: account.allows(Permission.VERIFY_RECORDS, unit),
                    (account.username, account.display_name, account.worker_id),
                )
            except LookupError as err:
                raise PageError(403, _("Not decided: %(reason)s.") % {"reason": err}) from err
            if action == "verify":
                decision, _award = await run_in_threadpool(
                    records.verify, engine, values["claim_id"], account.username, values["text"]
                )
            else:
                decision = await run_in_threadpool(
                    claims.reject, engine, values["claim_id"], account.username, values["text"]
                )
            message = _("Claim %(claim)s: %(status)s.") % {
                "claim": decision.claim_id,
                "status": _(decision.status.value),
            }
        else:
            raise PageError(422, _("Unknown action."))
    except InvalidValue as err:
        return _records(request, session, 422, error=f"{err.field} {err.reason}")
    except Refused as err:
        return _records(request, session, status_of(err), error="; ".join(reasons_of(err)))
    return _records(request, session, message=message)


@router.get("/honour")
def honour_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_RECOGNITION)],
    period: PeriodText = None,
    unit: Annotated[str | None, Query(max_length=500)] = None,
    wall: bool = False,
    operation: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The honour board: by fair fulfilment, never by pay, with the rules of who is ranked.
    With `wall`, the board alone, sized to fill a wall screen without scrolling, and refreshed
    every few minutes."""
    chosen, text = _period(request, period)
    engine = engine_of(request)
    paths = dashboard.unit_paths(engine, None)
    roots = [u for u in paths if "/" not in u]
    chosen_unit = unit or (roots[0] if roots else "")
    operation = operation or None
    people, teams = [], []
    if chosen_unit:
        people = honour.board(
            engine, chosen_unit, chosen, workers=True, operation=operation, top=SHOWN
        )
        teams = honour.board(engine, chosen_unit, chosen, operation=operation, top=SHOWN)
    with_units_below = {p.rsplit("/", 1)[0] for p in paths if "/" in p}
    return render(
        request,
        "honour.html",
        session,
        title=_("Honour board of %(unit)s, %(period)s") % {"unit": chosen_unit, "period": text}
        if wall
        else _("Honour board"),
        period=text,
        unit=chosen_unit,
        units=paths,
        people=[replace(e, unit=_below(e.unit, chosen_unit)) for e in people],
        teams=[
            {
                "rank": e.rank,
                "name": _below(e.name, chosen_unit),
                "own_staff": e.name in with_units_below,
                "workers": e.workers,
                "shifts": e.shifts,
                "fair_percent": e.fair_percent,
            }
            for e in teams
        ],
        wall=wall,
        wall_url="/honour?"
        + urlencode(
            {"unit": chosen_unit, "period": text, "wall": "1"}
            | ({"operation": operation} if operation else {})
        ),
        rules=honour.rules(engine),
        operation=operation or "",
        operations=sorted({n.operation for n in reports.norms(engine)}),
    )


def _below(path: str | None, root: str) -> str:
    """A unit as seen from the board's unit: `Section 9/Brigade 1` on the mine's board."""
    if not path:
        return ""
    if path == root:
        return path.rsplit("/", 1)[-1]
    return path[len(root) + 1 :] if path.startswith(root + "/") else path


@router.get("/competitions")
def competitions_page(
    request: Request,
    session: Annotated[Session, page(Permission.VIEW_RECOGNITION)],
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    engine = engine_of(request)
    declared = dashboard.declared_competitions(engine)
    chosen = next((c for c in declared if c.name == name), declared[-1] if declared else None)
    report, rows, chart = None, [], None
    if chosen is not None:
        report = competitions.report(engine, chosen.name)
        rows = competitions.standing_rows(report.overall, chosen)
        chart = (
            charts.bars(
                _("%(name)s: %(metric)s, overall so far")
                % {"name": chosen.name, "metric": _(chosen.metric.value)},
                [r["unit"] for r in rows],
                [charts.Series(_("score"), [r["score"] for r in rows])],
                unit="%" if "fulfilment" in chosen.metric.value else "",
            )
            if rows
            else None
        )
    return render(
        request,
        "competitions.html",
        session,
        title=_("Competitions"),
        declared=declared,
        chosen=chosen,
        report=report,
        rows=rows,
        rounds=[competitions.standing_rows(r, report.competition) for r in report.rounds]
        if report
        else [],
        banner=[competitions.holding_dict(h) for h in report.banner] if report else [],
        chart=chart,
    )
