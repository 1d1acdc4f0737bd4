"""The bundled rule packs: <name>/<version>.toml, each a scale fragment with its sources."""

from __future__ import annotations

from importlib import resources

from stakhanov.domain.rule_packs import RulePack, read_pack


def pack_text(name: str, version: str) -> str | None:
    """A bundled pack's text, or None when there is no such pack or version."""
    if not all(part.replace("-", "").replace(".", "").isalnum() for part in (name, version)):
        return None  # a name is never a path
    found = resources.files(__name__) / name / f"{version}.toml"
    return found.read_text(encoding="utf-8") if found.is_file() else None


def bundled_packs() -> list[RulePack]:
    """Every bundled pack and version, by name then version."""
    packs = []
    for folder in sorted(resources.files(__name__).iterdir(), key=lambda f: f.name):
        if folder.is_dir() and not folder.name.startswith("_"):
            for file in sorted(folder.iterdir(), key=lambda f: f.name.removesuffix(".toml")):
                if file.name.endswith(".toml"):
                    packs.append(read_pack(file.read_text(encoding="utf-8")))
    return packs
