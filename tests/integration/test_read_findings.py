"""The stored findings equal the domain's audit, and the queue paged in SQL equals paging all
findings in memory, after random writes and reviews, on both databases."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.access import within_any
from stakhanov.domain.audit import Decision, audit, review_of
from stakhanov.domain.periods import Period
from stakhanov.services import audit_queue, dashboard, reports, reviews
from stakhanov.services.audit_queue import Query, Sort
from stakhanov.services.reviews import ReviewedFinding
from tests.integration.test_read_model import ACTIONS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage

YEAR = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))
SCOPES = (None, ["Mine/Section 1/Brigade 1"], ["Mine"], ["Works", "Mine/Section 1/Brigade 2"], [])


def reference_all(engine: Engine, subtrees: list[str] | None) -> list[ReviewedFinding]:
    """Every finding from the domain's audit of the ledger, each with its latest review."""
    ledger = reports.ledger_for(engine, YEAR)
    found = [
        f
        for f in audit(ledger, YEAR.start, YEAR.end)
        if subtrees is None or within_any(ledger.shifts[f.shift_id].workplace, subtrees)
    ]
    with engine.connect() as connection:
        held = reviews.load_reviews(connection)
    return [ReviewedFinding(f, review_of(f, held)) for f in found]


def reference_page(found: list[ReviewedFinding], query: Query) -> tuple[Any, ...]:
    """The queue as it was computed before: filter, count, sort and page in memory."""

    def keep(f: ReviewedFinding, by_kind: bool = True, by_status: bool = True) -> bool:
        return (
            (not by_kind or not query.kinds or f.finding.kind.value in query.kinds)
            and (not by_status or not query.status or f.status == query.status)
            and (not query.worker or query.worker in f.finding.worker_ids)
            and (not query.period or f.finding.date in query.period)
        )

    def key(item: ReviewedFinding) -> tuple[str, ...]:
        f = item.finding
        date = f.date.isoformat() if f.date else ""
        first = {
            Sort.DATE: date,
            Sort.KIND: f.kind.value,
            Sort.SHIFT: f.shift_id,
            Sort.STATUS: item.status,
        }[query.sort]
        return (first, date, f.shift_id, f.kind.value, f.operation or "")

    kinds = Counter(f.finding.kind.value for f in found if keep(f, by_kind=False))
    statuses = Counter(f.status for f in found if keep(f, by_status=False))
    chosen = sorted((f for f in found if keep(f)), key=key, reverse=query.descending)
    pages = max((len(chosen) + query.size - 1) // query.size, 1)
    page = min(max(query.page, 1), pages)
    start = (page - 1) * query.size
    return chosen[start : start + query.size], len(chosen), page, pages, kinds, statuses


QUERIES = [
    Query(status=None, sort=sort, descending=descending, size=3, page=page)
    for sort, descending, page in itertools.product(Sort, (False, True), (1, 2, 9))
] + [
    Query(),
    Query(status="explained", size=2),
    Query(kinds=frozenset({"implausible", "prepared"}), status=None, worker="H1"),
    Query(unit="Mine/Section 1/Brigade 1", worker="T1", status="open"),
    Query(unit="Works", status=None, sort=Sort.STATUS),
    Query(status="open", sort=Sort.STATUS, descending=True, size=2, page=2),
    # Whole months are counted from the counts kept; a period inside a month in SQL.
    Query(period=Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31)), status=None),
    Query(period=Period(dt.date(1935, 10, 2), dt.date(1935, 10, 31)), status="open"),
    Query(period=YEAR, unit="Mine", kinds=frozenset({"pooled"}), status="upheld"),
]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=1, max_size=5),
    decisions=st.lists(st.tuples(st.integers(0, 50), st.sampled_from(Decision)), max_size=4),
)
def test_stored_findings_are_the_audit_and_the_queue_pages_them(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    decisions: list[Any],
) -> None:
    acted(loaded, actions)
    every = reference_all(loaded, None)
    for index, decision in decisions:
        if every:
            f = every[index % len(every)].finding
            reviews.review(loaded, f.kind, f.shift_id, f.operation, decision, "seen", "auditor")
    for subtrees in SCOPES:
        expected = reference_all(loaded, subtrees)
        assert dashboard.findings(loaded, YEAR, subtrees) == [r.finding for r in expected]
        for status in (None, "open", "explained", "upheld"):  # GET /api/audit, paged in SQL
            chosen = [r for r in expected if status is None or r.status == status]
            for limit, offset in ((None, 0), (2, 0), (2, 2), (3, 5)):
                got = dashboard.reviewed(loaded, YEAR, subtrees, None, status, limit, offset)
                end = None if limit is None else offset + limit
                assert got == chosen[offset:end], (status, limit, offset)
        counts = Counter(r.finding.kind.value for r in expected)
        assert dashboard.finding_counts(loaded, YEAR, subtrees) == counts
        for query in QUERIES:
            narrowed = audit_queue.narrowed(subtrees, query.unit)
            seen = reference_all(loaded, narrowed) if narrowed != subtrees else expected
            found = audit_queue.queue(loaded, subtrees, query)
            page = (found.items, found.total, found.page, found.pages, found.kinds, found.statuses)
            assert page == reference_page(seen, query), query
            every_page = Query(**{**query.__dict__, "page": 1, "size": 10_000})
            assert (
                audit_queue.matching(loaded, subtrees, query) == reference_page(seen, every_page)[0]
            )
