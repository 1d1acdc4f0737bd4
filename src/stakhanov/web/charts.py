"""Charts drawn on the server as SVG: no script, readable by screen readers, sharp on any screen.

Two kinds serve every page: grouped horizontal bars (stated beside fair, per brigade or worker)
and a line chart over days. Both draw the 100% line, the norm, so above and below read at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

Value = Decimal | float | int | None

COLOURS = ("#9f1d20", "#1d4e89", "#5b4a00", "#2f5f2f")
"""Stated, fair, then any further series; each has at least 7:1 contrast on white."""
FONT = 'font-family="system-ui, sans-serif"'
REFERENCE = 100


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Value]
    colour: str | None = None
    """Its own colour, where the chart's series are not stated and fair (the plan's)."""

    def colour_at(self, index: int) -> str:
        return self.colour or COLOURS[index % len(COLOURS)]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def ticks(top: float, count: int = 5) -> list[float]:
    step = top / count
    return [round(step * i, 6) for i in range(count + 1)]


def _num(value: Value) -> float | None:
    return None if value is None else float(value)


def _label(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _legend(series: Sequence[Series], x: float, y: float, spacing: float = 150) -> str:
    parts = []
    for i, s in enumerate(series):
        colour = s.colour_at(i)
        left = x + i * spacing
        parts.append(
            f'<rect x="{left}" y="{y - 11}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{left + 20}" y="{y}" font-size="14" {FONT}>{escape(s.name)}</text>'
        )
    return "".join(parts)


def _frame(
    width: float, height: float, title: str, summary: str, body: str, kind: str = "wide"
) -> Markup:
    return Markup(
        f'<svg class="chart {kind}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>{body}</svg>"
    )


def bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "%",
    decimals: int | None = None,
) -> Markup:
    """Grouped horizontal bars, one group per category, with the 100% line marked.

    `decimals` fixes the places of each bar's figure (2 for money: 1,164.08, not 1,164.1).
    A chart taller than a screen repeats its scale above the bars. Two drawings are made:
    labels beside the bars for a wide screen, and labels above them for a phone, whose text
    stays as large as the page's; the style sheet shows the one that fits.
    """
    return Markup(
        _bars_wide(title, categories, series, unit, decimals)
        + _bars_compact(title, categories, series, unit, decimals)
    )


def _figure(value: float, decimals: int | None) -> str:
    return _label(value) if decimals is None else f"{value:,.{decimals}f}"


def _bars_compact(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int | None,
) -> Markup:
    """The phone's drawing: each category's name above its bars, the full width for the bars."""
    width, left, right, bar, name_h, gap = 400.0, 6.0, 78.0, 16.0, 20.0, 10.0
    plot_width = width - left - right
    group = name_h + bar * len(series) + gap
    tall = len(categories) > 8
    top_margin, bottom_margin = (58.0 if tall else 40.0), 30.0
    height = top_margin + group * max(len(categories), 1) + bottom_margin
    values = [v for s in series for v in map(_num, s.values) if v is not None]
    top = nice_ceiling(max([*values, REFERENCE if unit == "%" else 0, 1]))
    scale = plot_width / top
    parts = [_legend(series, left, 20, spacing=130)]
    plot_bottom = height - bottom_margin
    for tick in ticks(top, 4):
        x = left + tick * scale
        label = f"{_label(tick)}{escape(unit)}"
        anchor = "start" if tick == 0 else "middle"
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6}" x2="{x:.1f}" y2="{plot_bottom}" '
            'stroke="#d0d0d0"/>'
            f'<text x="{x:.1f}" y="{plot_bottom + 18}" font-size="13" text-anchor="{anchor}" '
            f"{FONT}>{label}</text>"
        )
        if tall:
            parts.append(
                f'<text x="{x:.1f}" y="{top_margin - 12}" font-size="13" '
                f'text-anchor="{anchor}" {FONT}>{label}</text>'
            )
    if unit == "%":
        x = left + REFERENCE * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6}" x2="{x:.1f}" y2="{plot_bottom}" '
            'stroke="#000" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    names = shortened(categories, limit=44)
    for row, category in enumerate(categories):
        y = top_margin + row * group
        parts.append(
            f'<text x="{left}" y="{y + name_h - 6}" font-size="14" font-weight="600" '
            'stroke="#fff" stroke-width="3" paint-order="stroke" '
            f"{FONT}>{escape(names[row])}</text>"
        )
        for i, s in enumerate(series):
            value = _num(s.values[row]) if row < len(s.values) else None
            if value is None:
                continue
            length = max(value, 0) * scale
            by = y + name_h + i * bar
            parts.append(
                f'<rect x="{left}" y="{by:.1f}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{s.colour_at(i)}"><title>{escape(category)}: '
                f"{escape(s.name)} {_figure(value, decimals)}{escape(unit)}</title></rect>"
                f'<text x="{left + length + 4:.1f}" y="{by + bar - 4:.1f}" font-size="13" '
                'stroke="#fff" stroke-width="3" paint-order="stroke" '
                f"{FONT}>{_figure(value, decimals)}{escape(unit)}</text>"
            )
    summary = _bars_summary(categories, series, unit, decimals)
    return _frame(width, height, title, summary, "".join(parts), "compact")


def _bars_summary(
    categories: Sequence[str], series: Sequence[Series], unit: str, decimals: int | None
) -> str:
    rows = []
    for row, category in enumerate(categories):
        shown = [
            f"{s.name} {_figure(value, decimals)}{unit}"
            for s in series
            if (value := _num(s.values[row]) if row < len(s.values) else None) is not None
        ]
        rows.append(f"{category}: {', '.join(shown) or 'no norm'}")
    return "; ".join(rows)


def _bars_wide(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int | None,
) -> Markup:
    label_width, plot_width, bar, gap = 260.0, 560.0, 16.0, 12.0
    group = bar * len(series) + gap
    tall = len(categories) > 12
    top_margin, bottom_margin = (62.0 if tall else 40.0), 36.0

    def figure(value: float) -> str:
        return _figure(value, decimals)

    height = top_margin + group * max(len(categories), 1) + bottom_margin
    width = label_width + plot_width + 80
    values = [v for s in series for v in map(_num, s.values) if v is not None]
    top = nice_ceiling(max([*values, REFERENCE if unit == "%" else 0, 1]))
    scale = plot_width / top
    parts = [_legend(series, label_width, 22)]
    plot_bottom = height - bottom_margin
    for tick in ticks(top):
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6}" x2="{x:.1f}" y2="{plot_bottom}" '
            'stroke="#d0d0d0"/>'
            f'<text x="{x:.1f}" y="{plot_bottom + 18}" font-size="13" text-anchor="middle" '
            f"{FONT}>{_label(tick)}{escape(unit)}</text>"
        )
        if tall:
            parts.append(
                f'<text x="{x:.1f}" y="{top_margin - 12}" font-size="13" text-anchor="middle" '
                f"{FONT}>{_label(tick)}{escape(unit)}</text>"
            )
    if unit == "%":  # under the bars and their figures, which stay readable across it
        x = label_width + REFERENCE * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6}" x2="{x:.1f}" y2="{plot_bottom}" '
            'stroke="#000" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    names = shortened(categories)
    for row, category in enumerate(categories):
        y = top_margin + row * group
        parts.append(
            f'<text x="{label_width - 8}" y="{y + group / 2}" font-size="14" text-anchor="end" '
            f"{FONT}>{escape(names[row])}</text>"
        )
        for i, s in enumerate(series):
            value = _num(s.values[row]) if row < len(s.values) else None
            if value is None:
                continue
            length = max(value, 0) * scale
            by = y + i * bar
            parts.append(
                f'<rect x="{label_width}" y="{by:.1f}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{s.colour_at(i)}"><title>{escape(category)}: '
                f"{escape(s.name)} {figure(value)}{escape(unit)}</title></rect>"
                f'<text x="{label_width + length + 4:.1f}" y="{by + bar - 4:.1f}" font-size="12" '
                'stroke="#fff" stroke-width="3" paint-order="stroke" '
                f"{FONT}>{figure(value)}{escape(unit)}</text>"
            )
    return _frame(
        width, height, title, _bars_summary(categories, series, unit, decimals), "".join(parts)
    )


def shortened(labels: Sequence[str], limit: int = 34) -> list[str]:
    """Labels without the unit path they all share, and long ones cut at the front.

    `Mine/Section 8/Brigade 1` beside `Mine/Section 9` reads as `Section 8/Brigade 1`; the
    shared unit itself, when it is one of the labels, keeps its own name (`Mine`). A suffix in
    brackets (`Mine/Section 8 (hewing)`) stays. A label still too long loses whole units at the
    front (`…/Brigade 1 (hewing)`). The full label stays in each bar's tooltip and in the
    chart's description.
    """
    split: list[tuple[list[str], str]] = []
    for label in labels:
        found = re.fullmatch(r"(.*?)( \([^()/]*\))?", label)
        path, suffix = (found[1], found[2] or "") if found else (label, "")
        split.append((path.split("/"), suffix))
    common = 0
    if len(split) > 1:
        while all(len(parts) > common for parts, _ in split) and (
            len({parts[common] for parts, _ in split}) == 1
        ):
            common += 1
    result = []
    for parts, suffix in split:
        rest = parts[common:] or parts[-1:]
        text = "/".join(rest) + suffix
        while len(text) > limit and len(rest) > 1:
            rest = rest[1:]
            text = "…/" + "/".join(rest) + suffix
        result.append(text if len(text) <= limit else "…" + text[-(limit - 1) :])
    return result


def lines(title: str, days: Sequence[dt.date], series: Sequence[Series], unit: str = "%") -> Markup:
    """A line per series over days, with the 100% line marked; gaps where a day has no value.

    As with bars, a wide drawing and a phone's (narrower, so its text stays readable).
    """
    return Markup(
        _lines(title, days, series, unit, 900.0, "wide")
        + _lines(title, days, series, unit, 400.0, "compact")
    )


def _lines(
    title: str,
    days: Sequence[dt.date],
    series: Sequence[Series],
    unit: str,
    width: float,
    kind: str,
) -> Markup:
    compact = kind == "compact"
    height = 300.0 if compact else 360.0
    left, right = (58.0, 16.0) if compact else (70.0, 40.0)
    top_margin, bottom = 40.0, 50.0
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    values = [v for s in series for v in map(_num, s.values) if v is not None]
    top = nice_ceiling(max([*values, REFERENCE if unit == "%" else 0, 1]))
    count = max(len(days) - 1, 1)

    def x_of(i: int) -> float:
        return left + plot_w * i / count

    def y_of(v: float) -> float:
        return top_margin + plot_h * (1 - v / top)

    parts = [_legend(series, 6.0 if compact else left, 22, spacing=130 if compact else 150)]
    for tick in ticks(top):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d0d0d0"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="13" text-anchor="end" {FONT}>'
            f"{_label(tick)}{escape(unit)}</text>"
        )
    step = max(1, math.ceil(len(days) / (4 if compact else 8)))
    for i in range(0, len(days), step):
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{height - bottom + 20}" font-size="13" '
            f'text-anchor="middle" {FONT}>{days[i].strftime("%d %b")}</text>'
        )
    if unit == "%":
        y = y_of(REFERENCE)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#000" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    summary = []
    for n, s in enumerate(series):
        colour = s.colour_at(n)
        points = [(i, _num(v)) for i, v in enumerate(s.values)]
        path, pen = [], "M"
        for i, v in points:
            if v is None:
                pen = "M"
                continue
            path.append(f"{pen}{x_of(i):.1f},{y_of(v):.1f}")
            pen = "L"
        parts.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
        for i, v in points:
            if v is not None:
                parts.append(
                    f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="3.5" fill="{colour}">'
                    f"<title>{days[i].isoformat()}: {escape(s.name)} {_label(v)}{escape(unit)}"
                    "</title></circle>"
                )
        known = [v for _, v in points if v is not None]
        if known:
            summary.append(f"{s.name} from {_label(min(known))} to {_label(max(known))}{unit}")
    first_last = f"{days[0]} to {days[-1]}" if days else "no days"
    description = f"{first_last}: " + "; ".join(summary)
    return _frame(width, height, title, description, "".join(parts), kind)
