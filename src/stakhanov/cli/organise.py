"""`stakhanov plan-crew` and `stakhanov balance-line`: organising work on a workplace model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, emit, rejected
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.units import parse_path
from stakhanov.sim import tools as organisation
from stakhanov.sim.crew_file import CrewMember, CrewRejected, crew_from_registry, read_crew
from stakhanov.sim.toml_reader import WorkplaceRejected
from stakhanov.sim.workplace import Workplace
from stakhanov.sim.workplace_file import read_workplace

WorkplaceArgument = Annotated[
    str,
    typer.Argument(
        help="A workplace TOML file, or a bundled example: central-irmino-1935, garment-line, "
        "warehouse-pick-pack."
    ),
]
TimeLimitOption = Annotated[
    float, typer.Option("--time-limit", min=0.1, help="Seconds the solver may search.")
]


def load_workplace(name: str) -> Workplace:
    """A workplace from a file, or a bundled example by name; bad input exits 1, located."""
    path = Path(name)
    if path.is_file():
        text, where = path.read_text(encoding="utf-8"), str(path)
    else:
        bundled = resources.files("stakhanov.data").joinpath("workplaces", f"{name}.toml")
        if not bundled.is_file():
            raise typer.BadParameter(f"{name!r} is neither a file nor a bundled workplace")
        text, where = bundled.read_text(encoding="utf-8"), f"{name}.toml"
    try:
        return read_workplace(text, where)
    except WorkplaceRejected as err:
        raise rejected(err.problems) from None


def load_crew(path: Path, workplace: Workplace) -> list[CrewMember]:
    try:
        return read_crew(path.read_text(encoding="utf-8-sig"), workplace, str(path))
    except CrewRejected as err:
        raise rejected(err.problems) from None


def registry_crew(
    ctx: typer.Context, model: Workplace, unit: str, on: str | None
) -> list[CrewMember]:
    from stakhanov.cli.arguments import day
    from stakhanov.cli.context import app_context
    from stakhanov.services import skills

    when = day(on, "--on", dt.date.today())
    workers, held = skills.crew_of(app_context(ctx).engine(), parse_path(unit))
    return crew_from_registry(model, workers, held, when)


def decimal_option(text: str | None, name: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"{text!r} is not a number", param_hint=name) from None
    if not value.is_finite() or value <= 0:
        raise typer.BadParameter("must be more than 0", param_hint=name)
    return value


def plan_crew_command(
    ctx: typer.Context,
    workplace: WorkplaceArgument,
    crew: Annotated[
        Path | None, typer.Option("--crew", exists=True, dir_okay=False, help="crew.csv")
    ] = None,
    from_registry: Annotated[
        str | None,
        typer.Option(
            "--from-registry",
            help="A unit: its workers, with the skills and certifications the registry holds "
            "for them on --on, instead of --crew.",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="With --from-registry: the day (default today).")
    ] = None,
    time_limit: TimeLimitOption = 10.0,
    as_json: JsonOption = False,
) -> None:
    """Assign the crew to roles for the most expected output, within every rule."""
    if (crew is None) == (from_registry is None):
        raise typer.BadParameter("give --crew or --from-registry, one of them")
    model = load_workplace(workplace)
    if crew is not None:
        members = load_crew(crew, model)
    else:
        assert from_registry is not None
        members = registry_crew(ctx, model, from_registry, on)
    status, report = organisation.crew_plan(model, members, time_limit)
    if as_json:
        print(dumps(report))
        if status == "infeasible":
            raise typer.Exit(1)
        return
    if status == "infeasible":
        emit(report["workers"], title="No plan meets every rule", as_json=False, csv_path=None)
        raise typer.Exit(1)
    emit(report["workers"], title=f"Crew plan for {model.name}", as_json=False, csv_path=None)
    emit(
        [{**o, "workers": ";".join(o["workers"])} for o in report["operations"]],
        title="Operations (rate in units per hour)",
        as_json=False,
        csv_path=None,
        right=("rate", "output_if_alone", "slack_percent"),
    )
    proved = (
        "proved optimal" if status == "optimal" else f"best found (bound {report['bound_rate']})"
    )
    console.print(
        f"Expected output {report['expected_output']} {model.unit} a shift, {proved}; "
        f"the bottleneck is {report['bottleneck']}."
    )


def balance_line_command(
    workplace: WorkplaceArgument,
    takt: Annotated[str | None, typer.Option("--takt", help="Takt time in minutes.")] = None,
    demand: Annotated[
        str | None, typer.Option("--demand", help="Units wanted a shift (sets the takt).")
    ] = None,
    time_limit: TimeLimitOption = 10.0,
    as_json: JsonOption = False,
) -> None:
    """Group a flow line's operations onto the fewest stations that keep the takt."""
    model = load_workplace(workplace)
    given_takt, given_demand = decimal_option(takt, "--takt"), decimal_option(demand, "--demand")
    if (given_takt is None) == (given_demand is None):
        raise typer.BadParameter("give --takt or --demand, one of them")
    if given_takt is None:
        assert given_demand is not None
        given_takt = (model.working_hours * 60 / given_demand).quantize(
            Decimal("0.01"), "ROUND_DOWN"
        )
    try:
        result = organisation.balanced(model, given_takt, time_limit)
    except InvalidValue as err:
        raise rejected([f"{workplace}: {err.reason}"]) from None
    summary = organisation.balance_report(result)
    rows = summary.pop("line")
    if as_json:
        print(dumps({**summary, "line": rows}))
        return
    emit(rows, title=f"Balanced line for {model.name}", as_json=False, csv_path=None,
         right=("station", "minutes", "idle_minutes"))  # fmt: skip
    console.print(
        f"{len(result.stations)} stations at a takt of {result.takt} min (at least "
        f"{result.minimum} needed), {result.efficiency_percent}% balanced, {result.status}."
    )


def register(app: typer.Typer) -> None:
    app.command("plan-crew")(plan_crew_command)
    app.command("balance-line")(balance_line_command)
