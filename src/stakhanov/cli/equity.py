"""`stakhanov equity`: who was given prepared shifts, assistance and the best workplaces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    XlsxOption,
    period_of,
)
from stakhanov.cli.output import cell, console, emit, write_exports
from stakhanov.services import equity as service

COLUMNS = (
    "key",
    "workers",
    "shifts",
    "prepared",
    "prepared_percent",
    "resources",
    "resources_percent",
    "assisted",
    "assisted_percent",
    "best_workplace",
    "best_workplace_percent",
)


def equity(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only workers at home in this unit and below.")
    ] = None,
    by: Annotated[
        service.By, typer.Option("--by", help="One row per worker, brigade or group (trade/grade).")
    ] = service.By.WORKER,
    rule: Annotated[
        Path | None,
        typer.Option("--rule", help="A TOML file of warning thresholds.", dir_okay=False),
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Who gets prepared shifts, assistance and the best workplaces, and how concentrated."""
    chosen = period_of(period, start, end)
    report = service.equity(app_context(ctx).engine(), chosen, by, service.load_rule(rule), unit)
    data = service.report_dict(report)
    if as_json:
        write_exports(data["rows"], COLUMNS, csv, xlsx)
        print(dumps(data))
        return
    emit(
        data["rows"],
        title=f"Equity of opportunity by {by.value}, {chosen.start} to {chosen.end}",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=COLUMNS,
        right=COLUMNS[1:],
    )
    measures = Table(title="Concentration", header_style="bold", title_justify="left")
    for name in ("favour", "favoured", "shifts", "gini", "herfindahl", "top_decile_percent"):
        measures.add_column(name.replace("_", " "))
    for c in data["concentration"]:
        measures.add_row(*(cell(v) for v in c.values()))
    console.print(measures)
    best = ", ".join(b["workplace"] for b in data["best_workplaces"]) or "none"
    console.print(f"Best workplaces: {best}", soft_wrap=True, markup=False)
    for warning in data["warnings"]:
        console.print(f"warning: {warning['message']}", style="yellow", markup=False)


def register(app: typer.Typer) -> None:
    app.command("equity")(equity)
