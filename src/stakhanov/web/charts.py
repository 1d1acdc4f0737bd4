"""Charts drawn on the server as SVG: no script, readable by screen readers, sharp on any screen.

Two kinds serve every page: grouped horizontal bars (stated beside fair, per brigade or worker)
and a line chart over days. Both draw the 100% line, the norm, so above and below read at once.
Colours come from the style sheet's palette, by meaning (docs/web.md); the axis is the ordinary
values' (`axis_top`), so that one record day does not flatten the rest: a value beyond it is
drawn to the edge, marked, and labelled with its figure.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from html import escape
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup

from stakhanov.i18n import N_, _, current

Value = Decimal | float | int | None

STYLE = Path(__file__).parent / "static" / "style.css"


def palette(css: str) -> dict[str, str]:
    """The custom properties of the style sheet's `:root` that are colours, by name."""
    root = re.search(r":root\s*{(.*?)}", css, re.S)
    found = re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\b", root[1] if root else "")
    return dict(found)


PALETTE = palette(STYLE.read_text(encoding="utf-8"))
"""One colour per meaning, defined once in the style sheet; tables and charts draw with it."""
INK, PAPER, GRID = PALETTE["ink"], PALETTE["paper"], PALETTE["grid"]
SERIES_MEANINGS = ("stated", "fair", "current", "proposed")
SERIES_NAMES = (N_("stated"), N_("fair"), N_("current"), N_("proposed"))
"""The usual series names, marked for the catalogs: a chart shows each in the reader's words."""
"""A series's colour by what it is: as stated, as audited (fair), as things are (now, fulfilled
so far) and as they would be (proposed, forecast). Never the red and green of short and met."""
FONT = 'font-family="system-ui, sans-serif"'
REFERENCE = 100
ORDINARY_QUANTILE = 0.9
HEADROOM = 3.0
FEWEST_TO_CLIP = 3
"""The axis holds the values up to HEADROOM times the 90th percentile of them all (and at
least the 100% line); with fewer than three values none is out of the ordinary."""
MARKERS = ("circle", "square", "diamond", "triangle")
"""Each line's points have their own shape, so that series differ by more than colour."""
_hatches = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Value]
    meaning: str | None = None
    """Its colour's meaning (SERIES_MEANINGS): by default its name where that is one (stated,
    fair), else current for the first series and proposed for the second."""

    def meaning_at(self, index: int) -> str:
        if self.meaning is not None:
            return self.meaning
        if self.name in SERIES_MEANINGS:
            return self.name
        return SERIES_MEANINGS[2 + index % 2]

    def colour_at(self, index: int) -> str:
        return PALETTE[self.meaning_at(index)]


def axis_top(values: Iterable[Value], reference: float = 0) -> float:
    """The top of the axis: a round figure holding the ordinary values and the reference.

    Ordinary is not above HEADROOM times the 90th percentile (its lower order statistic). The
    percentile of values with one extreme added is still one of the others, so a record day
    moves the axis at most to what the others' largest with headroom needs, and not at all
    where the others are ordinary among themselves. A value above the top is `clipped`.
    """
    known = sorted(v for v in map(_num, values) if v is not None)
    floor = max(reference, 1.0)
    if len(known) < FEWEST_TO_CLIP:
        return nice_ceiling(max([*known, floor]))
    high = known[math.floor(ORDINARY_QUANTILE * (len(known) - 1))]
    ordinary = [v for v in known if v <= HEADROOM * high]
    return nice_ceiling(max([*ordinary, floor]))


def clipped(value: float, top: float) -> bool:
    return value > top


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


def _legend(
    series: Sequence[Series], x: float, y: float, spacing: float = 150, fills: Sequence[str] = ()
) -> str:
    """A swatch and a name per series: the bar's own fill, or the line's own point shape."""
    parts = []
    for i, s in enumerate(series):
        left = x + i * spacing
        if fills:
            swatch = f'<rect x="{left}" y="{y - 11}" width="14" height="14" fill="{fills[i]}"/>'
        else:
            swatch = _marker(i, left + 7, y - 4, s.colour_at(i), 6.0)
        parts.append(
            f'{swatch}<text x="{left + 20}" y="{y}" font-size="14" {FONT}>{escape(s.name)}</text>'
        )
    return "".join(parts)


def _marker(index: int, x: float, y: float, colour: str, r: float = 3.5, title: str = "") -> str:
    """A point of the index-th series: circle, square, diamond, triangle."""
    shape = MARKERS[index % len(MARKERS)]
    tip = f"<title>{title}</title>" if title else ""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}">{tip}</circle>'
    if shape == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{colour}">{tip}</rect>'
        )
    d = r * 1.35
    if shape == "diamond":
        corners = (
            f"M{x:.1f},{y - d:.1f} L{x + d:.1f},{y:.1f} L{x:.1f},{y + d:.1f} L{x - d:.1f},{y:.1f}"
        )
    else:
        corners = f"M{x:.1f},{y - d:.1f} L{x + d:.1f},{y + r:.1f} L{x - d:.1f},{y + r:.1f}"
    return f'<path d="{corners} Z" fill="{colour}">{tip}</path>'


