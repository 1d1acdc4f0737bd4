"""The ratchet simulation as one report, for `stakhanov simulate ratchet` and the API alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stakhanov.sim.ratchet import Model, Month, compare

SHOWN = Decimal("0.001")


def month_row(month: Month) -> dict[str, Any]:
    return {
        "month": month.month,
        "norm": month.norm.quantize(SHOWN),
        "output": month.output.quantize(SHOWN),
        "pay": month.pay,
        "hidden_capacity_percent": month.hidden,
        "records": month.records,
    }


def summary(months: list[Month]) -> dict[str, Any]:
    return {
        "total_output": sum((m.output for m in months), Decimal(0)).quantize(SHOWN),
        "mean_pay": (sum((m.pay for m in months), Decimal(0)) / len(months)).quantize(
            Decimal("0.01")
        ),
        "final_norm": months[-1].norm.quantize(SHOWN),
        "final_hidden_capacity_percent": months[-1].hidden,
        "records": sum(m.records for m in months),
    }


def ratchet(model: Model) -> dict[str, Any]:
    """Both policies month by month, and their summaries: `{"model", "months", "summary"}`."""
    runs = compare(model)
    return {
        "model": {
            "seed": model.seed,
            "workers": model.workers,
            "months": model.months,
            "enthusiasts": model.enthusiasts,
            "change_month": model.change_month,
        },
        "months": [
            {"policy": policy.value, **month_row(month)}
            for policy, series in runs.items()
            for month in series
        ],
        "summary": {policy.value: summary(series) for policy, series in runs.items()},
    }
