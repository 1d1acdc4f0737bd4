"""The historical claims bundled with the package, each kept as its source states it."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from stakhanov.data import historical_records_path
from stakhanov.domain.rounding import ratio_percent

NUMERIC = ("output", "norm", "shift_hours")


def claims() -> list[dict[str, Any]]:
    """Every claim with `percent`: output over the stated per-shift norm, not prorated."""
    with historical_records_path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        claim: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        for column in NUMERIC:
            if claim[column] is not None:
                claim[column] = Decimal(claim[column])
        output, norm = claim["output"], claim["norm"]
        claim["percent"] = None if output is None or norm is None else ratio_percent(output, norm)
        found.append(claim)
    return found
