"""The audit queue: findings of every period (or one), filtered, sorted and paged, and
decisions taken on many findings at once with one reason."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.access import within_any
from stakhanov.domain.audit import Finding, review_of
from stakhanov.domain.finding_tally import FindingTally, status_slices
from stakhanov.domain.periods import Period
from stakhanov.services import read_sums, reviews, unit_sums
from stakhanov.services.reviews import ReviewedFinding
from stakhanov.store import finding_counts
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


def per_kind(
    connection: Connection,
    period: Period | None,
    scope: list[str] | None,
    worker: str | None = None,
) -> dict[str, int]:
    """Every finding of each kind in the period (None: all time) at workplaces in the scope:
    for whole months or all time, and no one worker, summed from the counts kept per month,
    kind and unit, a row per kind and scope (decisions 0898, 0901); else counted in SQL."""
    months = None if period is None else read_sums.whole_months(period)
    if worker or (period is not None and months is None):
        start, end = (period.start, period.end) if period else (None, None)
        return stored.per_kind(connection, stored.where(start, end, scope, None, worker))
    paths = None if scope is None else unit_sums.outermost(scope)
    return finding_counts.per_kind(connection, months, paths) if paths != [] else {}


def queue(engine: Engine, subtrees: list[str] | None, query: Query) -> QueuePage:
    """One page of the queue, with the counts of each kind (under the status asked for) and of
    each status (under the kinds asked for), so that the filters say what they would show.

    The counts come from the counts kept per kind and the reviews (few), and the page walks
    an index in the queue's order: a page costs what it shows, not every finding of all time
    (decisions 0574, 0901).
    """
    status = query.status or None
    scope = narrowed(subtrees, query.unit)
    with reading(engine) as connection:
        every = per_kind(connection, query.period, scope, query.worker)
        reviewed = stored.reviewed_per_kind(connection, _conditions(subtrees, query, False))
        tally = FindingTally(every, reviewed)
        statuses = tally.statuses(query.kinds)
        total = statuses[status] if status else sum(statuses.values())
        pages = max((total + query.size - 1) // query.size, 1)
        page = min(max(query.page, 1), pages)
        conditions, first = _conditions(subtrees, query), (page - 1) * query.size
        slices: list[tuple[str | None, int, int]] = [(status, query.size, first)]
        sort = query.sort
        if sort is Sort.STATUS:  # each status's part in date order, from the counts
            counted = {status: total} if status else statuses
            slices = [*status_slices(counted, query.descending, query.size, first)]
            sort = Sort.DATE
        found = []
        for status_, size, offset in slices:
            part, _ = stored.page(
                connection, conditions, status_, sort.value, query.descending, size, offset, total
            )
            found += part
    return QueuePage(_reviewed(engine, found), total, page, pages, tally.kinds(status), statuses)
