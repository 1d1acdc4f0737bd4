"""Errors as values: problems are collected over a whole batch, never raised one by one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Source:
    """Where a record came from: a file and its 1-based row (the header is row 1)."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}:{self.row}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located to file, row and column."""

    source: Source | None
    column: str
    message: str

    def __str__(self) -> str:
        where = str(self.source) if self.source else "-:0"
        return f"{where}:{self.column}: {self.message}"


class InvalidValue(ValueError):
    """A value object refused a value; names the field and the value."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(f"{field}={value!r}: {reason}")
        self.field = field
        self.value = value
        self.reason = reason
