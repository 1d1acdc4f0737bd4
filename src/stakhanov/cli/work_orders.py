"""`stakhanov work-orders`: brigade work orders, their funds and each member's share."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import FromOption, JsonOption, PeriodOption, ToOption, period_of
from stakhanov.cli.output import console, emit
from stakhanov.services import work_orders as service

work_orders_app = typer.Typer(
    help="Brigade work orders: a fund for a brigade's work, split among its members by KTU.",
    no_args_is_help=True,
)
LISTED = ("work_order", "unit", "from", "to", "operations", "rate", "fund", "split", "currency")


@work_orders_app.command("list")
def list_orders(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
) -> None:
    """Current work orders by id (with a period: those sharing a day with it)."""
    chosen = period_of(period, start, end) if (period or start or end) else None
    found = service.listed(app_context(ctx).engine(), chosen)
    rows = [service.order_dict(o) for o in found]
    for row in rows if not as_json else []:
        row["operations"] = ";".join(row["operations"])
    emit(rows, title="Work orders", as_json=as_json, csv_path=None, columns=LISTED)


@work_orders_app.command("show")
def show(
    ctx: typer.Context,
    work_order: Annotated[str, typer.Argument(help="The work order's id.")],
    as_json: JsonOption = False,
) -> None:
    """A work order's fund, each member's weight and factors, and his share."""
    found = service.settled_dict(service.show(app_context(ctx).engine(), work_order))
    if as_json:
        print(dumps(found))
        return
    _print(found)


def _print(found: dict[str, Any]) -> None:
    console.print(
        f"[bold]Work order {found['work_order']}[/bold]: {found['unit']}, "
        f"{found['from']}..{found['to']}, split by {found['split']}"
    )
    if found["problem"]:
        console.print(f"[yellow]Cannot be split now:[/yellow] {found['problem']}")
        return
    console.print(f"fund {found['settled_fund']} {found['currency']}: {found['fund_explain']}")
    rows = [
        {
            "worker_id": s["worker_id"],
            **s["factors"],
            "weight": s["weight"],
            "share": s["share"],
        }
        for s in found["shares"]
    ]
    emit(rows, title=f"total weight {found['total_weight']}", as_json=False, csv_path=None,
         right=("tariff", "hours", "ktu", "weight", "share"))  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(work_orders_app, name="work-orders")
