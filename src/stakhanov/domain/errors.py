"""Errors as values: problems are collected over a whole batch, never raised one by one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from stakhanov.domain.wording import say_n


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


class Refusal(StrEnum):
    """Why a request was refused; each edge maps a kind once (HTTP status, exit code)."""

    INVALID = "invalid"  # the request's data break a rule
    NOT_FOUND = "not_found"  # it names something that is not there
    FORBIDDEN = "forbidden"  # it reaches outside the asker's scope or turn
    CONFLICT = "conflict"  # it clashes with what is already recorded
    UNAUTHORIZED = "unauthorized"  # the credentials are wrong
    LIMITED = "limited"  # too many attempts: try again later


class Refused(Exception):
    """A request a service will not carry out; nothing was written.

    `reasons` are the lines for people (a `Wording`, or fixed English text: the pages and the
    command line translate them, `stakhanov.i18n.said`); `problems` locate bad rows;
    `field` names the one value at fault, where there is one; `kind` (the class's unless
    given) says why, for the edges to map.
    """

    kind: Refusal = Refusal.INVALID

    def __init__(
        self,
        *reasons: str,
        problems: Sequence[Problem] = (),
        field: str | None = None,
        kind: Refusal | None = None,
    ) -> None:
        if kind is not None:
            self.kind = kind
        self.problems = list(problems)
        self.reasons = list(reasons) or [str(p) for p in self.problems]
        self.field = field
        summary = say_n(
            "%(count)d problem; nothing was written",
            "%(count)d problems; nothing was written",
            len(self.problems),
        )
        super().__init__("; ".join(reasons) if reasons else summary)


class InvalidValue(Refused, ValueError):
    """A value object refused a value; names the field and the value."""

    field: str

    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(f"{field}={value!r}: {reason}", field=field)
        self.reasons = [reason]  # the field is named beside it, where it is shown
        self.value = value
        self.reason = reason
