"""Commands that read: workers, norms, fulfilment, audit, history."""

from __future__ import annotations

from typing import Annotated

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    XlsxOption,
    period_of,
)
from stakhanov.cli.output import emit
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import parse_date
from stakhanov.i18n import said
from stakhanov.services import history as history_service
from stakhanov.services import reports as service

UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Only this unit and the units below it.")
]
NUMBERS = (
    "shifts",
    "hours",
    "output",
    "norm_output",
    "percent",
    "fair_percent",
    "norm",
    "norm_hours",
    "max_rate",
    "per_hour",
    "shift_hours",
)


def workers(
    ctx: typer.Context,
    unit: UnitOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """List workers."""
    found = service.workers(app_context(ctx).engine(), unit)
    emit(
        [service.worker_dict(w) for w in found],
        title="Workers",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
    )


def norms(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--on", help="Only norms in force on this date.")
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """List norms: every version, or those in force on a date."""
    if ctx.invoked_subcommand is not None:
        return
    day = None
    if on:
        try:
            day = parse_date(on, "--on")
        except InvalidValue as err:
            raise typer.BadParameter(said(err), param_hint="--on") from err
    rows = [service.norm_dict(n) for n in service.norms(app_context(ctx).engine(), day)]
    columns = (
        "operation",
        "kind",
        "norm",
        "unit",
        "norm_hours",
        "per_hour",
        "includes",
        "max_rate",
        "effective_from",
        "method",
    )
    emit(
        rows,
        title="Norms",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=columns,
        right=NUMBERS,
    )


def fulfilment(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    by: Annotated[Grouping, typer.Option("--by", help="How to group results.")] = Grouping.WORKER,
    unit: UnitOption = None,
    worker: Annotated[
        str | None, typer.Option("--worker", help="Only this worker's results.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Print only the first N rows.")
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Fulfilment of the norm, stated and fair, over a period (read from the read model)."""
    chosen = period_of(period, start, end)
    found = service.fulfilment(app_context(ctx).engine(), chosen, by, unit, worker)
    rows = [r.as_dict() for r in found[:limit]]
    key = {"shift": ("shift_id", "worker_id"), "worker": ("worker_id",)}.get(by.value, ("unit",))
    columns = (
        *key,
        "operation",
        "shifts",
        "hours",
        "output",
        "quantity_unit" if key == ("unit",) else "unit",
        "norm_output",
        "percent",
        "fair_percent",
    )
    if by is Grouping.OPERATION:
        columns = columns[1:]
    if by is Grouping.SHIFT:
        columns = tuple(c for c in columns if c != "shifts")
    emit(
        rows,
        title=f"Fulfilment by {by.value}",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=columns,
        right=NUMBERS,
    )


def history(as_json: JsonOption = False, csv: CsvOption = None, xlsx: XlsxOption = None) -> None:
    """The historical claims bundled with stakhanov, with their sources; they disagree."""
    rows = history_service.claims()
    emit(
        rows,
        title="Historical claims (as the sources state them)",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        right=NUMBERS,
        columns=(
            "claim_id",
            "person",
            "date",
            "output",
            "unit",
            "norm",
            "shift_hours",
            "stated_ratio",
            "percent",
            "source",
        ),
    )


def register(app: typer.Typer) -> None:
    # `norms` is the default action of the `norms` group (cli/governance.py).
    for command in (workers, fulfilment, history):
        app.command(command.__name__)(command)
