"""`stakhanov honour` (the honour board, opt-out and opt-in) and `stakhanov incidents`."""

from __future__ import annotations

from typing import Annotated

import typer

from stakhanov.cli.arguments import ByOption, actor
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    XlsxOption,
    period_of,
)
from stakhanov.cli.output import console, emit
from stakhanov.domain.scopes import LEVELS, Scope
from stakhanov.services import honour as service
from stakhanov.services.incidents import incident_dict, incidents

honour_app = typer.Typer(
    help="The honour board: teams or workers ranked by fair fulfilment; no money shown.",
    invoke_without_command=True,
    no_args_is_help=False,
)
NUMBERS = ("rank", "workers", "shifts", "fair_percent")
WorkerArgument = Annotated[str, typer.Argument(help="The worker id.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (optional).")]


@honour_app.callback()
def honour(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="The unit whose board it is.")] = None,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    workers: Annotated[
        bool, typer.Option("--workers", help="Rank workers instead of teams.")
    ] = False,
    level: Annotated[
        Scope | None,
        typer.Option("--level", help="Teams at this level (default: each worker's home unit)."),
    ] = None,
    mask: Annotated[bool, typer.Option("--mask", help="Show initials instead of names.")] = False,
    min_shifts: Annotated[
        int | None,
        typer.Option(
            "--min-shifts",
            min=1,
            help="Leave out fewer shifts than this (default: the rulebook's for workers, 1 for "
            "teams).",
        ),
    ] = None,
    operation: Annotated[
        str | None, typer.Option("--operation", help="Rank on this operation only.")
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", min=1, help="Only the first so many rows (default: every row)."),
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """The honour board of a unit for a period, ranked by fair fulfilment (never the stated
    figure) on ordinary shifts. Workers who opted out, or whom the safety and quality gates
    bar, are not named; their work still counts for their team."""
    if ctx.invoked_subcommand is not None:
        return
    if unit is None:
        raise typer.BadParameter("is required", param_hint="--unit")
    if level is not None and level not in LEVELS:
        raise typer.BadParameter(
            f"must be one of {', '.join(x.value for x in LEVELS)}", param_hint="--level"
        )
    chosen = period_of(period, start, end)
    engine = app_context(ctx).engine()
    entries = service.board(
        engine,
        unit,
        chosen,
        workers=workers,
        level=level,
        masked=mask,
        min_shifts=min_shifts,
        operation=operation,
        top=top,
    )
    declared = service.rules(engine)
    least = service.least_shifts(declared, min_shifts, workers)
    rows = [service.entry_dict(e, workers, min_shifts=least, operation=operation) for e in entries]
    what = "workers" if workers else "teams"
    on = f", {operation}" if operation else ""
    emit(
        rows,
        title=f"Honour board of {unit}, {chosen}{on} ({what}, by fair fulfilment)",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=[c for c in (rows[0] if rows else {}) if c not in ("min_shifts", "operation")],
        right=NUMBERS,
    )
    if not as_json:
        console.print(
            "Ranked: " + service.rules_text(declared, min_shifts, workers), soft_wrap=True
        )


def _preference(
    ctx: typer.Context, worker: str, public: bool, reason: str | None, by: str | None
) -> None:
    service.set_public(app_context(ctx).engine(), worker, public, actor(by), reason)
    console.print(f"{worker} {'appears on' if public else 'is kept off'} public boards")


@honour_app.command("opt-out")
@writes
def opt_out(
    ctx: typer.Context, worker: WorkerArgument, reason: ReasonOption = None, by: ByOption = None
) -> None:
    """Keep a worker off public boards (their work still counts for their team)."""
    _preference(ctx, worker, False, reason, by)


@honour_app.command("opt-in")
@writes
def opt_in(
    ctx: typer.Context, worker: WorkerArgument, reason: ReasonOption = None, by: ByOption = None
) -> None:
    """Show a worker on public boards again."""
    _preference(ctx, worker, True, reason, by)


def list_incidents(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Safety incidents (imported from incidents.csv); each bars its workers from titles."""
    chosen = period_of(period, start, end)
    rows = [incident_dict(i) for i in incidents(app_context(ctx).engine(), chosen)]
    emit(rows, title="Safety incidents", as_json=as_json, csv_path=csv, xlsx_path=xlsx)


def register(app: typer.Typer) -> None:
    app.add_typer(honour_app, name="honour")
    app.command("incidents")(list_incidents)
