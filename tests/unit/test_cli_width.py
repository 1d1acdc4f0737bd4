"""Tables take the width of each command's environment, not of the first one's."""

from __future__ import annotations

import pytest

from stakhanov.cli.output import console, fit_width


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
