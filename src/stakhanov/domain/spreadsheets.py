"""Cells for spreadsheets: text that Excel, LibreOffice or Sheets would run is neutralised.

A name such as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` written verbatim into a CSV or a
workbook runs as a formula when the accountant opens the file. A cell that begins with one of
the characters a spreadsheet reads as the start of a formula (=, +, -, @, a tab or a carriage
return) gets a leading apostrophe, which shows the text as written and runs nothing. A plain
number (`-3187.52`) is left as it is: it is data, not a formula.
"""

from __future__ import annotations

from stakhanov.domain.values import PLAIN_DECIMAL

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """The cell's text, with an apostrophe before anything a spreadsheet would run."""
    if text.startswith(TRIGGERS) and not PLAIN_DECIMAL.fullmatch(text):
        return "'" + text
    return text
