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
from collections.abc import Callable, Mapping, Sequence
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


# One encoder for every row: json.dumps with options builds a new one on each call.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=repr)
_STRING: Callable[[str], str] = json.encoder.encode_basestring


def encode(content: Mapping[str, Canonical | None]) -> bytes:
    """The canonical bytes of a row's content (its key is not part of it), from values already
    in canonical form (`canonical_value`): the [name, value] pairs sorted by name, NULLs left
    out. Anything else a tampered cell may hold is written as its repr, so it still hashes."""
    pairs = [[name, content[name]] for name in sorted(content) if content[name] is not None]
    return _JSON.encode(pairs).encode()


def content_hash(content: Mapping[str, Canonical | None]) -> str:
    return hashlib.sha256(encode(content)).hexdigest()


def row_hasher(names: Sequence[str]) -> Callable[[Sequence[Canonical | None]], str]:
    """`content_hash` for rows given as values in the order of `names`, the sorting done once.

    The pairs are written by joining each name's JSON (encoded once) with its value's: the
    bytes `encode` gives (str, int and bool values; anything else goes through `encode`),
    without building an encoder per row, as a close hashes a row per pay line."""
    order = sorted(range(len(names)), key=names.__getitem__)
    named = [(names[i], i) for i in order]
    opened = [("[" + _JSON.encode(name) + ",", i) for name, i in named]

    def hashed(values: Sequence[Canonical | None]) -> str:
        parts = []
        for start, i in opened:
            value = values[i]
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                parts.append(start + _STRING(str(value)) + "]")
            elif kind is int:
                parts.append(start + int.__repr__(int(value)) + "]")
            elif kind is bool:
                parts.append(start + ("true]" if value else "false]"))
            else:  # what a tampered cell may hold: as `encode` writes it
                pairs = [[name, values[i]] for name, i in named if values[i] is not None]
                return hashlib.sha256(_JSON.encode(pairs).encode()).hexdigest()
        return hashlib.sha256(("[" + ",".join(parts) + "]").encode()).hexdigest()

    return hashed


def link_hash(previous: str, table: str, key: str, batch: int | None, content: str) -> str:
    """A link's hash covers the previous link's, where the row sits, and what it holds."""
    text = f"{previous}\n{table}\n{key}\n{'' if batch is None else batch}\n{content}"
    return hashlib.sha256(text.encode()).hexdigest()
