"""`stakhanov skills` and `stakhanov courses`: the skills-and-schools registry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from stakhanov.cli.arguments import ByOption, actor, day
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import CsvOption, JsonOption, XlsxOption
from stakhanov.cli.output import console, emit
from stakhanov.services import skills as service
from stakhanov.services.skill_files import COLUMNS

skills_app = typer.Typer(help="Workers' skills and certifications: import, list, lapsing.")
courses_app = typer.Typer(help="Courses: curriculum, sessions, attendance and examinations.")

UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Only workers of this unit and the units below it.")
]
OnOption = Annotated[str | None, typer.Option("--on", help="The day (default today).")]


def _counts(counts: dict[str, service.Counts], as_json: bool) -> None:
    rows = {name: {"added": c.added, "unchanged": c.unchanged} for name, c in counts.items()}
    if as_json:
        print(dumps(rows))
        return
    for name, c in rows.items():
        console.print(f"{name}: {c['added']} added, {c['unchanged']} unchanged")


@skills_app.command("import")
@writes
def import_skills(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="certifications.csv")],
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import certifications: all or nothing, and importing the same file again adds nothing."""
    text = file.read_text(encoding="utf-8")
    counts = service.import_certifications(
        app_context(ctx).engine(), text, "certifications.csv", actor(by)
    )
    _counts({"certifications.csv": counts}, as_json)


@skills_app.command("list")
def list_skills(
    ctx: typer.Context,
    unit: UnitOption = None,
    worker: Annotated[str | None, typer.Option("--worker", help="Only this worker.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Only certifications valid that day.")
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Certifications, imported and granted by passed examinations."""
    found = service.certifications(
        app_context(ctx).engine(), unit, worker, day(on, "--on") if on else None
    )
    emit(
        [service.certification_dict(c) for c in found],
        title="Certifications",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
    )


def _days(text: str) -> int:
    found = re.fullmatch(r"\s*([0-9]+)\s*d?\s*", text)
    if not found:
        raise typer.BadParameter(f"{text!r}: write days, like 30d", param_hint="--within")
    return int(found.group(1))


@skills_app.command("lapsing")
def lapsing(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="Days ahead, like 30d.")] = "30d",
    unit: UnitOption = None,
    on: OnOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Certifications that hold today and end, not renewed, within the days ahead."""
    start = day(on, "--on", dt.date.today())
    found = service.lapses(app_context(ctx).engine(), start, _days(within), unit)
    emit(
        [service.lapse_dict(lapse) for lapse in found],
        title=f"Certifications lapsing within {_days(within)} days of {start}",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        right=("days_left",),
    )


@courses_app.command("import")
@writes
def import_courses(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            help="A folder with courses.csv, course_sessions.csv, examinations.csv (any).",
        ),
    ],
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import courses, their sessions with attendance, and examinations, as one batch."""
    texts = {
        name: (folder / name).read_text(encoding="utf-8")
        for name in service.COURSE_FILES
        if (folder / name).is_file()
    }
    if not texts:
        raise typer.BadParameter(
            f"{folder} holds none of {', '.join(service.COURSE_FILES)}", param_hint="FOLDER"
        )
    _counts(service.import_courses(app_context(ctx).engine(), texts, actor(by)), as_json)


@courses_app.command("list")
def list_courses(
    ctx: typer.Context,
    unit: UnitOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Courses with their sessions, attendees and who passed."""
    rows = service.courses(app_context(ctx).engine(), unit)
    emit(
        [{**r, "passed": ";".join(r["passed"])} for r in rows] if not as_json else rows,
        title="Courses",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=(*COURSE_COLUMNS, "sessions", "attendees", "passed"),
    )


COURSE_COLUMNS = [c for c in COLUMNS["courses.csv"] if c != "curriculum"]


def register(app: typer.Typer) -> None:
    app.add_typer(skills_app, name="skills")
    app.add_typer(courses_app, name="courses")
