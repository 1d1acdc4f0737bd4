"""Commands of pay scales: `scales import`, `list`, `presets` (and `show`, `packs`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import CsvOption, JsonOption, XlsxOption
from stakhanov.cli.output import console, emit
from stakhanov.cli.rule_packs import register_packs
from stakhanov.cli.scale_plans import plan_dict, register_show
from stakhanov.data import preset_scales
from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale
from stakhanov.services.scales import import_scales, stored_scales

scales_app = typer.Typer(help="Pay scales: tariffs, progressive tiers, guarantees, bonuses.")


@scales_app.command("import")
@writes
def scales_import(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="TOML scale files, or directories of them.", exists=True),
    ] = None,
    preset: Annotated[
        list[str] | None, typer.Option("--preset", help="A bundled preset (see `scales presets`).")
    ] = None,
    correct: Annotated[
        bool, typer.Option("--correct", help="Record changed versions as corrections.")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Load pay scales, versioned by effective_from: all or nothing, idempotent."""
    presets = preset_scales()
    unknown = [p for p in preset or [] if p not in presets]
    if unknown:
        raise typer.BadParameter(
            f"unknown preset {unknown[0]!r}; bundled: {', '.join(presets)}", param_hint="--preset"
        )
    chosen = [*(paths or []), *(presets[p] for p in preset or [])]
    if not chosen:
        raise typer.BadParameter("give a scale file, a directory, or --preset")
    engine = app_context(ctx).engine()
    report = import_scales(engine, chosen, correct=correct, reason=reason)
    rows = [
        {"scale": label, "status": status}
        for status, labels in (
            ("added", report.added),
            ("unchanged", report.unchanged),
            ("corrected", report.corrected),
        )
        for label in labels
    ]
    if as_json:
        print(dumps({"batch_id": report.batch_id, "scales": rows}))
        return
    emit(rows, title="Pay scales", as_json=False, csv_path=None)
    console.print(
        f"written as batch {report.batch_id}" if report.batch_id else "nothing new to write"
    )


@scales_app.command("list")
def scales_list(
    ctx: typer.Context, as_json: JsonOption = False, csv: CsvOption = None, xlsx: XlsxOption = None
) -> None:
    """Every stored scale version."""
    found = stored_scales(app_context(ctx).engine())
    if as_json:
        print(dumps([_scale_dict(s) for s in found]))
        return
    rows = [
        {
            **_scale_dict(s),
            "operations": ", ".join(s.operations) if s.operations else "every operation",
            "grades": ", ".join(f"{g}: {t}" for g, t in s.grades),
            "tiers": ", ".join(f"above {t.above}%: x{t.multiplier}" for t in s.tiers),
        }
        for s in found
    ]
    for row in rows:  # nested terms do not fit a table cell; `scales show NAME` prints them
        row.pop("plan_terms")
        row.pop("efficiency")
        row["rates"] = len(row["rates"])
        row["falls"] = "; ".join(row["falls"])
    # The screen shows what fits 80 columns; the CSV and workbook keep every field.
    shown = ("name", "effective_from", "currency", "plan", "operations", "grades", "tiers", "falls")
    emit(rows, title="Pay scales", as_json=False, csv_path=csv, xlsx_path=xlsx, columns=shown)


def _scale_dict(scale: PayScale) -> dict[str, Any]:
    return {
        "name": scale.name,
        "effective_from": scale.effective_from,
        "currency": scale.currency,
        "operations": list(scale.operations) if scale.operations else None,
        "basis": scale.basis.value,
        "percent": scale.percent.value,
        "grades": {grade: str(tariff) for grade, tariff in scale.grades},
        "tiers": [{"above": t.above, "multiplier": str(t.multiplier)} for t in scale.tiers],
        **plan_dict(scale),
    }


@scales_app.command("presets")
def scales_presets(as_json: JsonOption = False) -> None:
    """The bundled example scales, with their stated assumptions."""
    rows = []
    for name, path in preset_scales().items():
        scale, _ = parse_scale(path.read_text(encoding="utf-8"), path.name, pack_text)
        rows.append(
            {
                "preset": name,
                "effective_from": scale.effective_from if scale else None,
                "description": scale.description if scale else None,
                "path": str(path),
            }
        )
    emit(
        rows,
        title="Bundled pay scales",
        as_json=as_json,
        csv_path=None,
        columns=("preset", "effective_from", "description"),
    )


def register(app: typer.Typer) -> None:
    register_show(scales_app)
    register_packs(scales_app)
    app.add_typer(scales_app, name="scales")
