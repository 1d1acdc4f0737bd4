"""The audit queue: findings of every period (or one), filtered, sorted and paged, and
decisions taken on many findings at once with one reason."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Engine

from stakhanov.domain.access import within_any
from stakhanov.domain.periods import Period
from stakhanov.services import dashboard
from stakhanov.services.reviews import ReviewedFinding

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


def _key(sort: Sort) -> Callable[[ReviewedFinding], tuple[str, ...]]:
    def by(item: ReviewedFinding) -> tuple[str, ...]:
        f = item.finding
        date = f.date.isoformat() if f.date else ""
        first = {
            Sort.DATE: date,
            Sort.KIND: f.kind.value,
            Sort.SHIFT: f.shift_id,
            Sort.STATUS: item.status,
        }[sort]
        return (first, date, f.shift_id, f.kind.value, f.operation or "")

    return by


def matching(engine: Engine, subtrees: list[str] | None, query: Query) -> list[ReviewedFinding]:
    """Every finding one may see that the query asks for, in its order; the counts of kinds
    and statuses are not taken here (see `queue`)."""
    return _sorted(_filtered(_all(engine, subtrees, query), query, by_kind=True), query)


def _all(engine: Engine, subtrees: list[str] | None, query: Query) -> list[ReviewedFinding]:
    period = query.period
    if period is None:
        latest = dashboard.latest_date(engine) or dt.date.today()
        period = Period(EVER, latest)
    return dashboard.reviewed(engine, period, narrowed(subtrees, query.unit))


def _filtered(
    found: list[ReviewedFinding], query: Query, by_kind: bool = True, by_status: bool = True
) -> list[ReviewedFinding]:
    return [
        f
        for f in found
        if (not by_kind or not query.kinds or f.finding.kind.value in query.kinds)
        and (not by_status or not query.status or f.status == query.status)
        and (not query.worker or query.worker in f.finding.worker_ids)
    ]


def _sorted(found: list[ReviewedFinding], query: Query) -> list[ReviewedFinding]:
    return sorted(found, key=_key(query.sort), reverse=query.descending)


def queue(engine: Engine, subtrees: list[str] | None, query: Query) -> QueuePage:
    """One page of the queue, with the counts of each kind (under the status asked for) and of
    each status (under the kinds asked for), so that the filters say what they would show."""
    everything = _all(engine, subtrees, query)
    kinds = Counter(f.finding.kind.value for f in _filtered(everything, query, by_kind=False))
    statuses = Counter(f.status for f in _filtered(everything, query, by_status=False))
    chosen = _sorted(_filtered(everything, query), query)
    pages = max((len(chosen) + query.size - 1) // query.size, 1)
    page = min(max(query.page, 1), pages)
    start = (page - 1) * query.size
    return QueuePage(chosen[start : start + query.size], len(chosen), page, pages, kinds, statuses)
