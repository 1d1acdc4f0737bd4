"""`payroll export`: a closed period's slip lines, accounting journal and bank-transfer list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import FromOption, JsonOption, PeriodOption, ToOption, pay_period_of
from stakhanov.cli.output import emit, errors, rejected, write_csv, write_xlsx
from stakhanov.cli.payroll import payroll_app
from stakhanov.domain.journal import Accounts, balances, parse_accounts
from stakhanov.services import pay_exports as service

FileOption = Annotated[Path | None, typer.Option(dir_okay=False)]


def _write(
    path: Path, rows: Iterable[dict[str, Any]], columns: tuple[str, ...], xlsx: bool
) -> None:
    if xlsx or path.suffix.lower() == ".xlsx":
        write_xlsx(path, rows, columns)
    else:
        write_csv(path, rows, columns)


def _counted(rows: Iterator[dict[str, Any]], total: int, quiet: bool) -> Iterator[dict[str, Any]]:
    """The rows, advancing a progress bar: a period may hold a million lines."""
    columns = (TextColumn("writing lines"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=errors, transient=True, disable=quiet) as bar:
        task = bar.add_task("lines", total=total)
        for row in rows:
            yield row
            bar.advance(task)


def _accounts(path: Path | None) -> Accounts:
    if path is None:
        return Accounts()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise typer.BadParameter(f"cannot read {path}: {err}", param_hint="--accounts") from err
    found, problems = parse_accounts(text, path.name)
    if found is None:
        raise rejected(problems)
    return found


@payroll_app.command("export")
def payroll_export(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    lines: Annotated[
        Path | None,
        typer.Option("--lines", help="Write every slip line to this file.", dir_okay=False),
    ] = None,
    journal: Annotated[
        Path | None,
        typer.Option("--journal", help="Write the accounting journal here.", dir_okay=False),
    ] = None,
    bank: Annotated[
        Path | None,
        typer.Option("--bank", help="Write the bank-transfer list here.", dir_okay=False),
    ] = None,
    references: Annotated[
        Path | None,
        typer.Option(
            "--references",
            help="With --bank: a CSV file worker_id,bank_reference.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    accounts: Annotated[
        Path | None,
        typer.Option(
            "--accounts",
            help="With --journal: a TOML file of accounts (default: docs/exports.md).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    xlsx: Annotated[
        bool, typer.Option("--xlsx", help="Write Excel workbooks instead of CSV.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Export a closed period from its locked slips: lines, journal, bank transfers."""
    chosen = pay_period_of(period, start, end)
    if lines is None and journal is None and bank is None:
        raise typer.BadParameter("give --lines, --journal and/or --bank", param_hint="--lines")
    if bank is not None and references is None:
        raise typer.BadParameter("--bank needs --references FILE", param_hint="--references")
    chart = _accounts(accounts)
    found = service.references_from_file(references) if bank and references else {}
    result: dict[str, Any] = {"from": chosen.start, "to": chosen.end}
    with service.reading(app_context(ctx).engine(), chosen) as reading:
        if bank is not None and references is not None:
            transfers = reading.bank(found, references.name)
            _write(bank, reading.bank_rows(transfers), service.BANK_COLUMNS, xlsx)
            totals = transfers.totals()
            result["bank"] = {
                "file": str(bank),
                "transfers": len(transfers.transfers),
                "totals": {c: str(a) for c, a in totals.items()},
                "unpaid": transfers.unpaid,
            }
        if journal is not None:
            entries = reading.journal(chart)
            rows = reading.journal_rows(entries)
            _write(journal, rows, service.JOURNAL_COLUMNS, xlsx)
            sides = balances(entries)
            result["journal"] = {
                "file": str(journal),
                "rows": len(rows),
                "totals": {c: {"debit": str(d), "credit": str(k)} for c, (d, k) in sides.items()},
            }
        if lines is not None:
            count = reading.count()
            _write(lines, _counted(reading.lines(), count, as_json), service.LINE_COLUMNS, xlsx)
            result["lines"] = {"file": str(lines), "rows": count}
    if as_json:
        print(dumps(result))
        return
    _print(result)


def _print(result: dict[str, Any]) -> None:
    rows = []
    if "lines" in result:
        rows.append({"export": "lines", **result["lines"], "totals": ""})
    if "journal" in result:
        sides = result["journal"]["totals"]
        shown = "; ".join(
            f"{c}: debit {s['debit']} = credit {s['credit']}" for c, s in sides.items()
        )
        rows.append({"export": "journal", **result["journal"], "totals": shown})
    if "bank" in result:
        bank = result["bank"]
        shown = "; ".join(f"{c} {a}" for c, a in bank["totals"].items())
        rows.append(
            {"export": "bank", "file": bank["file"], "rows": bank["transfers"], "totals": shown}
        )
    title = f"Exports of the closed period {result['from']}..{result['to']}"
    emit(
        rows,
        title=title,
        as_json=False,
        csv_path=None,
        columns=("export", "file", "rows", "totals"),
    )
    if result.get("bank", {}).get("unpaid"):
        unpaid = ", ".join(result["bank"]["unpaid"])
        errors.print(f"not in the bank list (net pay of zero or less): {unpaid}", style="yellow")


def register(app: typer.Typer) -> None:
    """The export command lives on `payroll`; importing this module adds it."""
