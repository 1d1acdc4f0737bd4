"""JSON for scripts: numbers by the one policy of `domain.numbers` (as the API writes them)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from stakhanov.domain.numbers import json_value, text


def plain(value: Decimal | Fraction | float) -> str:
    """A number as the policy writes it: plain decimal text, as the domain rounded it."""
    return text(value)


def _encode(value: Any, indent: int, level: int) -> str:
    pad = "\n" + " " * (indent * (level + 1)) if indent else ""
    end = "\n" + " " * (indent * level) if indent else ""
    sep = "," + pad if indent else ", "
    if isinstance(value, Decimal | Fraction | float):
        return json.dumps(json_value(value))
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Enum):
        return json.dumps(value.value, ensure_ascii=False)
    if isinstance(value, dt.date | dt.datetime):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (
            f"{json.dumps(str(k), ensure_ascii=False)}: {_encode(v, indent, level + 1)}"
            for k, v in value.items()
        )
        return "{" + pad + sep.join(items) + end + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[" + pad + sep.join(_encode(v, indent, level + 1) for v in value) + end + "]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: Any, indent: int = 2) -> str:
    return _encode(value, indent, 0)
