"""JSON for scripts: numbers by the one policy of `domain.numbers` (as the API writes them)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, TextIO

from stakhanov.domain.numbers import json_value, text


def plain(value: Decimal | Fraction | float) -> str:
    """A number as the policy writes it: plain decimal text, as the domain rounded it."""
    return text(value)


def _jsonable(value: Any) -> Any:
    """The value with every number in its policy form and every date as ISO text, ready for
    the json module (which then writes it in C where it can, not a call per value)."""
    if isinstance(value, Decimal | Fraction | float):
        return json_value(value)
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: Any, indent: int = 2) -> str:
    """JSON text of the value: indented (0: on one line), UTF-8 text kept as it is."""
    return json.dumps(_jsonable(value), indent=indent or None, ensure_ascii=False)


def write_list(rows: Iterable[Any], out: TextIO) -> None:
    """`dumps(list(rows))` and a newline, written a row at a time: a report of half a million
    rows is never held as one text, nor converted whole."""
    written = False
    for row in rows:
        out.write(",\n" if written else "[\n")
        out.write("  " + dumps(row).replace("\n", "\n  "))  # JSON escapes newlines in text
        written = True
    out.write("\n]\n" if written else "[]\n")
