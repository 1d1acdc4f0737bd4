"""`stakhanov simulate ratchet`: why raising norms after records backfired, month by month."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import CsvOption, JsonOption, XlsxOption
from stakhanov.cli.output import console, emit
from stakhanov.cli.simulate_site import site
from stakhanov.sim.ratchet import Model, RevisionPolicy
from stakhanov.sim.report import ratchet as ratchet_report

simulate_app = typer.Typer(help="Simulations of policies, seeded and repeatable.")


@simulate_app.command("ratchet")
def ratchet(
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random workforce.")] = 1935,
    workers: Annotated[int, typer.Option("--workers", min=4, help="Workers.")] = 40,
    months: Annotated[int, typer.Option("--months", min=2, help="Months simulated.")] = 24,
    enthusiasts: Annotated[
        str, typer.Option("--enthusiasts", help="Share of workers who chase records (0-1).")
    ] = "0.1",
    change_month: Annotated[
        int,
        typer.Option(
            "--change-month", min=0, help="Month new equipment arrives (1 is the first; 0: never)."
        ),
    ] = 8,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Output, pay and hidden capacity under after-record raises and governed revisions."""
    try:
        share = Decimal(enthusiasts)
    except InvalidOperation:
        raise typer.BadParameter(
            "must be a number between 0 and 1", param_hint="--enthusiasts"
        ) from None
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise typer.BadParameter("must be between 0 and 1", param_hint="--enthusiasts")
    model = Model(seed, workers, months, share, change_month=change_month)
    report = ratchet_report(model)
    rows, summary = report["months"], report["summary"]
    if as_json:
        print(dumps(report))
        if csv is not None:
            emit(rows, title="", as_json=False, csv_path=csv, xlsx_path=xlsx)
        return
    emit(
        rows,
        title=f"Ratchet simulation: {workers} workers, {months} months, seed {seed} "
        "(output and norm as multiples of the initial norm; pay per worker-month)",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
        right=("month", "norm", "output", "pay", "hidden_capacity_percent", "records"),
    )
    emit(
        [{"policy": p, **s} for p, s in summary.items()],
        title="Summary",
        as_json=False,
        csv_path=None,
        right=tuple(summary[RevisionPolicy.GOVERNED.value]),
    )
    after, governed = summary["after-record"], summary["governed"]
    console.print(
        f"After-record raises end with {after['final_hidden_capacity_percent']}% of capacity "
        f"hidden and a mean pay of {after['mean_pay']}; governed revisions with "
        f"{governed['final_hidden_capacity_percent']}% hidden and {governed['mean_pay']}. "
        "See docs/ratchet.md for the model."
    )


simulate_app.command("site")(site)


def register(app: typer.Typer) -> None:
    app.add_typer(simulate_app, name="simulate")
