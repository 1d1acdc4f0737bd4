"""`stakhanov plan status` and `stakhanov plan cascade`: targets, roll-ups and forecasts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from stakhanov.cli.context import app_context, writes
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    XlsxOption,
    day_of,
    number_of,
    period_of,
)
from stakhanov.cli.output import cell, console, emit, errors
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period, parse_period
from stakhanov.domain.rounding import rounded
from stakhanov.domain.units import parse_path
from stakhanov.services import plans

plan_app = typer.Typer(help="Plans: targets per unit and period, roll-ups and forecasts.")

NUMBERS = ("target", "actual", "percent", "forecast", "forecast_percent", "capacity")


def _period(text: str, name: str) -> Period:
    try:
        return parse_period(text)
    except InvalidValue as err:
        raise typer.BadParameter(f"{err.value!r} {err.reason}", param_hint=name) from err


@plan_app.command("status")
def status(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only this unit and the units below it.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Count output up to this date (default: today)."),
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Actual against target for every plan within the period, rolled up the tree."""
    chosen = period_of(period, start, end) if (period or start or end) else None
    day = day_of(as_of, "--as-of") if as_of else None
    rows = [
        plans.status_dict(s) for s in plans.status(app_context(ctx).engine(), chosen, unit, day)
    ]
    emit(
        rows,
        title="Plan fulfilment",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=(
            "unit",
            "operation",
            "period_start",
            "period_end",
            "granularity",
            "target",
            "actual",
            "unit_of_measure",
            "percent",
            "forecast",
            "forecast_percent",
            "derived",
        ),
        right=NUMBERS,
    )


def _override(text: str) -> tuple[str, Decimal]:
    path, sep, amount = text.rpartition("=")
    if not sep:
        raise typer.BadParameter(f"{text!r}: write UNIT=TARGET", param_hint="--override")
    try:
        return parse_path(path), Decimal(amount)
    except (InvalidValue, InvalidOperation) as err:
        raise typer.BadParameter(f"{text!r}: write UNIT=TARGET", param_hint="--override") from err


@plan_app.command("cascade")
@writes
def cascade(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="The unit whose target to split.")],
    operation: Annotated[str, typer.Option("--operation", help="The operation planned.")],
    period: Annotated[str, typer.Option("--period", help="The plan's period.")],
    target: Annotated[
        str | None, typer.Option("--target", help="The target (default: the unit's plan).")
    ] = None,
    unit_of_measure: Annotated[
        str | None, typer.Option("--unit-of-measure", help="With --target: its unit.")
    ] = None,
    override: Annotated[
        list[str] | None,
        typer.Option("--override", help="UNIT=TARGET: a fixed target for a unit (repeatable)."),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Period whose hours give capacity (default: the period before, e.g. August).",
        ),
    ] = None,
    levels: Annotated[
        int, typer.Option("--levels", help="Levels to go down; 0 goes to the leaves.", min=0)
    ] = 1,
    apply: Annotated[
        bool, typer.Option("--apply", help="Record the targets (an import of plans.csv).")
    ] = False,
    correct: Annotated[
        bool, typer.Option("--correct", help="With --apply: replace differing stored targets.")
    ] = False,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Split a target over the units below by capacity in norm output, with overrides."""
    amount = number_of(target, "--target")
    engine = app_context(ctx).engine()
    made = plans.plan_cascade(
        engine,
        parse_path(unit),
        operation,
        _period(period, "--period"),
        target=amount,
        unit_of_measure=unit_of_measure,
        overrides=dict(_override(o) for o in override or []),
        reference=_period(reference, "--reference") if reference else None,
        levels=levels,
    )
    rows = [
        {
            "unit": r.allocation.unit,
            "parent": r.parent,
            "capacity": rounded(r.allocation.capacity, Decimal("0.001")).normalize(),
            "target": r.allocation.target,
            "unit_of_measure": made.unit_of_measure,
            "overridden": r.allocation.overridden,
        }
        for r in made.rows
    ]
    emit(
        rows,
        title=f"Cascade of {made.target} {made.unit_of_measure} {operation} for {made.unit}, "
        f"{made.period} (capacity from {made.reference})",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        right=NUMBERS,
    )
    for node, rest in made.unallocated.items():
        errors.print(f"[yellow]warning:[/yellow] {cell(rest)} of {node}'s target is not allocated")
    if apply:
        report = plans.apply(engine, made, correct=correct)
        if not as_json:
            counts = report.files.get("plans.csv")
            console.print(
                f"recorded: {counts.added if counts else 0} added, "
                f"{counts.corrected if counts else 0} corrected"
            )


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
