"""`stakhanov demo`: the Central-Irmino mine of 1935, built fresh and explained."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from stakhanov.cli import demo_governance
from stakhanov.cli.context import AppContext, app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import cell, console, errors
from stakhanov.domain.audit import FindingKind
from stakhanov.services import demo as service
from stakhanov.services import demo_accounts, reports
from stakhanov.services.demo_recognition import RecognitionReport

DEFAULT_FILE = Path("stakhanov-demo.db")


def demo(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Option("--file", help="SQLite file to build the demo in (replaced).")
    ] = DEFAULT_FILE,
    as_json: JsonOption = False,
) -> None:
    """Build the 1935 Central-Irmino mine into a fresh database and report on it."""
    app = app_context(ctx)
    app.writes = True
    if app.db is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{file}{suffix}").unlink(missing_ok=True)
        app = AppContext(f"sqlite:///{file}", writes=True)
    engine = app.engine()
    if reports.workers(engine):
        errors.print(f"[red]{app.url} already holds data; the demo needs an empty database[/red]")
        raise typer.Exit(1)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        console=errors,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task("building the Central-Irmino mine, 1935", total=None)
        report = service.build(engine, progress=lambda _stage, rows: bar.advance(task, rows))
    logins = demo_accounts.add(engine)
    if as_json:
        print(dumps({**_as_dict(report, app.url), "web_logins": logins}))
        return
    _print(report, app.url)
    console.print(
        f"\nThe web application: stakhanov --db {app.url} serve, then open "
        "http://127.0.0.1:8000/ and log in as "
        + ", ".join(login["username"] or "" for login in logins)
        + f" with the password {demo_accounts.PASSWORD!r} (demo logins only)."
    )


def _as_dict(report: service.DemoReport, url: str) -> dict[str, object]:
    return {
        "database": url,
        "records": report.records,
        "top_brigades": report.brigades,
        "top_workers": report.workers,
        "findings": report.finding_counts,
        "audit": [
            reports.finding_dict(f) for f in report.findings if f.kind is not FindingKind.ASSISTED
        ],
        "pay": _pay_dict(report.pay),
        **demo_governance.as_dict(report.governance),
        **_recognition_dict(report.recognition),
    }


def _recognition_dict(recognition: RecognitionReport | None) -> dict[str, object]:
    if recognition is None:
        return {}
    return {
        "claims": recognition.claims,
        "titles": recognition.titles,
        "title_exclusions": recognition.excluded,
        "competition": {
            "standings": recognition.competition,
            "winners": recognition.winners,
            "banner_history": recognition.banner,
        },
        "honour_board": recognition.honour_board,
        "awards": recognition.awards,
        "october_award_bonuses": recognition.october_bonuses,
        "september_award_lines": recognition.paid,
    }


def _pay_dict(pay: service.PayDemo | None) -> dict[str, object] | None:
    if pay is None:
        return None
    return {
        "periods": [
            {
                "from": c.period.start,
                "to": c.period.end,
                "slips": c.slips,
                "gross": str(c.gross),
                "net": str(c.net),
                "digest": c.digest,
            }
            for c in pay.closes
        ],
        "record_day": service.RECORD_DAY,
        "slips": [
            {
                **slip.as_dict(),
                "record_day_lines": [
                    line.as_dict() for line in pay.lines_on(slip, service.RECORD_DAY)
                ],
            }
            for slip in pay.slips
        ],
    }


def _print_pay(pay: service.PayDemo, url: str) -> None:
    for close in pay.closes:
        console.print(
            f"Closed pay period {close.period}: {close.slips} slips, gross {close.gross} RUB "
            f"(digest {close.digest[:12]})."
        )
    table = Table(
        title=f"Pay for {service.RECORD_DAY}: the record shift next to an ordinary hewer's",
        title_justify="left",
        header_style="bold",
    )
    for column in ("worker", "code", "quantity", "rate", "amount", "explain"):
        numeric = column in ("quantity", "rate", "amount")
        table.add_column(column, justify="right" if numeric else "left")
    for slip in pay.slips:
        lines = pay.lines_on(slip, service.RECORD_DAY)
        for index, line in enumerate(lines):
            table.add_row(
                "" if index else slip.name,
                line.code,
                f"{line.quantity:f} {line.unit}",
                f"{line.rate:f}",
                f"{line.amount:f}",
                line.explain.split(", ", 1)[-1],
            )
        day = sum(line.amount for line in lines)
        table.add_row("", "[bold]day[/bold]", "", "", f"[bold]{day:f}[/bold]", "", end_section=True)
    console.print(table)
    if len(pay.slips) == 2:
        record, ordinary = pay.slips
        console.print(
            f"The tiers of the record shift count the crew's fair 364.3%, not the stated 1457.1%: "
            f"the two timberers and Petrov did work the hewing norm includes. August gross: "
            f"{record.name} {record.gross} RUB, {ordinary.name} {ordinary.gross} RUB.\n"
            f"Every line: stakhanov --db {url} payroll show --worker {record.worker_id} "
            f"--from 1935-08-01 --to 1935-08-31 [--json | --pdf slip.pdf]\n"
        )


def _table(title: str, columns: tuple[str, ...], rows: list[dict[str, object]]) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        numeric = column in ("output", "percent", "fair_percent", "shifts", "rank", "score")
        table.add_column(column.replace("_", " "), justify="right" if numeric else "left")
    places = _places([row.get("output") for row in rows])
    for row in rows:
        table.add_row(
            *(_output(row.get(c), places) if c == "output" else cell(row.get(c)) for c in columns)
        )
    return table


def _places(values: list[object]) -> int:
    """The decimal places a column of outputs needs: a sum keeps the longest scale of its
    terms (1888.300), which the column would print unevenly."""
    found = [v.normalize() for v in values if isinstance(v, Decimal)]
    return max((max(0, -int(v.as_tuple().exponent)) for v in found), default=0)


def _output(value: object, places: int) -> str:
    if not isinstance(value, Decimal):
        return cell(value)
    return cell(value.quantize(Decimal(1).scaleb(-places)))


def _print(report: service.DemoReport, url: str) -> None:
    counts = {name: c.added for name, c in report.imported.files.items()}
    console.print(
        "[bold]Central-Irmino mine, Kadievka, Donbass: August-September 1935[/bold]\n"
        f"Imported {counts.get('workers.csv', 0)} workers, {counts.get('shifts.csv', 0)} shifts "
        f"and {counts.get('crew.csv', 0)} crew rows into {url}.\n"
        "Hewing norm: 7 t per 6 h shift, including the hewer's own timbering.\n"
    )
    console.print(
        _table(
            "Record shifts: stated against fair fulfilment",
            ("date", "worker", "output", "percent", "fair_percent", "helpers"),
            report.records,
        )
    )
    first = next((r for r in report.records if str(r["date"]) == "1935-08-31"), None)
    if first:
        console.print(
            f"On 31 August 1935 {first['worker']} was credited {cell(first['output'])} t: "
            f"[bold]{cell(first['percent'])}%[/bold] of the norm as stated. But two timberers did "
            "the timbering that the hewing norm includes and the party organiser assisted, so "
            f"the crew's fair fulfilment was [bold]{cell(first['fair_percent'])}%[/bold].\n"
        )
    console.print(
        _table(
            "Top brigades on hewing (ordinary shifts, by fair %)",
            ("unit", "shifts", "output", "percent", "fair_percent"),
            report.brigades,
        )
    )
    console.print(
        _table(
            "Top hewers (ordinary shifts, by fair %)",
            ("name", "unit", "shifts", "output", "percent", "fair_percent"),
            report.workers,
        )
    )
    counts_text = ", ".join(f"{n} {kind}" for kind, n in report.finding_counts.items())
    console.print(f"\n[bold]Audit findings[/bold]: {counts_text}.")
    notable = [f for f in report.findings if f.kind is not FindingKind.ASSISTED]
    console.print(
        _table(
            "Findings other than ordinary assistance",
            ("date", "kind", "shift_id", "worker_ids", "message"),
            [reports.finding_dict(f) for f in notable],
        )
    )
    if report.pay is not None:
        console.print()
        _print_pay(report.pay, url)
    demo_governance.show(report.governance, url)
    if report.recognition is not None:
        _print_recognition(report.recognition)
    console.print(
        f"\nExplore it: stakhanov --db {url} fulfilment --period 1935-09 --by brigade\n"
        f"            stakhanov --db {url} audit --period 1935-08-31..1935-08-31\n"
        "            stakhanov history\n"
        f"            stakhanov --db {url} records --scope enterprise\n"
        f"            stakhanov --db {url} titles evaluate --period 1935-09\n"
        f"            stakhanov --db {url} honour --unit Central-Irmino --period 1935-09 --workers"
    )


def _print_recognition(recognition: RecognitionReport) -> None:
    console.print("\n[bold]Recognition[/bold]")
    console.print(
        _table(
            "Record claims: registered before the shift or claimed after it, then verified by "
            "an auditor outside the crew",
            (
                "claim_id",
                "date",
                "worker",
                "pre_registered",
                "output",
                "percent",
                "fair_percent",
                "first_try",
                "status",
                "why",
            ),
            recognition.claims,
        )
    )
    console.print(
        "The 1935 records were prepared and assisted, so they stand only as [bold]assisted "
        "records[/bold], their fair percentage beside the stated one. The staged pooled and "
        "implausible shifts are refused while their findings are open and rejected once the "
        "auditor upholds them.\n"
    )
    titles = ", ".join(f"{n} {code}" for code, n in recognition.titles.items()) or "none"
    console.print(f"[bold]Titles conferred for September 1935[/bold] (by fair %): {titles}.")
    for excluded in recognition.excluded:
        console.print(
            f"  not eligible: {excluded['worker']}: {'; '.join(excluded['reasons'])}",
            markup=False,
        )
    console.print(
        _table(
            "Competition between the sections, September 1935 (fair fulfilment of own norms)",
            ("rank", "unit", "score", "workers", "shifts"),
            recognition.competition,
        )
    )
    holders = "; ".join(
        f"{h['holder'].rsplit('/', 1)[-1]} from {h['since']}" for h in recognition.banner
    )
    console.print(
        f"Winner: {', '.join(recognition.winners)}. The banner passed weekly: {holders}.\n"
    )
    console.print(
        _table(
            "Honour board of Central-Irmino, September 1935 (teams, by fair %; no money shown)",
            ("rank", "team", "workers", "shifts", "fair_percent"),
            recognition.honour_board,
        )
    )
    due = ", ".join(f"{cell(v)} {k}" for k, v in recognition.october_bonuses.items()) or "none"
    console.print(
        f"{recognition.awards} awards granted. The titles' money awards are dated 1 October "
        f"1935 and become named bonus lines when October is closed: {due}."
    )
    for line in recognition.paid:
        console.print(
            f"On {line['worker_id']}'s September slip: {line['code']} {cell(line['amount'])} "
            f"({line['explain']})",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
