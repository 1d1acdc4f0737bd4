"""One palette, by meaning, defined once in the style sheet and drawn with by the charts."""

from __future__ import annotations

import re

from stakhanov.web import charts
from stakhanov.web.charts import PALETTE, STYLE

CSS = STYLE.read_text(encoding="utf-8")
MARKING = ("ink", "muted", "action", "stated", "fair", "current", "proposed", "short", "met")
"""Colours that carry text or a mark: each needs 4.5:1 on the paper and on a table's band."""


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_style_sheet_names_each_colour_once_and_only_in_its_palette() -> None:
    root = re.search(r":root\s*{(.*?)}", CSS, re.S)
    assert root is not None
    rest = CSS.replace(root[0], "")
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", rest) == []  # every rule takes a name
    names = re.findall(r"--([a-z-]+):", root[1])
    assert len(names) == len(set(names))


def test_the_charts_draw_with_the_style_sheet_s_colours() -> None:
    for meaning in (*charts.SERIES_MEANINGS, "short", "met", "ink", "paper", "grid"):
        assert re.search(rf"--{meaning}:\s*{PALETTE[meaning]};", CSS), meaning


def test_series_and_status_never_share_a_colour() -> None:
    series = [PALETTE[m] for m in charts.SERIES_MEANINGS]
    status = [PALETTE["short"], PALETTE["met"], PALETTE["action"], PALETTE["note"]]
    assert len(set(series)) == len(series)
    assert len(set(status)) == len(status)
    assert not set(series) & set(status)


def test_every_colour_that_marks_reads_on_paper_and_band() -> None:
    for name in MARKING:
        for ground in ("paper", "band", "mine"):
            assert contrast(PALETTE[name], PALETTE[ground]) >= 4.5, (name, ground)
    assert contrast(PALETTE["note-ink"], PALETTE["note"]) >= 4.5


def test_a_figure_against_100_says_short_or_met_in_more_than_colour() -> None:
    from decimal import Decimal

    from stakhanov.web.pages import templates

    pct = templates.env.from_string('{% from "macros.html" import pct %}{{ pct(v) }}')
    short = pct.render(v=Decimal("87.5"))
    met, exactly = pct.render(v=Decimal("1457.1")), pct.render(v=Decimal(100))
    assert short.startswith('<span class="short"><span class="mark" aria-hidden="true">▼</span>')
    assert "87.5%" in short and "(below 100%)" in short
    for shown in (met, exactly):
        assert shown.startswith('<span class="met"><span class="mark" aria-hidden="true">✓</span>')
        assert "(100% or more)" in shown
    assert "1,457.1%" in met  # English groups thousands, as the slips do
    assert 'aria-label="none"' in pct.render(v=None)
