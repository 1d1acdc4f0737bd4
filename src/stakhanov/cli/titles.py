"""`stakhanov titles` (evaluate, confer, revoke, appeal) and `stakhanov rulebook`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli.arguments import ByOption, actor, day
from stakhanov.cli.context import app_context, writes
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
from stakhanov.cli.output import cell, console, emit
from stakhanov.domain.periods import Period
from stakhanov.domain.titles import TitleEventKind
from stakhanov.services import rulebooks
from stakhanov.services import titles as service

titles_app = typer.Typer(
    help="Titles: list, evaluate the rules over a period, confer, revoke, appeal.",
    invoke_without_command=True,
    no_args_is_help=False,
)
rulebook_app = typer.Typer(
    help="The recognition rulebook: titles, rules, gates, awards and scope levels.",
    invoke_without_command=True,
    no_args_is_help=False,
)
UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Only workers of this unit and below.")
]
TitleId = Annotated[int, typer.Argument(help="The title id (see `stakhanov titles`).")]
OnOption = Annotated[str | None, typer.Option("--on", help="Effective date (default: today).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why; kept in the history.")]
COLUMNS = ("title_id", "worker_id", "title", "from", "to", "status", "rule", "evidence")


def _readable(rows: list[dict[str, Any]], as_json: bool) -> list[dict[str, Any]]:
    """For a table, evidence as 'name=value; ...' (JSON keeps it an object)."""
    if as_json:
        return rows
    return [
        {**row, "evidence": "; ".join(f"{k}={cell(v)}" for k, v in row["evidence"].items())}
        for row in rows
    ]


def _required_period(period: str | None, start: str | None, end: str | None) -> Period:
    if not (period or (start and end)):
        raise typer.BadParameter("give --period, or --from and --to")
    return period_of(period, start, end)


@titles_app.callback()
def titles(
    ctx: typer.Context,
    worker: Annotated[str | None, typer.Option("--worker", help="Only this worker.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Only titles valid on this date.")] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Conferred titles with their validity, rule, evidence and history."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = day(on, "--on") if on else None
    found = service.grants(app_context(ctx).engine(), worker, chosen)
    emit(
        _readable([service.grant_dict(g) for g in found], as_json),
        title="Titles",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=COLUMNS,
    )


@titles_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    unit: UnitOption = None,
    excluded_only: Annotated[
        bool,
        typer.Option("--excluded", help="List only who the gates bar, with why."),
    ] = False,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Propose the titles the rules give for a period (nothing is written), and list who the
    safety and quality gates bar, with why. --json prints the proposals (with the keys of
    `titles --json`), or with --excluded the barred workers."""
    chosen = _required_period(period, start, end)
    evaluation = service.evaluate(app_context(ctx).engine(), chosen, unit)
    proposals = [service.proposal_dict(p, evaluation.rulebook) for p in evaluation.proposals]
    excluded = [
        {"worker_id": e.worker_id, "reasons": list(e.reasons)} for e in evaluation.exclusions
    ]
    if as_json:
        print(dumps(excluded if excluded_only else proposals))
        return
    emit(
        _readable(proposals, False),
        title=f"Proposed titles for {chosen} ({evaluation.rulebook.name} "
        f"v{evaluation.rulebook.version})",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=("worker_id", "title", "from", "to", "evidence", "award"),
    )
    emit(
        excluded,
        title="Not eligible (safety and quality gates)",
        as_json=False,
        csv_path=None,
    )


