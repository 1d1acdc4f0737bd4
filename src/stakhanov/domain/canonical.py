"""The canonical form of a stored row, and the hashes of the tamper-evident chain.

A row's content is the sorted list of its (column, value) pairs without its key and without
NULLs (a column added later, still empty, leaves old hashes as they were), each value written
one exact way whatever the database returned: an exact decimal as its integer micro-units, a
date as ISO text, a time stamp as UTC ISO text with microseconds. SQLite and PostgreSQL give
the same bytes, so a chain computed on one verifies on the other after a restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal

from stakhanov.domain.values import STORED_PLACES

Value = str | int | bool | Decimal | dt.date | dt.datetime | None
Canonical = str | int | bool
GENESIS = "0" * 64


def canonical_value(value: Value) -> Canonical:
    """One JSON-ready form per value, the same for every database driver."""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        scaled = value.scaleb(STORED_PLACES)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} is not an exact stored decimal")
        return int(scaled)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # SQLite gives the UTC wall time without a zone
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"no canonical form for {type(value).__name__}")


def encode(content: Mapping[str, Canonical | None]) -> bytes:
    """The canonical bytes of a row's content (its key is not part of it), from values already
    in canonical form (`canonical_value`); anything else a tampered cell may hold is written as
    its repr, so it still hashes and never stops a verification."""
    pairs = sorted((name, value) for name, value in content.items() if value is not None)
    return json.dumps(pairs, ensure_ascii=False, separators=(",", ":"), default=repr).encode()


def content_hash(content: Mapping[str, Canonical | None]) -> str:
    return hashlib.sha256(encode(content)).hexdigest()


def link_hash(previous: str, table: str, key: str, batch: int | None, content: str) -> str:
    """A link's hash covers the previous link's, where the row sits, and what it holds."""
    text = f"{previous}\n{table}\n{key}\n{'' if batch is None else batch}\n{content}"
    return hashlib.sha256(text.encode()).hexdigest()
