"""`scales packs` and the pack part of `scales show`: the bundled rule packs and their sources."""

from __future__ import annotations

import tomllib
from typing import Any

import typer

from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import JsonOption
from stakhanov.cli.output import console, emit
from stakhanov.data.rulepacks import bundled_packs, pack_text
from stakhanov.domain.rule_packs import RulePack, read_pack


def pack_dict(pack: RulePack) -> dict[str, Any]:
    """A pack's JSON (docs/rule-packs.md)."""
    return {
        "name": pack.name,
        "version": pack.version,
        "title": pack.title,
        "valid_from": pack.valid_from,
        "sources": list(pack.sources),
        "contributes": pack.contributes(),
        "supported": list(pack.supported),
        "not_supported": list(pack.not_supported),
    }


def named_in(text: str) -> RulePack | None:
    """The pack a scale file names, if it names a bundled one."""
    try:
        table = tomllib.loads(text).get("pack")
    except tomllib.TOMLDecodeError:
        return None
    if not isinstance(table, dict):
        return None
    found = pack_text(str(table.get("name", "")), str(table.get("version", "")))
    return None if found is None else read_pack(found)


def print_pack(pack: RulePack) -> None:
    """What a pack contributes, what it supports and what it does not, with its sources."""
    console.print(f"Rule pack {pack.label}: {pack.title} (valid from {pack.valid_from})")
    console.print("Contributes: " + ", ".join(pack.contributes()))
    for heading, items in (
        ("Sources", pack.sources),
        ("Supported", pack.supported),
        ("Not supported (refused or left to the scale)", pack.not_supported),
    ):
        console.print(f"{heading}:")
        for item in items:
            console.print(f"  - {item}", markup=False)


def register_packs(scales_app: typer.Typer) -> None:
    @scales_app.command("packs")
    def scales_packs(as_json: JsonOption = False) -> None:
        """The bundled rule packs, their versions and their sources (docs/rule-packs.md)."""
        packs = [pack_dict(pack) for pack in bundled_packs()]
        if as_json:
            print(dumps(packs))
            return
        rows = [
            {
                "pack": p["name"],
                "version": p["version"],
                "valid from": p["valid_from"],
                "title": p["title"],
                "sources": "; ".join(s.split(":")[0] for s in p["sources"]),
            }
            for p in packs
        ]
        emit(rows, title="Rule packs", as_json=False, csv_path=None)
