"""Organising work for the API and the command line: a workplace from a bundled name or a
file's text, the crew plan, the balanced line and the work-site simulation as one report each.

Bad input is refused with every problem located (file, line, key path); nothing is stored.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from importlib import resources
from typing import Any

from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.wording import say
from stakhanov.sim.balance import Balance, Unbalanceable, balance_line
from stakhanov.sim.crew_file import CrewMember, CrewRejected, read_crew
from stakhanov.sim.montecarlo import run_many, seeds_from
from stakhanov.sim.planner import explain, plan_crew, planned_organisation
from stakhanov.sim.site import Scenario
from stakhanov.sim.site_report import favoured_report, organisation_report
from stakhanov.sim.toml_reader import WorkplaceRejected
from stakhanov.sim.workplace import Workplace
from stakhanov.sim.workplace_file import read_workplace

SHOWN = Decimal("0.001")
BUNDLED = ("central-irmino-1935", "garment-line", "warehouse-pick-pack")


def bundled(name: str) -> str | None:
    """The text of a bundled workplace, or None."""
    found = resources.files("stakhanov.data").joinpath("workplaces", f"{name}.toml")
    return found.read_text(encoding="utf-8") if found.is_file() else None


def workplace_of(name: str | None, text: str | None, file: str = "workplace.toml") -> Workplace:
    """The workplace a bundled name or a file's text describes (exactly one of them)."""
    if (name is None) == (text is None):
        raise InvalidValue("workplace", name, say("give a bundled workplace or a file's text, one"))
    if name is not None:
        text, file = bundled(name), f"{name}.toml"
        if text is None:
            raise InvalidValue(
                "workplace",
                name,
                say("not a bundled workplace; known: %(bundled)s", bundled=BUNDLED),
            )
    assert text is not None
    try:
        return read_workplace(text, file)
    except WorkplaceRejected as err:
        raise Refused(problems=err.problems) from None


def crew_of(text: str, workplace: Workplace, file: str = "crew.csv") -> list[CrewMember]:
    try:
        return read_crew(text, workplace, file)
    except CrewRejected as err:
        raise Refused(problems=err.problems) from None


def crew_plan(
    workplace: Workplace, members: list[CrewMember], time_limit: float
) -> tuple[str, dict[str, Any]]:
    """The plan's status and its explanation, as `stakhanov plan-crew --json` prints it."""
    plan = plan_crew(workplace, members, time_limit)
    report = explain(workplace, members, plan)
    report["expected_output"] = report["expected_output"].quantize(SHOWN)
    for op in report["operations"]:
        op["output_if_alone"] = op["output_if_alone"].quantize(SHOWN)
    return plan.status, report


def takt_of(workplace: Workplace, takt: Decimal | None, demand: Decimal | None) -> Decimal:
    """The takt in minutes: given, or set by the units wanted a shift (one of the two)."""
    if (takt is None) == (demand is None):
        raise InvalidValue("takt", takt, say("give takt or demand, one of them"))
    for field, value in (("takt", takt), ("demand", demand)):
        if value is not None and (not value.is_finite() or value <= 0):
            raise InvalidValue(field, value, say("must be more than 0"))
    if takt is not None:
        return takt
    assert demand is not None
    return (workplace.working_hours * 60 / demand).quantize(Decimal("0.01"), "ROUND_DOWN")


def balanced(workplace: Workplace, takt: Decimal, time_limit: float) -> Balance:
    try:
        return balance_line(workplace, takt, time_limit)
    except Unbalanceable as err:
        raise InvalidValue("workplace", workplace.name, str(err)) from None


def balance_report(result: Balance) -> dict[str, Any]:
    """The balanced line as `stakhanov balance-line --json` prints it."""
    rows = [
        {
            "station": s.number,
            "operations": list(s.operations),
            "minutes": s.minutes,
            "idle_minutes": result.takt - s.minutes,
        }
        for s in result.stations
    ]
    return {
        "status": result.status,
        "takt_minutes": result.takt,
        "stations": len(result.stations),
        "minimum_stations": result.minimum,
        "work_minutes": result.work,
        "efficiency_percent": result.efficiency_percent,
        "line": rows,
    }


def with_plan(workplace: Workplace, members: list[CrewMember], file: str) -> Workplace:
    """The workplace with the planner's assignment of the crew as the organisation `planned`."""
    plan = plan_crew(workplace, members)
    if plan.status == "infeasible":
        raise InvalidValue(
            "crew", file, say("no plan for this crew meets every rule (see plan-crew)")
        )
    planned = planned_organisation(members, plan)
    return replace(workplace, organisations={**workplace.organisations, planned.name: planned})


def scenarios(
    workplace: Workplace,
    names: list[str] | None,
    faces: int | None,
    favoured: int | None,
    favoured_organisation: str | None,
    share: Decimal,
) -> dict[str, Scenario]:
    """Each organisation on every face; or, with a favoured face, the baseline and the favour."""
    chosen = names or list(workplace.organisations)
    for name in [*chosen, *([favoured_organisation] if favoured_organisation else [])]:
        if name not in workplace.organisations:
            known = ", ".join(workplace.organisations) or "none"
            raise InvalidValue(
                "organisations",
                name,
                say("%(name)r is not in the workplace; known: %(known)s", name=name, known=known),
            )
    count = faces or workplace.faces
    if favoured is not None and not 1 <= favoured <= count:
        raise InvalidValue(
            "favoured", favoured, say("the section has %(count)s faces", count=count)
        )
    if not 0 <= share < 1:
        raise InvalidValue("favoured_share", share, say("must be at least 0 and less than 1"))
    if favoured is None:
        return {n: Scenario((workplace.organisations[n],) * count) for n in chosen}
    usual = workplace.organisations[chosen[0]]
    lucky = workplace.organisations[favoured_organisation or chosen[0]]
    mixed = tuple(lucky if f == favoured - 1 else usual for f in range(count))
    return {
        "baseline": Scenario((usual,) * count),
        "favoured": Scenario(mixed, favoured - 1, share),
    }


def site_report(
    workplace: Workplace, chosen: dict[str, Scenario], seed: int, runs: int, engine: str = "local"
) -> dict[str, Any]:
    """Seeded runs of each scenario, here, as `stakhanov simulate site --json` reports them."""
    results = {label: run_many(workplace, s, seeds_from(seed, runs)) for label, s in chosen.items()}
    return report_of(workplace, chosen, results, seed, runs, engine)


def report_of(
    workplace: Workplace,
    chosen: dict[str, Scenario],
    results: dict[str, Any],
    seed: int,
    runs: int,
    engine: str,
) -> dict[str, Any]:
    reports = {
        label: organisation_report(workplace, chosen[label], r) for label, r in results.items()
    }
    favoured = "favoured" in chosen and chosen["favoured"].favoured is not None
    return {
        "workplace": workplace.name,
        "unit": workplace.unit,
        "seed": seed,
        "runs": runs,
        "faces": len(next(iter(chosen.values())).organisations),
        "engine": engine,
        "scenarios": reports,
        "favoured": favoured_report(reports["baseline"], reports["favoured"]) if favoured else None,
    }
