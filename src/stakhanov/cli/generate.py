"""`stakhanov generate`: volume data in import format v1, for trying stakhanov at real size."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption, day_of
from stakhanov.cli.output import console, emit, errors
from stakhanov.services.generator import DEFAULT_START, MANIFEST, Generated, Settings, generate


def generate_command(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write the files into (created).")
    ],
    workers: Annotated[int, typer.Option("--workers", min=1, help="Number of workers.")] = 4500,
    days: Annotated[int, typer.Option("--days", min=1, help="Days from --start.")] = 30,
    seed: Annotated[int, typer.Option("--seed", help="The same seed writes the same bytes.")] = 1,
    start: Annotated[
        str | None, typer.Option("--start", help=f"First day (default {DEFAULT_START}).")
    ] = None,
    parquet: Annotated[
        bool, typer.Option("--parquet", help="Write NAME.parquet (string columns) for each file.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a month of realistic work (brigades, crews, norms, anomalies) as import files.

    The files import with `stakhanov import DIR`; DIR/manifest.json lists the planted
    pooled, implausible and prepared shifts that `stakhanov audit` should find.
    """
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} exists and is not a directory", param_hint="--out")
    settings = Settings(workers, days, seed, day_of(start, "--start") if start else DEFAULT_START)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    began = time.perf_counter()
    with Progress(*columns, console=errors, transient=True, disable=not errors.is_terminal) as bar:
        task = bar.add_task("workers", total=workers)
        result = generate(settings, out, parquet, progress=lambda done: bar.advance(task, done))
    _show(result, out, time.perf_counter() - began, as_json)


def _show(result: Generated, out: Path, seconds: float, as_json: bool) -> None:
    counts = {kind: len(ids) for kind, ids in result.planted.ids()}
    if as_json:
        summary = {
            "out": str(out),
            "manifest": str(out / MANIFEST),
            "seconds": round(seconds, 2),
            "files": [{"file": name, "rows": rows} for name, rows in result.files.items()],
            "planted": counts,
            "assisted_shifts": result.planted.assisted,
        }
        print(dumps(summary))
        return
    rows = [{"file": name, "rows": rows} for name, rows in result.files.items()]
    emit(rows, title=f"Generated in {out}", as_json=False, csv_path=None, right=("rows",))
    planted = [{"kind": kind, "shifts": n} for kind, n in counts.items()]
    planted.append({"kind": "assisted", "shifts": result.planted.assisted})
    emit(planted, title="Planted for the audit", as_json=False, csv_path=None, right=("shifts",))
    console.print(f"{seconds:.1f} s; shift ids in {out / MANIFEST}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
