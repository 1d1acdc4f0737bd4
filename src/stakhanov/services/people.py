"""The workers list as pages: the store searches, sorts and counts in SQL (store/worker_lists)."""

from __future__ import annotations

from collections.abc import Sequence

from stakhanov.domain.units import is_within
from stakhanov.domain.workers import Worker
from stakhanov.store import worker_lists
from stakhanov.store.db import Source, reading

SORTS = worker_lists.SORTS


def worker_page(
    engine: Source,
    subtrees: Sequence[str] | None,
    unit: str | None,
    q: str,
    sort: str,
    descending: bool,
    page: int,
    per_page: int,
) -> tuple[list[Worker], int]:
    """One page of the workers in scope (and under `unit`, itself in scope), with their count."""
    within: Sequence[str] | None = subtrees
    if unit:
        within = [unit] if subtrees is None or any(is_within(unit, s) for s in subtrees) else []
    with reading(engine) as connection:
        return worker_lists.worker_page(
            connection, within, q.split(), sort, descending, per_page, (page - 1) * per_page
        )
