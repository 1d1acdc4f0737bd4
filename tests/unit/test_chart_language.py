"""A chart speaks the reader's language: its series, its days and its words for screen readers,
while each series keeps the colour its own (English) name means."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stakhanov.i18n import speaking
from stakhanov.web import charts


def test_a_chart_in_russian_names_its_series_and_days_in_russian_with_the_same_colours() -> None:
    series = [
        charts.Series("stated", [Decimal(120), Decimal(90)]),
        charts.Series("fair", [100, 80]),
    ]
    days = [dt.date(1935, 8, 30), dt.date(1935, 8, 31)]
    english = charts.lines("Trend", days, series)
    with speaking("ru"):
        russian = charts.lines("Trend", days, series)
    assert ">stated<" in english and "31 Aug" in english
    assert ">заявленная<" in russian and ">stated<" not in russian and "31 авг." in russian
    assert "с 1935-08-30 по 1935-08-31" in russian  # the screen reader's summary
    for meaning in ("stated", "fair"):
        assert english.count(charts.PALETTE[meaning]) == russian.count(charts.PALETTE[meaning])
