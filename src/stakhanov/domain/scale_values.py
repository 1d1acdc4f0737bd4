"""Reading the values of a scale file: the reader that locates problems, and the parsers.

Each parser takes a TOML value and returns it checked, or raises InvalidValue with the reason;
the reader records that reason against the key's line instead of raising.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.quantities import check_unit
from stakhanov.domain.scales import HUNDRED
from stakhanov.domain.values import require_places
from stakhanov.domain.wording import say

E = TypeVar("E", bound=StrEnum)
Path = tuple[str | int, ...]
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")


def shown_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "-"


@dataclass
class Reader:
    """Reads values out of the parsed document, recording problems instead of raising."""

    file: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line where a key is written (its table's header when not found), else 1."""
        table = [p for p in path[:2] if isinstance(p, str)][:1]
        occurrence = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        key = path[-1] if len(path) > 1 and isinstance(path[-1], str) else None
        if len(path) == 1:
            key, table = str(path[0]), []
        current: str | None = None
        seen: dict[str, int] = {}
        header_line = 1
        for number, line in enumerate(self.lines, start=1):
            if match := _HEADER.match(line):
                current = match[2].strip()
                if len(path) == 1 and current == key:  # a whole table: `[key]` or `[[key]]`
                    return number
                seen[current] = seen.get(current, -1) + 1
                if table and current == table[0] and seen[current] == (occurrence or 0):
                    header_line = number
                    if key is None:
                        return number
                continue
            in_table = current is None if not table else current == table[0]
            if occurrence is not None and table:
                in_table = in_table and seen.get(table[0]) == occurrence
            if in_table and key is not None and re.match(rf'^\s*"?{re.escape(key)}"?\s*=', line):
                return number
        return header_line

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(
            Problem(Source(self.file, self.line_of(path)), shown_path(path), message)
        )

    def known_keys(self, table: dict[str, Any], allowed: tuple[str, ...], path: Path) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    (*path, key), f"unknown key {key!r}; allowed here: {', '.join(allowed)}"
                )

    def get(self, table: dict[str, Any], key: str, path: Path, parse: Callable[[Any], Any]) -> Any:
        if key not in table:
            return None
        try:
            return parse(table[key])
        except InvalidValue as err:
            self.problem((*path, key), err.reason)
        return None

    def required(
        self, table: dict[str, Any], key: str, path: Path, parse: Callable[[Any], Any]
    ) -> Any:
        if key not in table:
            self.problem((*path, key), "is required")
            return None
        return self.get(table, key, path, parse)


def as_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidValue("value", value, say('must be a number or a decimal string like "1.70"'))
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation as err:
        raise InvalidValue("value", value, "is not a number") from err
    if not number.is_finite():
        raise InvalidValue("value", value, "is not a finite number")
    return require_places("value", number)  # every figure of a slip is stored at six places


def as_positive(value: Any) -> Decimal:
    number = as_decimal(value)
    if number <= 0:
        raise InvalidValue("value", value, "must be more than 0")
    return number


def as_non_negative(value: Any) -> Decimal:
    number = as_decimal(value)
    if number < 0:
        raise InvalidValue("value", value, "must not be negative")
    return number


def as_share(value: Any) -> Decimal:
    number = as_positive(value)
    if number > HUNDRED:
        raise InvalidValue("value", value, say("is a percent: more than 0 and at most 100"))
    return number


def as_fraction(value: Any) -> Decimal:
    number = as_positive(value)
    if number > 1:
        raise InvalidValue(
            "value", value, say("is a fraction of the tariff: more than 0, at most 1")
        )
    return number


def as_minor_unit(value: Any) -> Decimal:
    number = as_positive(value)
    exponent = number.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or number != Decimal(1).scaleb(min(exponent, 0)):
        raise InvalidValue("value", value, say('must be 1 or a power of ten below it, like "0.01"'))
    return Decimal(1).scaleb(min(exponent, 0))


def as_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue("value", value, say("must be non-empty text"))
    return value.strip()


def as_currency(value: Any) -> str:
    text = as_text(value)
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise InvalidValue("value", value, say('must be a three-letter currency code like "RUB"'))
    return text


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidValue("value", value, say("must be a date without a time, like 1935-01-01"))
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(as_text(value))
    except ValueError as err:
        raise InvalidValue("value", value, say("must be an ISO date like 1935-01-01")) from err


def as_choice(enum: type[E]) -> Callable[[Any], E]:
    def parse(value: Any) -> E:
        try:
            return enum(as_text(value).lower())
        except ValueError as err:
            options = ", ".join(e.value for e in enum)
            raise InvalidValue(
                "value", value, say("must be one of: %(options)s", options=options)
            ) from err

    return parse


def as_one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = as_text(value).lower()
        if text not in options:
            raise InvalidValue(
                "value", value, say("must be one of: %(options)s", options=", ".join(options))
            )
        return text

    return parse


def as_operations(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidValue("value", value, say("must be a non-empty list of operations"))
    return tuple(as_text(v) for v in value)


def as_unit(value: Any) -> str:
    return check_unit(as_text(value))
