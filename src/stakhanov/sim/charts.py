"""Distributions drawn as PNG charts (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _pyplot() -> Any:
    """matplotlib, loaded on first use (it takes a second) and drawing without a display."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def output_histogram(
    path: Path, outputs: Mapping[str, Sequence[Decimal]], unit: str, title: str
) -> Path:
    """One histogram per organisation of the section's output per shift."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 4.5))
    for name, values in outputs.items():
        axes.hist([float(v) for v in values], bins=20, alpha=0.6, label=name)
    axes.set_xlabel(f"output per shift ({unit})")
    axes.set_ylabel("shifts")
    axes.set_title(title)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def worker_boxes(
    path: Path, credited: Mapping[str, Sequence[Decimal]], unit: str, title: str
) -> Path:
    """Each worker's credited output per shift, as a box plot."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(max(6, len(credited) * 0.8), 4.5))
    axes.boxplot([[float(v) for v in values] for values in credited.values()])
    axes.set_xticks(range(1, len(credited) + 1), list(credited), rotation=45, ha="right")
    axes.set_ylabel(f"credited per shift ({unit})")
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def favoured_bars(path: Path, report: Mapping[str, Any], unit: str) -> Path:
    """Each face's mean output with and without a favoured face."""
    plt = _pyplot()
    faces = report["faces"]
    xs = range(len(faces))
    figure, axes = plt.subplots(figsize=(7, 4.5))
    axes.bar(
        [x - 0.2 for x in xs],
        [float(f["baseline_mean"]) for f in faces],
        0.4,
        label="no face favoured",
    )
    axes.bar(
        [x + 0.2 for x in xs],
        [float(f["favoured_mean"]) for f in faces],
        0.4,
        label="one face favoured",
    )
    axes.set_xticks(
        list(xs), [f"face {f['face']}" + (" (favoured)" if f["favoured"] else "") for f in faces]
    )
    axes.set_ylabel(f"mean output per shift ({unit})")
    axes.set_title("What the other faces lose")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