def _fills(series: Sequence[Series]) -> tuple[str, list[str]]:
    """Each series's bar fill: its colour, every second one hatched with white so that the
    series differ by more than colour. The hatches' patterns have ids unique to the page."""
    defs, fills = [], []
    for i, s in enumerate(series):
        colour = s.colour_at(i)
        if i % 2 == 0:
            fills.append(colour)
            continue
        name = f"hatch-{next(_hatches)}"
        defs.append(
            f'<pattern id="{name}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{PAPER}" stroke-width="2"/>'
            "</pattern>"
        )
        fills.append(f"url(#{name})")
    return (f"<defs>{''.join(defs)}</defs>" if defs else ""), fills


def _bar(x: float, y: float, length: float, height: float, fill: str, tip: str, cut: bool) -> str:
    """A bar; one cut at the axis's top shows a break (two white strokes) near its end."""
    drawn = (
        f'<rect x="{x}" y="{y:.1f}" width="{length:.1f}" height="{height}" '
        f'fill="{fill}"><title>{tip}</title></rect>'
    )
    if cut:
        end = x + length
        for at in (end - 14, end - 8):
            drawn += (
                f'<line class="cut" x1="{at:.1f}" y1="{y + height + 1:.1f}" x2="{at + 4:.1f}" '
                f'y2="{y - 1:.1f}" stroke="{PAPER}" stroke-width="2"/>'
            )
    return drawn


BEYOND = N_(" (beyond the scale)")


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
    series = _spoken(series)
    values = (v for s in series for v in s.values)
    top = axis_top(values, REFERENCE if unit == "%" else 0)
    summary = _bars_summary(categories, series, unit, decimals, top)
    return Markup(
        _bars_wide(title, categories, series, unit, decimals, top, summary)
        + _bars_compact(title, categories, series, unit, decimals, top, summary)
    )


def _figure(value: float, decimals: int | None) -> str:
    return _label(value) if decimals is None else f"{value:,.{decimals}f}"


def _bars_compact(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int | None,
    top: float,
    summary: str,
) -> Markup:
    """The phone's drawing: each category's name above its bars, the full width for the bars."""
    width, left, right, bar, name_h, gap = 400.0, 6.0, 78.0, 16.0, 20.0, 10.0
    plot_width = width - left - right
    group = name_h + bar * len(series) + gap
    tall = len(categories) > 8
    top_margin, bottom_margin = (58.0 if tall else 40.0), 30.0
    height = top_margin + group * max(len(categories), 1) + bottom_margin
    scale = plot_width / top
    defs, fills = _fills(series)
    parts = [defs, _legend(series, left, 20, spacing=130, fills=fills)]
    plot_bottom = height - bottom_margin
    for tick in ticks(top, 4):
        x = left + tick * scale
        label = f"{_label(tick)}{escape(unit)}"
        anchor = "start" if tick == 0 else "middle"
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6}" x2="{x:.1f}" y2="{plot_bottom}" '
            f'stroke="{GRID}"/>'
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
            f'stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    names = shortened(categories, limit=44)
    for row, category in enumerate(categories):
        y = top_margin + row * group
        parts.append(
            f'<text x="{left}" y="{y + name_h - 6}" font-size="14" font-weight="600" '
            f'stroke="{PAPER}" stroke-width="3" paint-order="stroke" '
            f"{FONT}>{escape(names[row])}</text>"
        )
        for i, s in enumerate(series):
            value = _num(s.values[row]) if row < len(s.values) else None
            if value is None:
                continue
            cut = clipped(value, top)
            length = min(max(value, 0), top) * scale
            by = y + name_h + i * bar
            shown = f"{_figure(value, decimals)}{escape(unit)}"
            tip = f"{escape(category)}: {escape(s.name)} {shown}{_(BEYOND) if cut else ''}"
            parts.append(
                _bar(left, by, length, bar - 2, fills[i], tip, cut)
                + f'<text x="{left + length + 4:.1f}" y="{by + bar - 4:.1f}" font-size="13" '
                f'stroke="{PAPER}" stroke-width="3" paint-order="stroke" '
                f"{FONT}>{shown}</text>"
            )
    return _frame(width, height, title, summary, "".join(parts), "compact")


def _bars_summary(
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int | None,
    top: float,
) -> str:
    rows = []
    for row, category in enumerate(categories):
        shown = [
            f"{s.name} {_figure(value, decimals)}{unit}{_(BEYOND) if clipped(value, top) else ''}"
            for s in series
            if (value := _num(s.values[row]) if row < len(s.values) else None) is not None
        ]
        rows.append(f"{category}: {', '.join(shown) or _('no norm')}")
    return "; ".join(rows)


