"""The audit queue: findings of every period (or one), filtered, sorted and paged, and
decisions taken on many findings at once with one reason."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.access import within_any
from stakhanov.domain.audit import Finding, review_of
from stakhanov.domain.periods import Period
from stakhanov.services import reviews
from stakhanov.services.reviews import ReviewedFinding
from stakhanov.store import read_findings as stored
from stakhanov.store.db import reading

# The queue's default reaches back to the first shift ever written: nothing open is hidden
# because a newer month exists.
EVER = dt.date(1, 1, 1)


class Sort(StrEnum):
    DATE = "date"
    KIND = "kind"
    SHIFT = "shift"
    STATUS = "status"


@dataclass(frozen=True)
class Query:
    period: Period | None = None
    unit: str | None = None
    kinds: frozenset[str] = frozenset()
    status: str | None = "open"
    worker: str | None = None
    sort: Sort = Sort.DATE
    descending: bool = False
    page: int = 1
    size: int = 50


@dataclass(frozen=True)
class QueuePage:
    items: list[ReviewedFinding]
    total: int
    page: int
    pages: int
    kinds: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)


def anchor(found: ReviewedFinding) -> str:
    """A stable id for a finding's row, so that a page can come back to it."""
    f = found.finding
    raw = f"f-{f.kind.value}-{f.shift_id}-{f.operation or ''}"
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in raw)


def narrowed(subtrees: list[str] | None, unit: str | None) -> list[str] | None:
    """One's scope cut down to a unit: the unit if within it, else the parts of it in scope."""
    if not unit:
        return subtrees
    if subtrees is None or within_any(unit, subtrees):
        return [unit]
    return [s for s in subtrees if within_any(s, [unit])]


def _conditions(subtrees: list[str] | None, query: Query, by_kind: bool = True) -> list[Any]:
    """The query's filters as SQL conditions; without a period, every finding ever stored."""
    start, end = (query.period.start, query.period.end) if query.period else (None, None)
    kinds = query.kinds if by_kind else None
    return stored.where(start, end, narrowed(subtrees, query.unit), kinds, query.worker)


def _reviewed(engine: Engine, found: list[Finding]) -> list[ReviewedFinding]:
    """The findings with their latest reviews (read for these shifts only)."""
    with reading(engine) as connection:
        held = reviews.load_reviews(connection, {f.shift_id for f in found})
    return [ReviewedFinding(f, review_of(f, held)) for f in found]


def matching(engine: Engine, subtrees: list[str] | None, query: Query) -> list[ReviewedFinding]:
    """Every finding one may see that the query asks for, in its order; the counts of kinds
    and statuses are not taken here (see `queue`)."""
    with reading(engine) as connection:
        found, _ = stored.page(
            connection,
            _conditions(subtrees, query),
            query.status or None,
            query.sort.value,
            query.descending,
            None,
            0,
        )
    return _reviewed(engine, found)


def queue(engine: Engine, subtrees: list[str] | None, query: Query) -> QueuePage:
    """One page of the queue, with the counts of each kind (under the status asked for) and of
    each status (under the kinds asked for), so that the filters say what they would show.

    Filtering, counting, sorting and paging happen in SQL over the stored findings: a page
    costs what it shows, not every finding of all time (decision 0574).
    """
    status = query.status or None
    with reading(engine) as connection:
        kinds = Counter(
            stored.counts(connection, _conditions(subtrees, query, by_kind=False), "kind", status)
        )
        chosen = _conditions(subtrees, query)
        statuses = Counter(stored.counts(connection, chosen, "status", None))
        total = statuses[status] if status else sum(statuses.values())
        pages = max((total + query.size - 1) // query.size, 1)
        page = min(max(query.page, 1), pages)
        found, _ = stored.page(
            connection,
            chosen,
            status,
            query.sort.value,
            query.descending,
            query.size,
            (page - 1) * query.size,
        )
    return QueuePage(_reviewed(engine, found), total, page, pages, kinds, statuses)