@titles_app.command("confer")
@writes
def confer(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    worker: Annotated[
        list[str] | None, typer.Option("--worker", help="Only these workers (repeatable).")
    ] = None,
    title: Annotated[
        list[str] | None, typer.Option("--title", help="Only these titles (repeatable).")
    ] = None,
    unit: UnitOption = None,
    authority: Annotated[
        str | None,
        typer.Option("--authority", help="Confer an authority's title (one worker, one title)."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="The authority's reason.")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confer the proposals of a period's evaluation (with their awards), or, with
    --authority, a title only an authority confers. Both are gated on safety and quality."""
    chosen = _required_period(period, start, end)
    engine = app_context(ctx).engine()
    if authority is not None:
        if len(worker or []) != 1 or len(title or []) != 1:
            raise typer.BadParameter("with --authority give one --worker and one --title")
        done = [
            service.confer_by_authority(
                engine,
                worker_id=(worker or [""])[0],
                title=(title or [""])[0],
                authority=authority,
                period=chosen,
                reason=reason or "",
                by=actor(by) if by else authority.strip() or actor(None),
            )
        ]
    else:
        done = service.confer(
            engine,
            chosen,
            actor(by),
            workers=set(worker) if worker else None,
            titles=set(title) if title else None,
            within=unit,
        ).grants
    rows = _readable([service.grant_dict(g) for g in done], as_json)
    emit(rows, title=f"Conferred for {chosen}", as_json=as_json, csv_path=None, columns=COLUMNS)


def _event(
    ctx: typer.Context,
    title_id: int,
    kind: TitleEventKind,
    on: str | None,
    reason: str,
    by: str | None,
    as_json: bool,
) -> None:
    grant = service.record_event(
        app_context(ctx).engine(),
        title_id,
        kind,
        day(on, "--on", dt.date.today()),
        reason,
        actor(by),
    )
    if as_json:
        print(dumps(service.grant_dict(grant)))
    else:
        console.print(f"title {title_id} ({grant.title}, {grant.worker_id}): {grant.state.value}")


def _history_command(name: str, kind: TitleEventKind, help_text: str) -> None:
    @writes
    def command(
        ctx: typer.Context,
        title_id: TitleId,
        reason: ReasonOption,
        on: OnOption = None,
        by: ByOption = None,
        as_json: JsonOption = False,
    ) -> None:
        _event(ctx, title_id, kind, on, reason, by, as_json)

    command.__doc__ = help_text
    titles_app.command(name)(command)


_history_command(
    "revoke", TitleEventKind.REVOKED, "Revoke a title with a reason (appealable once)."
)
_history_command("appeal", TitleEventKind.APPEALED, "Appeal a revocation.")


@titles_app.command("decide-appeal")
@writes
def decide_appeal(
    ctx: typer.Context,
    title_id: TitleId,
    reason: ReasonOption,
    reinstate: Annotated[
        bool,
        typer.Option("--reinstate/--dismiss", help="Reinstate the title, or dismiss the appeal."),
    ],
    on: OnOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decide an appeal: reinstate the title or dismiss the appeal."""
    kind = TitleEventKind.REINSTATED if reinstate else TitleEventKind.APPEAL_DISMISSED
    _event(ctx, title_id, kind, on, reason, by, as_json)


@titles_app.command("innovation")
@writes
def innovation(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", help="Whose innovation.")],
    date: Annotated[str, typer.Option("--date", help="When it was recorded.")],
    description: Annotated[str, typer.Option("--description", help="What the method is.")],
    by: ByOption = None,
) -> None:
    """Record a method innovation (the Stakhanovite rule may count it)."""
    service.record_innovation(
        app_context(ctx).engine(), worker, day(date, "--date"), description, actor(by)
    )
    console.print(f"innovation recorded for {worker}")


@rulebook_app.callback()
def rulebook(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The rulebook in force: every title with its rule, validity and award, and the gates."""
    if ctx.invoked_subcommand is not None:
        return
    with app_context(ctx).engine().connect() as connection:
        loaded = rulebooks.in_force(connection)
    book = loaded.rulebook
    described = rulebooks.describe(loaded)
    rows: list[dict[str, Any]] = described["titles"]
    if as_json:
        print(dumps(described))
        return
    console.print(f"[bold]{book.name}[/bold] v{book.version} ({loaded.source})")
    console.print(
        f"Gates: any recorded safety incident"
        f"{' of ' + ', '.join(book.gates.severities) if book.gates.severities else ''}; "
        f"more than {cell(book.gates.max_reject_share)}% of output rejected."
    )
    trades = "; ".join(
        f"{t}: {', '.join(sorted(o))}" for t, o in sorted(book.honour.trades.items())
    )
    console.print(
        f"Honour board: workers ranked with at least {book.honour.min_shifts} shifts"
        + (f", on their trade's operations ({trades})" if trades else "")
        + ".",
        soft_wrap=True,
    )
    emit(rows, title="Titles", as_json=False, csv_path=None)


@rulebook_app.command("import")
@writes
def import_rulebook(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A rulebook TOML file.", exists=True)],
    by: ByOption = None,
) -> None:
    """Store a new version of the rulebook (it must have a higher version than the one in force)."""
    book, stored = rulebooks.import_rulebook(app_context(ctx).engine(), file, actor(by))
    state = "now in force" if stored else "already stored"
    console.print(f"rulebook {book.name} v{book.version}: {state}")


def register(app: typer.Typer) -> None:
    app.add_typer(titles_app, name="titles")
    app.add_typer(rulebook_app, name="rulebook")
