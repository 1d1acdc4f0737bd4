"""The bundled data: historical claims from the sources and the Central-Irmino demo mine."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["historical_records_path"]


def historical_records_path() -> Path:
    """Locate the bundled copy of the historical claims (see PROVENANCE.md)."""
    return Path(str(resources.files(__name__).joinpath("historical_records.csv")))
