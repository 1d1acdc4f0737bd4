"""`stakhanov simulate site`: many seeded shifts of a workplace under each organisation."""

from __future__ import annotations

import csv
import sys
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.organise import WorkplaceArgument, decimal_option, load_crew, load_workplace
from stakhanov.cli.output import console, emit, errors, rejected
from stakhanov.domain.errors import InvalidValue
from stakhanov.i18n import ngettext
from stakhanov.sim import charts
from stakhanov.sim import tools as service
from stakhanov.sim.ledger_rows import HEADERS, import_rows
from stakhanov.sim.montecarlo import Engine, dask_client, run_many, run_on, seeds_from
from stakhanov.sim.site import Scenario, ShiftResult
from stakhanov.sim.site_report import credits, section_output
from stakhanov.sim.workplace import Workplace


def site(
    workplace: WorkplaceArgument,
    organisation: Annotated[
        list[str] | None,
        typer.Option(
            "--organisation",
            "-o",
            help="Organisations to compare (default: all); with --favoured, the first works "
            "the other faces.",
        ),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Shifts simulated for each.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the first run.")] = 1935,
    faces: Annotated[
        int | None, typer.Option("--faces", min=1, help="Faces in the section.")
    ] = None,
    favoured: Annotated[
        int | None, typer.Option("--favoured", min=1, help="Favour this face (1 is the first).")
    ] = None,
    favoured_organisation: Annotated[
        str | None, typer.Option("--favoured-organisation", help="Who works the favoured face.")
    ] = None,
    favoured_share: Annotated[
        str,
        typer.Option("--favoured-share", help="Share of each stock the favoured face gets first."),
    ] = "0.5",
    export: Annotated[
        Path | None,
        typer.Option("--export", file_okay=False, help="Write the shifts as import files."),
    ] = None,
    chart_dir: Annotated[
        Path | None, typer.Option("--charts", file_okay=False, help="Write PNG charts here.")
    ] = None,
    crew: Annotated[
        Path | None,
        typer.Option(
            "--crew",
            exists=True,
            dir_okay=False,
            help="Also run the crew planner's plan for crew.csv.",
        ),
    ] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="Run here or on Dask.")] = Engine.LOCAL,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: a local cluster)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Output per shift, face and worker, credits, utilisation and the bottleneck; compare
    organisations, or favour one face and see what the others lose."""
    model = load_workplace(workplace)
    if crew is not None:
        model = _with_plan(model, crew)
    share = decimal_option(favoured_share, "--favoured-share") or Decimal("0.5")
    try:
        scenarios = service.scenarios(
            model, organisation, faces, favoured, favoured_organisation, share
        )
    except InvalidValue as err:
        hint = {"organisations": "--organisation"}.get(err.field, f"--{err.field}")
        raise typer.BadParameter(err.reason, param_hint=hint.replace("_", "-")) from None
    seeds = seeds_from(seed, runs)
    results = _run_all(model, scenarios, seeds, engine, scheduler)
    report = service.report_of(model, scenarios, results, seed, runs, engine.value)
    if export is not None:
        report["exported"] = _export(model, results, export)
    if chart_dir is not None:
        report["charts"] = _charts(model, results, report, chart_dir)
    if as_json:
        print(dumps(report))
        return
    _show(model, report)


def _with_plan(model: Workplace, path: Path) -> Workplace:
    """The workplace with the planner's assignment of the crew as the organisation `planned`."""
    try:
        return service.with_plan(model, load_crew(path, model), str(path))
    except InvalidValue as err:
        raise rejected([f"{path}: {err.reason}"]) from None


def _run_all(
    model: Workplace,
    scenarios: dict[str, Scenario],
    seeds: list[int],
    engine: Engine,
    scheduler: str | None,
) -> dict[str, list[ShiftResult]]:
    shown = sys.stderr.isatty()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    # One cluster for every scenario: starting workers costs more than a few hundred shifts.
    client_context = dask_client(scheduler) if engine is Engine.DASK else nullcontext()
    with (
        Progress(*columns, console=errors, transient=True) if shown else nullcontext() as bar,
        client_context as client,
    ):
        results = {}
        for label, scenario in scenarios.items():
            task = bar.add_task(label, total=len(seeds)) if bar else None
            advance = (lambda n, t=task: bar.update(t, advance=n)) if bar else None
            if client is None:
                results[label] = run_many(model, scenario, seeds, advance=advance)
            else:
                results[label] = run_on(client, model, scenario, seeds, advance)
    return results


