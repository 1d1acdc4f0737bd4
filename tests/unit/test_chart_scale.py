"""A chart's scale is its ordinary values': one record day does not flatten the rest, and a
value beyond the scale is drawn at its edge, marked, with its figure beside it."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import assume, given
from hypothesis import strategies as st

from stakhanov.web import charts
from stakhanov.web.charts import HEADROOM, PALETTE, Series, axis_top, bars, lines, nice_ceiling

PERCENTS = st.lists(st.integers(min_value=0, max_value=2000), min_size=2, max_size=40)
"""The others: two values at least, for with fewer none is out of the ordinary."""


@given(PERCENTS, st.integers(min_value=0, max_value=10**7))
def test_one_more_value_moves_the_axis_at_most_to_the_others_largest_with_headroom(
    others: list[int], extra: int
) -> None:
    assume(extra >= max(others))
    before = axis_top(others, 100)
    after = axis_top([*others, extra], 100)
    assert before <= after <= nice_ceiling(max(100, HEADROOM * max(others)))


@given(
    PERCENTS, st.integers(min_value=1, max_value=10**7), st.integers(min_value=1, max_value=10**7)
)
def test_how_extreme_a_record_is_does_not_change_the_axis(
    others: list[int], first: int, second: int
) -> None:
    record = HEADROOM * max(others)
    assert axis_top([*others, record + first], 100) == axis_top([*others, record + second], 100)


@given(st.lists(st.integers(min_value=60, max_value=170), min_size=2, max_size=40))
def test_a_record_among_ordinary_days_leaves_their_axis_as_it_was(days: list[int]) -> None:
    """Days within a factor of three of each other keep exactly their scale beside a record."""
    assert axis_top([*days, 1457], 100) == axis_top(days, 100) == nice_ceiling(max(days))


def drawn(svg: str, kind: str) -> str:
    return svg.split('<svg class="chart compact"')[0 if kind == "wide" else 1]


BAR = re.compile(
    r'<rect x="260.0" y="[^"]+" width="([^"]+)" height="14.0" fill="[^"]+">'
    r"<title>[^:]*: \w+ ([\d.,]+)%( \(beyond the scale\))?</title>"
)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_every_bar_is_in_scale_or_cut_at_the_edge_with_its_figure(values: list[int]) -> None:
    svg = str(bars("t", [f"u{i}" for i in range(len(values))], [Series("stated", values)]))
    wide = drawn(svg, "wide")
    top = axis_top(values, 100)
    found = BAR.findall(wide)
    assert len(found) == len(values)
    for (width, figure, beyond), value in zip(found, values, strict=True):
        assert float(figure.replace(",", "")) == value
        if value > top:
            assert beyond and float(width) == 560.0
        else:
            assert not beyond and abs(float(width) - value * 560 / top) < 0.06
    assert wide.count('class="cut"') == 2 * sum(v > top for v in values)
    for value in values:
        assert f">{charts._label(value)}%</text>" in wide  # every figure stands beside its bar


@given(st.lists(st.integers(min_value=0, max_value=10**5), min_size=2, max_size=31))
def test_every_point_is_on_the_plot_or_marked_above_it_with_its_value(values: list[int]) -> None:
    days = [dt.date(1935, 8, 1) + dt.timedelta(days=i) for i in range(len(values))]
    wide = drawn(str(lines("Trend", days, [Series("stated", values)])), "wide")
    top = axis_top(values, 100)
    points = re.findall(r'<circle cx="[^"]+" cy="([^"]+)" r="3.5"', wide)
    assert len(points) == len(values)
    assert all(40.0 <= float(cy) <= 310.0 for cy in points)  # within the plot's height
    over = [v for v in values if v > top]
    assert wide.count('class="beyond"') == len(over)
    for value in over:
        assert f">{charts._label(value)}%</text>" in wide
    if over:
        assert "beyond the scale of" in wide


def test_stakhanov_s_record_night_does_not_flatten_his_month() -> None:
    days = [dt.date(1935, 8, d) for d in range(26, 32)]
    svg = str(lines("Trend", days, [Series("stated", [104, 96, 121, 110, 99, 1457])]))
    wide = drawn(svg, "wide")
    assert ">200%</text>" in wide and ">1500%</text>" not in wide  # the ordinary days' scale
    assert wide.count('class="beyond"') == 1 and ">1,457%</text>" in wide
    assert "beyond the scale of 200%: 1935-08-31 stated 1,457%" in wide


def test_a_series_takes_its_colour_from_its_meaning() -> None:
    assert Series("stated", []).colour_at(1) == PALETTE["stated"]
    assert Series("fair", []).colour_at(0) == PALETTE["fair"]
    assert Series("now", []).colour_at(0) == PALETTE["current"]
    assert Series("proposed norm", []).colour_at(1) == PALETTE["proposed"]
    assert Series("forecast", [], "proposed").colour_at(0) == PALETTE["proposed"]
    svg = str(bars("t", ["a", "b"], [Series("stated", [1, 2]), Series("fair", [1, 2])]))
    # The second series is hatched, so that stated and fair differ by more than colour.
    assert re.search(
        r'<pattern id="hatch-\d+"[^>]*><rect width="6" height="6" fill="' + PALETTE["fair"], svg
    )
    lined = str(
        lines(
            "t",
            [dt.date(1935, 9, 1), dt.date(1935, 9, 2)],
            [Series("stated", [1, 2]), Series("fair", [1, 2])],
        )
    )
    assert "<circle" in lined and '<rect x="' in lined  # circles for stated, squares for fair
