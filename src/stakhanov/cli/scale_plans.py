"""`scales show`: one scale's plan kind, its terms, its rate cards and where its pay falls."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli.context import app_context
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, emit, rejected
from stakhanov.cli.rule_packs import named_in, pack_dict, print_pack
from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.pay_plans import falls
from stakhanov.domain.rule_packs import RulePack, read_pack
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


def _found(ctx: typer.Context, scale: str) -> PayScale | RulePack:
    path = Path(scale)
    name, _, version = scale.partition("@")
    if not path.is_file() and (text := pack_text(name, version)) is not None:
        return read_pack(text)  # `scales show us-federal@2026`: the pack alone
    if path.is_file():
        parsed, problems = parse_scale(path.read_text(encoding="utf-8"), path.name, pack_text)
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
        scale: Annotated[
            str, typer.Argument(help="A scale file, a stored scale's name, or a pack@version.")
        ],
        as_json: JsonOption = False,
    ) -> None:
        """One scale: its plan kind and terms, rate cards, and where pay falls with output."""
        found = _found(ctx, scale)
        if isinstance(found, RulePack):
            print(dumps(pack_dict(found))) if as_json else print_pack(found)
            return
        shown = plan_dict(found)
        path = Path(scale)
        pack = named_in(path.read_text(encoding="utf-8")) if path.is_file() else None
        if as_json:
            named = None if pack is None else pack_dict(pack)
            print(
                dumps(
                    {
                        "name": found.name,
                        "effective_from": found.effective_from,
                        **shown,
                        "pack": named,
                    }
                )
            )
            return
        if pack is not None:
            print_pack(pack)
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
