"""`stakhanov verify-ledger`: recompute the hash chain and name every row changed behind it."""

from __future__ import annotations

from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, errors, table_cell
from stakhanov.services.chain import Verification, chain_state, finding_line, verify_ledger

BROKEN = 1  # the exit code when anything is not as the chain recorded it
COLUMNS = ("table", "id", "batch", "shift", "what", "detail")


def verify_ledger_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Recompute the ledger's hash chain; name each row edited, deleted, inserted or reordered
    directly in the database (exit code 1 when the chain is broken)."""
    engine = app_context(ctx).engine()
    found = _verify(engine)
    state = chain_state(found)
    if as_json:
        print(dumps(state))
    else:
        _show(found, state)
    for finding in state["findings"]:  # one line each on stderr, as docs/contract.md says
        errors.print(finding_line(finding), markup=False, highlight=False, soft_wrap=True)
    if not found.intact:
        raise typer.Exit(BROKEN)


def _verify(engine: Engine) -> Verification:
    """A bar on stderr over the rows read, only when stderr is a terminal."""
    if not errors.is_terminal:
        return verify_ledger(engine)
    columns = (TextColumn("verifying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True) as bar:
        task = bar.add_task("verifying", total=None)
        return verify_ledger(engine, lambda rows: bar.update(task, advance=rows))


def _show(found: Verification, state: dict[str, Any]) -> None:
    gaps = found.rolled_back
    explained = f"; batch ids never committed (rolled back): {_ids(gaps)}" if gaps else ""
    if found.intact:
        console.print(
            f"[green]ledger intact[/green]: {found.links} links over {found.rows} rows, "
            f"{found.seals} seals, head {found.head}{explained}",
            highlight=False,
        )
        return
    title = f"ledger broken: {len(found.findings)} findings"
    table = Table(title=title, header_style="bold", title_justify="left")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for finding in state["findings"]:
        table.add_row(*(table_cell(finding[c]) for c in COLUMNS))
    console.print(table)
    console.print(f"head {found.head}{explained}", highlight=False)


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")


def register(app: typer.Typer) -> None:
    app.command("verify-ledger")(verify_ledger_command)
