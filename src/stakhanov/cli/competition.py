"""`stakhanov competition`: socialist competition between units, its rounds and its banner."""

from __future__ import annotations

from typing import Annotated

import typer

from stakhanov.cli.arguments import ByOption, actor, day
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import CsvOption, FromOption, JsonOption, ToOption, XlsxOption
from stakhanov.cli.output import console, emit
from stakhanov.domain.competition import Metric, Step
from stakhanov.domain.periods import Period
from stakhanov.services import competitions as service

competition_app = typer.Typer(
    help="Socialist competition between units on a declared metric, in rounds, for a banner.",
    invoke_without_command=True,
    no_args_is_help=False,
)
NUMBERS = ("rank", "score", "fair_percent", "workers", "shifts", "hours")


@competition_app.callback()
def competition(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Declared competitions."""
    if ctx.invoked_subcommand is not None:
        return
    with app_context(ctx).engine().connect() as connection:
        found = service.load(connection)
    rows = [
        {
            "name": c.name,
            "metric": c.metric.value,
            "from": c.period.start,
            "to": c.period.end,
            "step": c.step.value,
            "banner": c.banner,
            "units": list(c.units),
        }
        for c in found
    ]
    emit(rows, title="Competitions", as_json=as_json, csv_path=None)


@competition_app.command("declare")
@writes
def declare(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the competition.")],
    unit: Annotated[list[str], typer.Option("--unit", help="A competing unit (repeatable).")],
    metric: Annotated[Metric, typer.Option("--metric", help="What decides it.")],
    start: FromOption = None,
    end: ToOption = None,
    step: Annotated[Step, typer.Option("--step", help="Length of a round.")] = Step.WEEK,
    banner: Annotated[
        str | None, typer.Option("--banner", help="The transferable banner it is fought for.")
    ] = None,
    by: ByOption = None,
) -> None:
    """Declare a competition between units over a period."""
    period = Period(day(start, "--from"), day(end, "--to"))
    made = service.declare(
        app_context(ctx).engine(),
        service.Competition(name, metric, period, step, tuple(unit), banner),
        actor(by),
    )
    console.print(f"competition {made.name!r} declared: {len(made.units)} units, {made.metric}")


@competition_app.command("standings")
def standings(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The competition.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Standings as of this date.")] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Overall standings, the standings of every round so far, the winners and the banner."""
    report = service.report(
        app_context(ctx).engine(), name, day(as_of, "--as-of") if as_of else None
    )
    competition = report.competition
    overall = service.standing_rows(report.overall, competition)
    rounds = [row for r in report.rounds for row in service.standing_rows(r, competition)]
    banner = [service.holding_dict(h) for h in report.banner]
    if as_json:
        print(
            dumps(
                {
                    "name": competition.name,
                    "metric": competition.metric.value,
                    "period": str(competition.period),
                    "standings": overall,
                    "winners": report.winners,
                    "leaders": report.leaders,
                    "finished": report.finished,
                    "rounds": rounds,
                    "banner": competition.banner,
                    "banner_history": banner,
                }
            )
        )
        return
    columns = ("rank", "unit", "score", "fair_percent", "workers", "shifts")
    emit(
        overall,
        title=f"{competition.name}: {competition.metric.value}, {report.overall.period}",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=columns,
        right=NUMBERS,
    )
    if report.finished:
        console.print(f"Winner(s): {', '.join(report.winners) or 'none'}")
    else:
        console.print(
            f"Leading so far: {', '.join(report.leaders) or 'none'} "
            f"(no winner before the competition ends on {competition.period.end})"
        )
    emit(
        rounds,
        title="Rounds",
        as_json=False,
        csv_path=None,
        columns=("round", *columns),
        right=NUMBERS,
    )
    if competition.banner:
        emit(banner, title=f"Banner: {competition.banner}", as_json=False, csv_path=None)


def register(app: typer.Typer) -> None:
    app.add_typer(competition_app, name="competition")
