"""Reading TOML input for people: values checked one by one, every problem located to the
file, the line and the key path (`operations.hewing.rates.good`), none raised on its own."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from stakhanov.domain.errors import Problem, Source

T = TypeVar("T")
KeyPath = tuple[str | int, ...]


class WorkplaceRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


def dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "-"


def line_of(lines: list[str], path: KeyPath) -> int:
    """The line where a key path is written: its key in the deepest table header found."""
    for k in range(len(path), 0, -1):
        prefix = path[:k]
        header = ".".join(p for p in prefix if isinstance(p, str))
        occurrence = prefix[-1] if isinstance(prefix[-1], int) else 0
        seen, start = -1, None
        for number, line in enumerate(lines, start=1):
            match = _HEADER.match(line)
            if match and match[1].replace('"', "") == header:
                seen += 1
                if seen == occurrence:
                    start = number
                    break
        if start is None:
            continue
        rest = [p for p in path[k:] if isinstance(p, str)]
        if rest:
            for number in range(start + 1, len(lines) + 1):
                if _HEADER.match(lines[number - 1]):
                    break
                if re.match(rf'^\s*"?{re.escape(rest[0])}"?\s*=', lines[number - 1]):
                    return number
        return start
    for number, line in enumerate(lines, start=1):
        if _HEADER.match(line):
            break
        if path and re.match(rf'^\s*"?{re.escape(str(path[0]))}"?\s*=', line):
            return number
    return 1


class Reader:
    def __init__(self, file: str, text: str) -> None:
        self.file, self.lines, self.problems = file, text.splitlines(), list[Problem]()

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(
            Problem(Source(self.file, line_of(self.lines, path)), dotted(path), message)
        )

    def table(self, value: Any, path: KeyPath, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, "must be a table")
            return {}
        for key in value:
            if allowed is not None and key not in allowed:
                self.problem(
                    (*path, key), f"unknown key {key!r}; allowed here: {', '.join(allowed)}"
                )
        return value

    def value(
        self, table: dict[str, Any], key: str, path: KeyPath, parse: Callable[[Any], T], default: T
    ) -> T:
        if key not in table:
            return default
        try:
            return parse(table[key])
        except ValueError as err:
            self.problem((*path, key), str(err))
            return default

    def required(
        self, table: dict[str, Any], key: str, path: KeyPath, parse: Callable[[Any], T]
    ) -> T | None:
        if key not in table:
            self.problem((*path, key), "is required")
            return None
        return self.value(table, key, path, parse, None)


def number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError('must be a number or a decimal string like "0.5"')
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not result.is_finite() or result < 0:
        raise ValueError("must be a finite number, not negative")
    return result


def positive(value: Any) -> Decimal:
    result = number(value)
    if result <= 0:
        raise ValueError("must be more than 0")
    return result


def count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number, not negative")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be non-empty text")
    return value.strip()


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of names")
    return tuple(text(v) for v in value)