def _bars_wide(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int | None,
    top: float,
    summary: str,
) -> Markup:
    label_width, plot_width, bar, gap = 260.0, 560.0, 16.0, 12.0
    group = bar * len(series) + gap
    tall = len(categories) > 12
    top_margin, bottom_margin = (62.0 if tall else 40.0), 36.0

    def figure(value: float) -> str:
        return _figure(value, decimals)

    height = top_margin + group * max(len(categories), 1) + bottom_margin
    width = label_width + plot_width + 80
    scale = plot_width / top
    defs, fills = _fills(series)
    parts = [defs, _legend(series, label_width, 22, fills=fills)]
    plot_bottom = height - bottom_margin
    for tick in ticks(top):
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6}" x2="{x:.1f}" y2="{plot_bottom}" '
            f'stroke="{GRID}"/>'
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
            f'stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/>'
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
            cut = clipped(value, top)
            length = min(max(value, 0), top) * scale
            by = y + i * bar
            shown = f"{figure(value)}{escape(unit)}"
            tip = f"{escape(category)}: {escape(s.name)} {shown}{_(BEYOND) if cut else ''}"
            parts.append(
                _bar(label_width, by, length, bar - 2, fills[i], tip, cut)
                + f'<text x="{label_width + length + 4:.1f}" y="{by + bar - 4:.1f}" font-size="12" '
                f'stroke="{PAPER}" stroke-width="3" paint-order="stroke" '
                f"{FONT}>{shown}</text>"
            )
    return _frame(width, height, title, summary, "".join(parts))


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
    series = _spoken(series)
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
    top = axis_top((v for s in series for v in s.values), REFERENCE if unit == "%" else 0)
    count = max(len(days) - 1, 1)

    def x_of(i: int) -> float:
        return left + plot_w * i / count

    def y_of(v: float) -> float:
        return top_margin + plot_h * (1 - min(v, top) / top)

    parts = [_legend(series, 6.0 if compact else left, 22, spacing=130 if compact else 150)]
    for tick in ticks(top):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="13" text-anchor="end" {FONT}>'
            f"{_label(tick)}{escape(unit)}</text>"
        )
    step = max(1, math.ceil(len(days) / (4 if compact else 8)))
    for i in range(0, len(days), step):
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{height - bottom + 20}" font-size="13" '
            f'text-anchor="middle" {FONT}>{escape(_day(days[i]))}</text>'
        )
    if unit == "%":
        y = y_of(REFERENCE)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{INK}" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    summary, beyond = [], []
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
            if v is None:
                continue
            shown = f"{_label(v)}{escape(unit)}"
            tip = f"{days[i].isoformat()}: {escape(s.name)} {shown}"
            if clipped(v, top):
                beyond.append(f"{days[i]} {s.name} {_label(v)}{unit}")
                parts.append(_beyond(x_of(i), top_margin, colour, shown, x_of(i) > width / 2))
            parts.append(
                _marker(
                    n, x_of(i), y_of(v), colour, title=tip + (_(BEYOND) if clipped(v, top) else "")
                )
            )
        known = [v for _, v in points if v is not None]
        if known:
            low, high = f"{_label(min(known))}{unit}", f"{_label(max(known))}{unit}"
            summary.append(
                _("%(series)s from %(low)s to %(high)s")
                % {"series": s.name, "low": low, "high": high}
            )
    first_last = (
        _("%(first)s to %(last)s") % {"first": days[0], "last": days[-1]} if days else _("no days")
    )
    description = f"{first_last}: " + "; ".join(summary)
    if beyond:
        scale = _("beyond the scale of %(top)s") % {"top": f"{_label(top)}{unit}"}
        description += f"; {scale}: " + ", ".join(beyond)
    return _frame(width, height, title, description, "".join(parts), kind)


def _beyond(x: float, edge: float, colour: str, shown: str, leftward: bool) -> str:
    """A point above the axis: an arrow up from the edge, and its figure beside it."""
    anchor, dx = ("end", -9) if leftward else ("start", 9)
    return (
        f'<path class="beyond" d="M{x - 5:.1f},{edge - 4:.1f} L{x:.1f},{edge - 10:.1f} '
        f'L{x + 5:.1f},{edge - 4:.1f}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        f'<text x="{x + dx:.1f}" y="{edge + 5:.1f}" font-size="13" font-weight="700" '
        f'text-anchor="{anchor}" stroke="{PAPER}" stroke-width="3" paint-order="stroke" '
        f"{FONT}>{shown}</text>"
    )


def _spoken(series: Sequence[Series]) -> list[Series]:
    """The series named in the reader's words, each keeping the colour its own name meant."""
    return [replace(s, name=_(s.name), meaning=s.meaning_at(i)) for i, s in enumerate(series)]


def _day(day: dt.date) -> str:
    """A day on the axis, short, in the reader's language: `31 Aug`, `31 авг.`."""
    return format_date(day, format="d MMM", locale=current())
