"""`stakhanov tickets`: QR tickets for bundles, bins or work orders, and worker badges, to print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, emit
from stakhanov.domain.access import Permission
from stakhanov.services import ticket_sheets
from stakhanov.services import tickets as service
from stakhanov.services.importing import default_author

tickets_app = typer.Typer(
    help="QR tickets and worker badges: printed at the source, scanned on the /scan page.",
    no_args_is_help=True,
)
PdfOption = Annotated[
    Path | None,
    typer.Option("--pdf", help="Also write the sheet to this PDF file.", dir_okay=False),
]
TICKET_COLUMNS = ("ticket_id", "order_id", "operation", "quantity", "unit", "workplace")


def _anyone(_permission: Permission, _unit: str | None) -> bool:
    """The command line is the operator's, who may write anywhere (as its imports do)."""
    return True


@tickets_app.command("print")
def print_tickets(
    ctx: typer.Context,
    workplace: Annotated[str, typer.Option(help="The workplace (unit path) the work is done at.")],
    operation: Annotated[str, typer.Option(help="The operation a ticket credits.")],
    quantity: Annotated[str, typer.Option(help="The quantity on each ticket.")],
    unit: Annotated[str, typer.Option(help="The quantity's unit (t, pcs, m3, ...).")],
    order: Annotated[str, typer.Option(help="The order, bundle or bin the tickets belong to.")],
    count: Annotated[int, typer.Option(help="How many tickets.")] = 1,
    pdf: PdfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make tickets, keep them (only printed tickets scan) and list them; --pdf draws the sheet."""
    made = service.print_tickets(
        app_context(ctx).engine(),
        _anyone,
        default_author(),
        workplace=workplace,
        operation=operation,
        quantity=quantity,
        unit=unit,
        order_id=order,
        count=count,
    )
    if pdf is not None:
        pdf.write_bytes(ticket_sheets.pdf([ticket_sheets.ticket_card(t) for t in made], "tickets"))
    rows: list[dict[str, Any]] = [
        {
            "ticket_id": t.ticket_id,
            "order_id": t.order_id,
            "operation": t.operation,
            "quantity": t.quantity,
            "unit": t.unit,
            "workplace": t.workplace,
            "payload": t.payload,
        }
        for t in made
    ]
    emit(
        rows,
        title="Tickets",
        as_json=as_json,
        csv_path=None,
        columns=None if as_json else TICKET_COLUMNS,
    )
    if pdf is not None and not as_json:
        console.print(f"The sheet is in {pdf}.")


@tickets_app.command("badges")
def badges(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option(help="The unit (path) whose workers get badges.")],
    pdf: PdfOption = None,
    as_json: JsonOption = False,
) -> None:
    """The badges of a unit's workers (each a QR code of the worker id); --pdf draws them."""
    found = service.badges(app_context(ctx).engine(), _anyone, unit)
    if pdf is not None:
        pdf.write_bytes(
            ticket_sheets.pdf([ticket_sheets.badge_card(b, n) for b, n in found], "badges")
        )
    rows = [{"worker_id": b.worker_id, "name": n, "payload": b.payload} for b, n in found]
    emit(
        rows,
        title="Badges",
        as_json=as_json,
        csv_path=None,
        columns=None if as_json else ("worker_id", "name"),
    )
    if pdf is not None and not as_json:
        console.print(f"The sheet is in {pdf}.")


def register(app: typer.Typer) -> None:
    app.add_typer(tickets_app, name="tickets")
