"""Tables for people: the width of each command's environment, yes and no for flags."""

from __future__ import annotations

import pytest

from stakhanov.cli.output import console, fit_width, table_cell
from stakhanov.i18n import speaking


def test_columns_is_read_per_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    fit_width()
    assert console.width == 80
    monkeypatch.setenv("COLUMNS", "200")
    fit_width()
    assert console.width == 200
    monkeypatch.delenv("COLUMNS")
    fit_width()
    assert console.width == 160  # piped (pytest captures stdout): wide, not 80 folded columns


def test_a_flag_reads_yes_or_no_in_the_readers_language() -> None:
    assert (table_cell(True), table_cell(False)) == ("yes", "no")
    with speaking("ru"):
        assert (table_cell(True), table_cell(False)) == ("да", "нет")
