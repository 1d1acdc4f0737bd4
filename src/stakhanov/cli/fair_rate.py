"""`fair-rate`: the UK fair piece rate of an operation, and the rates paid against it."""

from __future__ import annotations

from typing import Annotated

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import (
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    number_of,
    pay_period_of,
)
from stakhanov.cli.output import console, emit
from stakhanov.services import fair_rate as service


def fair_rate(
    ctx: typer.Context,
    operation: Annotated[str, typer.Option("--operation", help="The task paid by the piece.")],
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    minimum_wage: Annotated[
        str | None,
        typer.Option(
            "--minimum-wage",
            help="The hourly minimum wage (default: the [minimum_wage] of the scale in force).",
        ),
    ] = None,
    rate: Annotated[
        str | None,
        typer.Option("--rate", help="Check this rate per piece (default: the rates paid)."),
    ] = None,
    within: Annotated[
        str | None, typer.Option("--within", help="Only workers of this unit's subtree.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """UK rated output work: the fair piece rate (1.2 x minimum wage / mean hourly output)."""
    chosen = pay_period_of(period, start, end)
    found = service.check(
        app_context(ctx).engine(),
        operation,
        chosen,
        number_of(minimum_wage, "--minimum-wage"),
        within,
        number_of(rate, "--rate"),
    )
    result = found.as_dict()
    if as_json:
        print(dumps(result))
        return
    emit(
        result["workers"],
        title=f"Hours treated as worked: {operation}, {chosen}",
        as_json=False,
        csv_path=None,
        right=("hours", "output", "hours_treated_as_worked"),
    )
    console.print(
        f"Mean hourly output: {result['output']} {result['unit'] or ''} in {result['hours']} h = "
        f"{result['mean_hourly_output']} an hour.\n"
        f"Fair piece rate: 1.2 x {result['minimum_wage']} / {result['mean_hourly_output']} = "
        f"{result['fair_rate']} (at least {result['least_rate']} a piece)."
    )
    if result["rates"]:
        emit(
            result["rates"],
            title="Rates paid",
            as_json=False,
            csv_path=None,
            columns=("currency", "unit", "rate", "lines", "quantity", "fair", "shortfall"),
            right=("rate", "lines", "quantity", "shortfall"),
        )
    else:
        console.print("No closed period within the dates paid this operation by the piece.")


def register(app: typer.Typer) -> None:
    app.command("fair-rate")(fair_rate)
