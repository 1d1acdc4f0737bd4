"""How deep a TOML text nests its inline arrays and tables, found before it is parsed.

Python's TOML parser reads `[[[[...]]]]` by recursion: a 10 KB file nested thousands deep
raises RecursionError instead of a parse error. Scanning the text first turns such a file into
a located refusal (line and key) while it is still only text.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_DEPTH = 16
"""No scale nests deeper than a few levels; 16 leaves room and stops a bomb at once."""

_OPENERS = "[{"


@dataclass(frozen=True)
class TooDeep:
    line: int
    key: str


def too_deep(text: str, limit: int = MAX_DEPTH) -> TooDeep | None:
    """The first place where inline arrays and tables nest deeper than `limit`, or None."""
    depth, line, i, n = 0, 1, 0, len(text)
    table, key, in_value, start = "", "", False, 0
    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
            if depth == 0:
                in_value, start = False, i + 1
            i += 1
        elif char == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif char in "\"'":
            i, line = _skip_string(text, i, line)
        elif not in_value and char == "[" and not text[start:i].strip():
            end = text.find("\n", i)
            end = n if end < 0 else end
            table, key = text[i:end].split("#", 1)[0].strip("[] \t\r"), ""
            i = end
        elif not in_value and char == "=":
            key, in_value = text[start:i].strip().strip("\"'"), True
            i += 1
        elif in_value and char in _OPENERS:
            depth += 1
            if depth > limit:
                return TooDeep(line, ".".join(p for p in (table, key) if p) or "-")
            i += 1
        elif in_value and char in "]}":
            depth = max(depth - 1, 0)
            i += 1
        else:
            i += 1
    return None


def _skip_string(text: str, i: int, line: int) -> tuple[int, int]:
    """The index just past the string that starts at i (basic, literal, or multi-line)."""
    quote = text[i]
    triple = text.startswith(quote * 3, i)
    close = quote * 3 if triple else quote
    j = i + len(close)
    while j < len(text):
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text.startswith(close, j):
            return j + len(close), line
        if text[j] == "\n":
            if not triple:
                return j, line  # an unclosed string: the parser will say so
            line += 1
        j += 1
    return j, line
