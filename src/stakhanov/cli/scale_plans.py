"""`scales show`: one scale's plan kind, its terms, its rate cards and where its pay falls."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, emit, rejected
from stakhanov.domain.pay_plans import falls
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale
from stakhanov.services.scales import stored_scales


def plan_dict(scale: PayScale) -> dict[str, Any]:
    """The plan and rate-card keys of a scale's JSON (docs/contract.md)."""
    plan = scale.plan
    return {
        "plan": plan.kind.value,
        "plan_terms": {
            "share": None if plan.share is None else str(plan.share),
            "bonus": None if plan.bonus is None else str(plan.bonus),
            "beyond": str(plan.beyond),
            "falling_reason": plan.allow_falling,
        },
        "efficiency": [{"at": str(s.at), "bonus": str(s.bonus)} for s in plan.efficiency],
        "rates": [
            {
                "operation": c.operation,
                "grade": c.grade,
                "rate": str(c.rate),
                "per": c.per,
                "from": c.effective_from,
            }
            for c in scale.rates
        ],
        "falls": [str(f) for f in falls(scale)],
    }


def _found(ctx: typer.Context, scale: str) -> PayScale:
    path = Path(scale)
    if path.is_file():
        parsed, problems = parse_scale(path.read_text(encoding="utf-8"), path.name)
        if parsed is None:
            raise rejected(problems)
        return parsed
    versions = [s for s in stored_scales(app_context(ctx).engine()) if s.name == scale]
    if not versions:
        raise typer.BadParameter(f"no scale file or stored scale named {scale!r}")
    return versions[-1]


def register_show(scales_app: typer.Typer) -> None:
    @scales_app.command("show")
    def scales_show(
        ctx: typer.Context,
        scale: Annotated[str, typer.Argument(help="A scale file, or a stored scale's name.")],
        as_json: JsonOption = False,
    ) -> None:
        """One scale: its plan kind and terms, rate cards, and where pay falls with output."""
        found = _found(ctx, scale)
        shown = plan_dict(found)
        if as_json:
            print(dumps({"name": found.name, "effective_from": found.effective_from, **shown}))
            return
        terms = ", ".join(
            f"{k} {v}" for k, v in shown["plan_terms"].items() if v not in (None, "0")
        )
        console.print(f"{found.label}: plan {shown['plan']}" + (f" ({terms})" if terms else ""))
        bands = [{"above": str(t.above), "multiplier": str(t.multiplier)} for t in found.tiers]
        if bands:
            emit(bands, title="Tiers (bands)", as_json=False, csv_path=None)
        if shown["efficiency"]:
            emit(shown["efficiency"], title="Efficiency bonus table", as_json=False, csv_path=None)
        if shown["rates"]:
            emit(shown["rates"], title="Rate cards", as_json=False, csv_path=None)
        for fall in shown["falls"] or ["pay never falls as output rises"]:
            console.print(fall)
