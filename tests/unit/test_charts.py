"""The SVG charts: scales that hold every value, and text alternatives that say what is drawn."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.web.charts import Series, bars, lines, nice_ceiling, shortened, ticks


@given(st.floats(min_value=0.001, max_value=1e9, allow_nan=False))
def test_the_scale_holds_the_value_and_stays_close(value: float) -> None:
    top = nice_ceiling(value)
    assert value <= top <= value * 10
    assert ticks(top)[-1] == top


BAR = re.compile(r'<rect x="260.0" y="[^"]+" width="([^"]+)" height="14.0"')


def bar_widths(svg: str) -> list[float]:
    return [float(w) for w in BAR.findall(svg)]


@given(
    st.lists(
        st.decimals(min_value=0, max_value=5000, places=1, allow_nan=False), min_size=1, max_size=8
    )
)
def test_every_bar_fits_the_plot(values: list[Decimal]) -> None:
    svg = str(bars("t", [f"u{i}" for i in range(len(values))], [Series("stated", values)]))
    widths = bar_widths(svg)
    assert len(widths) == len(values)
    assert all(0 <= w <= 560.05 for w in widths)


def test_bars_are_proportional_and_described() -> None:
    svg = str(
        bars(
            "Fulfilment",
            ["Mine/Section 8/Brigade 1", "Mine/Section 8/Brigade 2"],
            [Series("stated", [Decimal("1457.1"), None]), Series("fair", [Decimal("364.3"), 80])],
        )
    )
    widths = bar_widths(svg)
    # The record is beyond three times the others: the scale is theirs, up to 500%, so
    # 364.3% is 408 px of 560 and 80% 89.6 px; 1457.1% runs to the edge, cut and labelled.
    assert widths == [560.0, 408.0, 89.6]
    assert svg.count('class="cut"') == 2 * 2  # two strokes, in the wide and the phone's drawing
    assert svg.count(">1,457.1%</text>") == 2
    assert "Brigade 1: stated 1,457.1% (beyond the scale), fair 364.3%" in svg
    assert "Mine/Section 8/Brigade 2: fair 80%" in svg
    assert ">Brigade 1</text>" in svg  # the shared path is left off the labels
    assert 'role="img"' in svg and "<title>Fulfilment</title>" in svg


def test_shortened_labels_drop_the_shared_path_only() -> None:
    assert shortened(["A/B/C", "A/B/D"]) == ["C", "D"]
    assert shortened(["A", "A/B"]) == ["A", "B"]
    assert shortened(["hewing from 1935-01-01"]) == ["hewing from 1935-01-01"]


def test_shortened_labels_read_down_the_tree_with_their_operation() -> None:
    """The plan chart's labels: the mine, then its sections and brigades, never cut mid-name."""
    labels = [
        "Central-Irmino (hewing)",
        "Central-Irmino/Section 6 (hewing)",
        "Central-Irmino/Section 6/Brigade 1 (hewing)",
    ]
    assert shortened(labels) == [
        "Central-Irmino (hewing)",
        "Section 6 (hewing)",
        "Section 6/Brigade 1 (hewing)",
    ]
    alone = shortened(["Central-Irmino/Section 8/Brigade 2 (hewing)"])
    assert alone == ["…/Section 8/Brigade 2 (hewing)"]
    assert shortened(["Central-Irmino (hewing)", "Central-Irmino (loading)"]) == [
        "Central-Irmino (hewing)",
        "Central-Irmino (loading)",
    ]


def test_a_line_breaks_where_a_day_has_no_value() -> None:
    days = [dt.date(1935, 9, d) for d in (1, 2, 3, 4)]
    svg = str(lines("Trend", days, [Series("stated", [100, None, 120, 130])]))
    paths = re.findall(r'<path d="([^"]+)"', svg)
    assert len(paths) == 2  # the wide drawing and the phone's
    for path in paths:
        assert path.count("M") == 2 and path.count("L") == 1
    assert svg.count("1935-09-01 to 1935-09-04: stated from 100% to 130%") == 2


def test_each_chart_has_a_phone_drawing_that_says_the_same() -> None:
    """A phone shows the compact drawing (names above the bars, text as large as the page's);
    both drawings carry the same title, description and figures."""
    svg = str(
        bars(
            "Pay",
            ["Mine/Section 8/Brigade 1", "Mine/Section 8/Brigade 2"],
            [Series("now", [Decimal("1164.08"), Decimal("758")])],
            unit="",
            decimals=2,
        )
    )
    wide, compact = re.findall(r'<svg class="chart (wide|compact)" viewBox="0 0 (\d+) ', svg)
    assert wide == ("wide", "900") and compact == ("compact", "400")
    assert svg.count("<title>Pay</title>") == 2
    # Money keeps its two places on the bars and in the description: 1,164.08, not 1,164.1.
    assert svg.count(">1,164.08</text>") == 2 and svg.count(">758.00</text>") == 2
    assert (
        svg.count("Mine/Section 8/Brigade 1: now 1,164.08; Mine/Section 8/Brigade 2: now 758.00")
        == 2
    )
    # The phone's names stand above their bars, at the left edge.
    assert '<text x="6.0" y="' in svg and ">Brigade 1</text>" in svg


def test_a_tall_chart_repeats_its_scale_above_the_bars() -> None:
    names = [f"Mine/Brigade {i}" for i in range(13)]
    svg = str(bars("Tall", names, [Series("stated", [150] * 13)]))
    wide = svg.split('class="chart compact"')[0]
    assert wide.count(">200%</text>") == 2  # below the bars and above them
    short = str(bars("Short", names[:3], [Series("stated", [150] * 3)]))
    assert short.split('class="chart compact"')[0].count(">200%</text>") == 1
