"""`fair-rate`: the UK fair piece rate of an operation, and the rates paid against it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import FromOption, JsonOption, PeriodOption, ToOption, number_of
from stakhanov.cli.output import console, emit
from stakhanov.cli.payroll import _period
from stakhanov.domain.rounding import shown
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
    chosen = _period(period, start, end)
    found = service.check(
        app_context(ctx).engine(),
        operation,
        chosen,
        number_of(minimum_wage, "--minimum-wage"),
        within,
        number_of(rate, "--rate"),
    )
    result = as_dict(found)
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


def as_dict(found: service.FairRate) -> dict[str, Any]:
    return {
        "operation": found.operation,
        "from": found.period.start,
        "to": found.period.end,
        "unit": found.unit,
        "minimum_wage": found.minimum_wage,
        "output": found.output,
        "hours": found.hours,
        "mean_hourly_output": shown(found.mean),
        "fair_rate": shown(found.fair),
        "least_rate": found.least,
        "workers": [
            {
                "worker_id": w.worker_id,
                "hours": w.hours,
                "output": w.output,
                "hours_treated_as_worked": shown(w.treated),
            }
            for w in found.workers
        ],
        "rates": [
            {
                "currency": paid.currency or None,
                "unit": paid.unit,
                "rate": paid.rate,
                "lines": paid.lines,
                "quantity": paid.quantity,
                "fair": checked.fair_enough,
                "shortfall": shown(checked.shortfall),
            }
            for paid, checked in found.paid
        ],
    }


def register(app: typer.Typer) -> None:
    app.command("fair-rate")(fair_rate)