def _export(model: Workplace, results: dict[str, list[ShiftResult]], folder: Path) -> list[str]:
    written = []
    for label, runs in results.items():
        target = folder if len(results) == 1 else folder / label
        target.mkdir(parents=True, exist_ok=True)
        for name, rows in import_rows(model, runs, prefix=f"SIM-{label}").items():
            with (target / name).open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADERS[name])
                writer.writerows(rows)
        written.append(str(target))
    return written


def _charts(
    model: Workplace, results: dict[str, list[ShiftResult]], report: dict[str, Any], folder: Path
) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {label: [section_output(model, r) for r in runs] for label, runs in results.items()}
    paths = [charts.output_histogram(folder / "output.png", outputs, model.unit, model.name)]
    for label, runs in results.items():
        per_worker: dict[str, list[Decimal]] = {}
        for row in report["scenarios"][label]["workers"]:
            per_worker[row["worker_id"]] = []
        for run in runs:
            shift = credits(model, run)
            for i, worker in enumerate(run.workers):
                ident = report["scenarios"][label]["workers"][i]["worker_id"]
                per_worker[ident].append(shift.get((worker.face, worker.member.id), Decimal(0)))
        paths.append(
            charts.worker_boxes(folder / f"workers-{label}.png", per_worker, model.unit, label)
        )
    if report["favoured"]:
        paths.append(charts.favoured_bars(folder / "favoured.png", report["favoured"], model.unit))
    return [str(p) for p in paths]


def _show(model: Workplace, report: dict[str, Any]) -> None:
    rows = []
    for label, r in report["scenarios"].items():
        b = r["bottleneck"]
        rows.append(
            {"scenario": label, **{k: r["output"][k] for k in ("mean", "p5", "median", "p95")},
             "bottleneck": f"{b['kind']} {b['name']} ({b['utilisation_percent']}%)",
             "credits_conserved": r["credits_conserved"]}
        )  # fmt: skip
    faces = ngettext("%(num)d face", "%(num)d faces", report["faces"]) % {"num": report["faces"]}
    title = f"{model.name}: section output per shift ({model.unit}), {report['runs']} runs, {faces}"
    emit(rows, title=title, as_json=False, csv_path=None, right=("mean", "p5", "median", "p95"))
    for label, r in report["scenarios"].items():
        workers = [
            {"face": w["face"], "worker": w["worker_id"],
             "finished": "; ".join(f"{op} {q}" for op, q in w["finished"].items()),
             "credited_mean": w["credited"]["mean"], "p5": w["credited"]["p5"],
             "p95": w["credited"]["p95"],
             "busy_percent": w["utilisation_percent"], "waiting_h": w["waiting_hours"]}
            for w in r["workers"]
        ]  # fmt: skip
        emit(workers, title=f"{label}: workers", as_json=False, csv_path=None,
             right=("credited_mean", "p5", "p95", "busy_percent", "waiting_h"))  # fmt: skip
        emit(
            r["resources"],
            title=f"{label}: resources",
            as_json=False,
            csv_path=None,
            right=("utilisation_percent",),
        )
    if report["favoured"]:
        f = report["favoured"]
        emit(f["faces"], title="Favoured face: mean output per face", as_json=False, csv_path=None,
             right=("baseline_mean", "favoured_mean", "change"))  # fmt: skip
        console.print(
            f"The favoured face gains {f['favoured_face_gains']} {model.unit}, the others lose "
            f"{f['other_faces_lose']} {model.unit}; "
            f"the section changes by {f['section_change']} {model.unit}."
        )
    for key in ("exported", "charts"):
        if report.get(key):
            console.print(f"[dim]{key}: {', '.join(report[key])}[/dim]")
