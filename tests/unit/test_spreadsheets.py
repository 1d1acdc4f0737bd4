"""Cells a spreadsheet would run as formulas are neutralised; data is kept as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.spreadsheets import TRIGGERS, safe_cell
from stakhanov.domain.values import PLAIN_DECIMAL


@given(st.text())
def test_no_cell_starts_a_formula_and_nothing_is_lost(text: str) -> None:
    safe = safe_cell(text)
    assert not safe.startswith(TRIGGERS) or PLAIN_DECIMAL.fullmatch(safe)
    assert safe in (text, "'" + text)


def test_the_reported_payloads_and_plain_numbers() -> None:
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("+1+1") == "'+1+1"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("-3187.52") == "-3187.52"
    assert safe_cell("A. Stakhanov") == "A. Stakhanov"
