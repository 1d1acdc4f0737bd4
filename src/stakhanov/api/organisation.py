"""Organising work over the API: the equity report (director, auditor), and the crew planner,
line balancing and the work-site simulation (foreman, director), as the command line gives them.

The tools take a workplace by bundled name or as a file's text, and a crew as CSV text; a
problem in either is refused with its file, line and key (or row and column). They store
nothing, run in a worker thread, and are bounded (solver seconds, runs) so a request stays short.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from stakhanov.api.models import Number, Strict
from stakhanov.api.params import period
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, engine_of, requires
from stakhanov.domain.access import Permission
from stakhanov.domain.periods import Period
from stakhanov.services import equity as equity_service
from stakhanov.services.accounts import Session
from stakhanov.sim import tools

router = APIRouter(route_class=PolicyRoute, tags=["organisation"])
SEEING = (Permission.VIEW_AUDIT,)
"""Who reads the equity report: those who read the audit (auditor, director, rate-setter)."""
TEXT = 1_000_000
Seconds = Annotated[Decimal, Field(gt=0, le=30, description="Seconds the solver may search.")]


class WorkplaceIn(Strict):
    workplace: str | None = Field(
        None, max_length=100, description="A bundled workplace: " + ", ".join(tools.BUNDLED)
    )
    toml: str | None = Field(None, max_length=TEXT, description="A workplace file's text.")


class PlanCrewIn(WorkplaceIn):
    crew: str = Field(min_length=1, max_length=TEXT, description="crew.csv's text.")
    time_limit: Seconds = Decimal(10)


class BalanceLineIn(WorkplaceIn):
    takt: Number | None = Field(None, gt=0, le=10**6, description="Takt time in minutes.")
    demand: Number | None = Field(
        None, gt=0, le=10**9, description="Units wanted a shift (sets the takt)."
    )
    time_limit: Seconds = Decimal(10)


class SimulateSiteIn(WorkplaceIn):
    organisations: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None, max_length=20, description="Organisations to compare (default: all)."
    )
    runs: int = Field(100, ge=1, le=500, description="Shifts simulated for each.")
    seed: int = Field(1935, ge=0, le=2**31)
    faces: int | None = Field(None, ge=1, le=20)
    favoured: int | None = Field(None, ge=1, description="Favour this face (1 is the first).")
    favoured_organisation: str | None = Field(None, max_length=200)
    favoured_share: Number = Field(
        Decimal("0.5"), ge=0, lt=1, description="Share of each stock the favoured face gets first."
    )
    crew: str | None = Field(
        None, max_length=TEXT, description="Also run the planner's plan for this crew.csv."
    )


def _workplace(body: WorkplaceIn) -> Any:
    return tools.workplace_of(body.workplace, body.toml)


@router.get("/equity", responses={403: {}, 422: {}})
def equity(
    session: Annotated[Session, requires(*SEEING)],
    request: Request,
    during: Annotated[Period, Depends(period)],
    by: equity_service.By = equity_service.By.WORKER,
    unit: Annotated[
        str | None, Query(max_length=500, description="Only workers at home in this unit.")
    ] = None,
) -> dict[str, Any]:
    """Who was given prepared shifts, assistance and the best workplaces, by worker, brigade or
    group, with concentration measures and warnings, as `stakhanov equity --json`; over the
    workers at home within your scope."""
    subtrees = session.account.scopes(Permission.VIEW_AUDIT)
    if unit:
        check_scope(session.account, Permission.VIEW_AUDIT, [unit])
        subtrees = [unit]
    report = equity_service.equity(engine_of(request), during, by, None, subtrees)
    return equity_service.report_dict(report)


@router.post("/organisation/plan-crew", responses={403: {}, 422: {}})
async def plan_crew(
    body: PlanCrewIn, session: Annotated[Session, requires(Permission.PLAN_WORK)]
) -> dict[str, Any]:
    """Assign the crew to roles for the most expected output, as `stakhanov plan-crew --json`
    (status `infeasible` when no plan meets every rule)."""

    def run() -> dict[str, Any]:
        model = _workplace(body)
        members = tools.crew_of(body.crew, model)
        return tools.crew_plan(model, members, float(body.time_limit))[1]

    return await run_in_threadpool(run)


@router.post("/organisation/balance-line", responses={403: {}, 422: {}})
async def balance_line(
    body: BalanceLineIn, session: Annotated[Session, requires(Permission.PLAN_WORK)]
) -> dict[str, Any]:
    """Group a flow line's operations onto the fewest stations that keep the takt, as
    `stakhanov balance-line --json`; give takt or demand."""

    def run() -> dict[str, Any]:
        model = _workplace(body)
        takt = tools.takt_of(model, body.takt, body.demand)
        return tools.balance_report(tools.balanced(model, takt, float(body.time_limit)))

    return await run_in_threadpool(run)


@router.post("/organisation/simulate-site", responses={403: {}, 422: {}})
async def simulate_site(
    body: SimulateSiteIn, session: Annotated[Session, requires(Permission.PLAN_WORK)]
) -> dict[str, Any]:
    """Seeded shifts of a workplace under each organisation, or with one face favoured, as
    `stakhanov simulate site --json` (run here, at most 500 runs; same seed, same answer)."""

    def run() -> dict[str, Any]:
        model = _workplace(body)
        if body.crew is not None:
            model = tools.with_plan(model, tools.crew_of(body.crew, model), "crew.csv")
        chosen = tools.scenarios(
            model,
            body.organisations,
            body.faces,
            body.favoured,
            body.favoured_organisation,
            body.favoured_share,
        )
        return tools.site_report(model, chosen, body.seed, body.runs)

    return await run_in_threadpool(run)
