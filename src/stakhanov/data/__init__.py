"""The bundled data: historical claims from the sources and the Central-Irmino demo mine."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["historical_records_path", "preset_scales"]


def historical_records_path() -> Path:
    """Locate the bundled copy of the historical claims (see PROVENANCE.md)."""
    return Path(str(resources.files(__name__).joinpath("historical_records.csv")))


def preset_scales() -> dict[str, Path]:
    """The bundled example pay scales (historical presets), by file name without `.toml`."""
    folder = Path(str(resources.files(__name__).joinpath("scales")))
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}
