"""Objects kept in a temporary file one after another and read back in the same order: what a
close spools (its slips, the chain's prepared hashes) instead of holding it in memory."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import IO, Any


def keep(file: IO[bytes], item: Any) -> None:
    pickle.dump(item, file, protocol=pickle.HIGHEST_PROTOCOL)


def kept(file: IO[bytes]) -> Iterator[Any]:
    """Every item kept in the file, from its start, in the order kept."""
    file.seek(0)
    while True:
        try:
            yield pickle.load(file)
        except EOFError:
            return
