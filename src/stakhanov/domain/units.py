"""The organisation tree. A unit is addressed by its path: trust/enterprise/section/brigade."""

from __future__ import annotations

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say

SEPARATOR = "/"


def parse_path(text: str, field: str = "unit") -> str:
    """Normalise a unit path (trim each segment) or raise if a segment is empty."""
    parts = [part.strip() for part in text.split(SEPARATOR)]
    if not text.strip() or any(not part for part in parts):
        raise InvalidValue(field, text, say("must be a path like 'Mine/Section 8/Brigade 1'"))
    return SEPARATOR.join(parts)


def ancestors(path: str) -> list[str]:
    """Every unit from the root down to and including this one."""
    parts = path.split(SEPARATOR)
    return [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def parent(path: str) -> str | None:
    head, sep, _ = path.rpartition(SEPARATOR)
    return head if sep else None


def is_within(path: str, subtree: str) -> bool:
    """True if path is the subtree's root or lies below it."""
    return path == subtree or path.startswith(subtree + SEPARATOR)
