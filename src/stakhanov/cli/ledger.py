"""Commands that write: init and import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, emit, errors
from stakhanov.services import read_model
from stakhanov.services.bulk import count_rows, wants_bulk
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.corrections import void_shift
from stakhanov.services.importing import ImportReport, import_batch
from stakhanov.services.importing import Progress as Progress_
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import current_revision

PROGRESS_THRESHOLD = 2000


@writes
def init(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Create or upgrade the database schema."""
    app = app_context(ctx)
    engine = app.engine()
    revision = current_revision(engine)
    if as_json:
        print(dumps({"database": engine.url.render_as_string(), "revision": revision}))
    else:
        console.print(f"database ready: {engine.url.render_as_string()} (schema {revision})")


@writes
def import_(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="A directory of CSV files (workers, norms, shifts, output, crew), "
            "one such CSV file, or an .xlsx workbook with one sheet per file.",
            exists=True,
        ),
    ],
    correct: Annotated[
        bool,
        typer.Option("--correct", help="Record changed rows as corrections (reversing entries)."),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why the corrections are made (needed with --correct)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Validate and show what would change; write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import shift logs: all or nothing, and importing the same files again changes nothing.

    With --correct, changed rows are recorded as corrections, and for every shift in output.csv
    or crew.csv the batch is that shift's complete list: stored rows it leaves out are withdrawn.
    """
    if correct and not (reason or "").strip():
        # A correction rewrites the record of people's work: it says why (contract, exit 2).
        errors.print("[red]--correct needs --reason:[/red] say why the rows are corrected")
        raise typer.Exit(2)
    engine = app_context(ctx).engine()
    if wants_bulk(source):
        # A large month streams in bounded memory; its bar counts the files' lines.
        report = _with_progress(
            count_rows(source),
            lambda advance: import_directory(
                engine, source, correct=correct, reason=reason, progress=advance, dry_run=check
            ),
        )
    else:
        batch = read_source(source, set(FORMATS))
        if batch.row_count > PROGRESS_THRESHOLD and not as_json:
            report = _with_progress(
                batch.row_count,
                lambda advance: import_batch(
                    engine, batch, correct=correct, reason=reason, progress=advance, dry_run=check
                ),
            )
        else:
            report = import_batch(engine, batch, correct=correct, reason=reason, dry_run=check)
    _show(report, as_json, check)


def _with_progress(total: int, run: Callable[[Progress_], ImportReport]) -> ImportReport:
    """A bar on stderr, only when stderr is a terminal (rich hides it otherwise)."""
    if not errors.is_terminal:
        return run(lambda _stage, _rows: None)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as bar:
        checking = bar.add_task("checking", total=total)
        writing = bar.add_task("writing", total=total, visible=False)

        def advance(stage: str, rows: int) -> None:
            task = checking if stage == "checking" else writing
            bar.update(task, advance=rows, visible=True)

        return run(advance)


def _show(report: ImportReport, as_json: bool, check: bool) -> None:
    rows = [
        {
            "file": name,
            "added": c.added,
            "unchanged": c.unchanged,
            "corrected": c.corrected,
            "withdrawn": c.withdrawn,
        }
        for name, c in report.files.items()
    ]
    if as_json:
        summary = {"batch_id": report.batch_id, "changed": report.changed, "checked_only": check}
        print(dumps({**summary, "files": rows}))
        return
    title = "Import check (nothing written)" if check else "Import"
    emit(
        rows,
        title=title,
        as_json=False,
        csv_path=None,
        right=("added", "unchanged", "corrected", "withdrawn"),
    )
    if check:
        console.print("valid: nothing was written" if report.changed else "valid: nothing new")
    elif report.changed:
        console.print(f"written as batch {report.batch_id}")
    else:
        console.print("nothing new: the ledger already holds these rows")


@writes
def void(
    ctx: typer.Context,
    shift_id: Annotated[str, typer.Argument(help="The shift entered by mistake.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept with the reversals.")],
    as_json: JsonOption = False,
) -> None:
    """Void a shift: reverse it with all its output and crew (the history is kept)."""
    done = void_shift(app_context(ctx).engine(), shift_id, reason)
    if as_json:
        print(dumps(asdict(done)))
    else:
        console.print(
            f"voided {shift_id} in batch {done.batch_id}: reversed the shift, "
            f"{done.output_rows} output and {done.crew_rows} crew rows"
        )


@writes
def rebuild_read_model(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Recompute the read model (every shift's results) from the ledger, in one transaction.

    Every write keeps it up to date; this is for a database restored or upgraded from before
    it, or to check it: the rows come out the same.
    """
    engine = app_context(ctx).engine()
    with console.status("recomputing every shift's results", spinner="line"):
        rows = read_model.rebuild(engine)
    if as_json:
        print(dumps({"rows": rows}))
    else:
        console.print(f"read model rebuilt: {rows} result rows")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_)
    app.command("void")(void)
    app.command("rebuild-read-model")(rebuild_read_model)
