"""`stakhanov mentoring`: masters and apprentices, and which mentoring worked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from stakhanov.cli.arguments import ByOption, actor, day
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import CsvOption, JsonOption, XlsxOption
from stakhanov.cli.output import console, emit
from stakhanov.services import mentoring as service

mentoring_app = typer.Typer(
    help="Masters and apprentices: link, end, and report against the historical rule.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@mentoring_app.callback()
def mentoring(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge progress up to this date (default today).")
    ] = None,
    before_days: Annotated[
        int, typer.Option("--before-days", min=1, help="Days before a link to compare with.")
    ] = service.BEFORE_DAYS,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Each apprentice's fair fulfilment before and after the link, against the historical rule
    (a master brings on five workers, each expected to double their output), and each master's
    verdict."""
    if ctx.invoked_subcommand is not None:
        return
    progress, masters = service.report(
        app_context(ctx).engine(), day(as_of, "--as-of", dt.date.today()), before_days
    )
    links = [service.progress_dict(p) for p in progress]
    verdicts = [service.master_dict(m) for m in masters]
    if as_json:
        print(dumps({"apprentices": links, "masters": verdicts}))
        return
    emit(
        links,
        title="Apprentices: fair fulfilment before and after",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
    )
    emit(
        verdicts,
        title="Masters (expected: five apprentices, each doubled)",
        as_json=False,
        csv_path=None,
    )


@mentoring_app.command("link")
@writes
def link(
    ctx: typer.Context,
    master: Annotated[str, typer.Option("--master", help="The master's worker id.")],
    apprentice: Annotated[str, typer.Option("--apprentice", help="The apprentice's worker id.")],
    start: Annotated[str, typer.Option("--from", help="First day of the mentoring.")],
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link a master to an apprentice."""
    made = service.link(
        app_context(ctx).engine(), master, apprentice, day(start, "--from"), actor(by), note
    )
    if as_json:
        print(
            dumps(
                {
                    "link_id": made.link_id,
                    "master_id": master,
                    "apprentice_id": apprentice,
                    "from": made.start,
                }
            )
        )
    else:
        console.print(f"link {made.link_id}: {master} mentors {apprentice} from {made.start}")


@mentoring_app.command("end")
@writes
def end(
    ctx: typer.Context,
    link_id: Annotated[int, typer.Argument(help="The link id.")],
    on: Annotated[str, typer.Option("--on", help="Last day of the mentoring.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why it ends.")] = None,
    by: ByOption = None,
) -> None:
    """End a mentoring link."""
    ended = service.end(app_context(ctx).engine(), link_id, day(on, "--on"), actor(by), reason)
    console.print(f"link {link_id} ended on {ended.end}")


def register(app: typer.Typer) -> None:
    app.add_typer(mentoring_app, name="mentoring")
