"""Rule packs: versioned scale fragments a scale names in `[pack]` and adds its own rules to.

docs/rule-packs.md defines the merge rule: the pack's keys join the scale's; a key both give
with different values is a conflict, located at the scale's line; the scale's array entries
come first (so their problems keep their lines) and the pack's follow.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stakhanov.domain.scale_values import Path, Reader, as_text

# Finds a pack's text by name and version; the edges pass the bundled packs (stakhanov.data).
PackTexts = Callable[[str, str], str | None]
PACK_KEYS = ("name", "version")
ORDERED = ("tiers", "efficiency")  # bands in order: a scale's own would interleave the pack's


@dataclass(frozen=True)
class RulePack:
    """A pack's description and the scale keys it contributes."""

    name: str
    version: str
    title: str
    valid_from: str
    sources: tuple[str, ...]
    supported: tuple[str, ...]
    not_supported: tuple[str, ...]
    scale: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    def contributes(self) -> list[str]:
        """Every key the pack sets, as `section.key` (arrays as `section[n]`)."""
        keys: list[str] = []
        for key, value in self.scale.items():
            if isinstance(value, dict):
                keys += [f"{key}.{inner}" for inner in value]
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                keys += [f"{key}[{index + 1}]" for index in range(len(value))]
            else:
                keys.append(key)
        return keys


def read_pack(text: str) -> RulePack:
    """A bundled pack's file; its shape is checked by the tests of every bundled pack."""
    document = tomllib.loads(text, parse_float=Decimal)
    meta = document["pack"]
    return RulePack(
        name=meta["name"],
        version=str(meta["version"]),
        title=meta["title"],
        valid_from=str(meta["valid_from"]),
        sources=tuple(meta["sources"]),
        supported=tuple(meta.get("supported", ())),
        not_supported=tuple(meta.get("not_supported", ())),
        scale=document.get("scale", {}),
    )


def _same(one: Any, other: Any) -> bool:
    return str(one) == str(other)  # "7.25" written as text or as a number is the same value


def _conflict(reader: Reader, path: Path, pack: RulePack, theirs: Any, ours: Any) -> None:
    reader.problem(
        path,
        f"conflicts with rule pack {pack.label}, which sets it to {theirs!s}; "
        f"this scale gives {ours!s} (drop the key here, or leave the pack out)",
    )


def _merged(reader: Reader, ours: dict[str, Any], pack: RulePack) -> dict[str, Any]:
    out = dict(ours)
    for key, theirs in pack.scale.items():
        if key not in out:
            out[key] = theirs
        elif isinstance(theirs, dict) and isinstance(out[key], dict):
            table = dict(out[key])
            for inner, value in theirs.items():
                if inner not in table:
                    table[inner] = value
                elif not _same(table[inner], value):
                    _conflict(reader, (key, inner), pack, value, table[inner])
            out[key] = table
        elif isinstance(theirs, list) and isinstance(out[key], list) and key not in ORDERED:
            out[key] = [*out[key], *theirs]
        elif not _same(out[key], theirs):
            _conflict(reader, (key,), pack, _shown(theirs), _shown(out[key]))
    if str(out.get("effective_from", pack.valid_from)) < pack.valid_from:
        reader.problem(
            ("effective_from",),
            f"is before rule pack {pack.label} is valid ({pack.valid_from}): name another version",
        )
    return out


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} entries"
    return str(value)


def named_pack(
    reader: Reader, document: dict[str, Any], packs: PackTexts | None
) -> RulePack | None:
    """The pack a scale names in `[pack]`, or None (a problem is recorded if it is wrong)."""
    table = document.get("pack")
    if table is None:
        return None
    path: Path = ("pack",)
    if not isinstance(table, dict):
        reader.problem(path, 'must be a table: [pack] name = "us-federal", version = "2026"')
        return None
    reader.known_keys(table, PACK_KEYS, path)
    name = reader.required(table, "name", path, as_text)
    version = reader.get(table, "version", path, lambda v: as_text(str(v)))
    if version is None and "version" not in table:
        reader.problem((*path, "version"), "is required: a pack is named with its version")
    if name is None or version is None:
        return None
    text = packs(name, version) if packs is not None else None
    if text is None:
        reader.problem((*path, "name"), f"no rule pack {name} {version} (see `scales packs`)")
        return None
    return read_pack(text)


def with_pack(
    reader: Reader, document: dict[str, Any], packs: PackTexts | None
) -> tuple[dict[str, Any], RulePack | None]:
    """The scale's document with its pack's keys merged in, and the pack."""
    pack = named_pack(reader, document, packs)
    ours = {key: value for key, value in document.items() if key != "pack"}
    if pack is None:
        return ours, None
    return _merged(reader, ours, pack), pack
