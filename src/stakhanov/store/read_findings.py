"""The stored audit findings: replaced with a shift's results, filtered and paged in SQL.

A finding's status is its latest review of exactly its facts (kind, shift, operation and
message, as domain.audit.review_of decides), joined when read; `open` without one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from stakhanov.domain.audit import Finding, FindingKind
from stakhanov.store import finding_counts
from stakhanov.store.lists import every_word
from stakhanov.store.read_model import INSERT_CHUNK, shifts_at_query
from stakhanov.store.read_model_tables import read_findings
from stakhanov.store.review_tables import finding_reviews
from stakhanov.store.types import stored_date

ORDER = {kind: i for i, kind in enumerate(FindingKind)}


def replace(connection: Connection, shifts_sql: str | None, found: Iterable[Finding]) -> None:
    """Delete the findings of the shifts `shifts_sql` selects (None: all), insert `found`,
    each with its shift's workplace, and move the counts by what changed."""
    found = list(found)
    old = None if shifts_sql is None else finding_counts.held(connection, shifts_sql)
    query = delete(read_findings)
    if shifts_sql is not None:
        query = query.where(read_findings.c.shift_id.in_(text(shifts_sql)))
    connection.execute(query)
    places = finding_counts.workplaces(connection, shifts_sql)
    rows = [
        {
            "shift_id": f.shift_id,
            "date": f.date,
            "kind": f.kind.value,
            "kind_order": ORDER[f.kind],
            "operation": f.operation,
            "workers": "," + ",".join(f.worker_ids) + ",",
            "message": f.message,
            "workplace": places.get(f.shift_id),
        }
        for f in found
    ]
    for i in range(0, len(rows), INSERT_CHUNK):
        connection.execute(insert(read_findings), rows[i : i + INSERT_CHUNK])
    kept = Counter((f.date, places.get(f.shift_id), f.kind.value) for f in found if f.date)
    change = finding_counts.counted((d, w, k, n) for (d, w, k), n in kept.items())
    if old is not None:
        change.subtract(old)
    finding_counts.add(connection, change, clear=old is None)


def status_column() -> ColumnElement[str]:
    """The decision of the latest review of exactly this finding, else 'open'."""
    r, f = finding_reviews.c, read_findings.c
    latest = (
        select(r.decision)
        .where(
            r.kind == f.kind,
            r.shift_id == f.shift_id,
            or_(r.operation == f.operation, and_(r.operation.is_(None), f.operation.is_(None))),
            r.finding_message == f.message,
        )
        .order_by(r.review_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, literal("open")).label("status")


def where(
    start: dt.date | None,
    end: dt.date | None,
    workplaces: Sequence[str] | None,
    kinds: Iterable[str] | None,
    worker: str | None,
) -> list[Any]:
    """Conditions on stored findings: period, workplaces in subtrees, kinds, one worker."""
    c = read_findings.c
    found: list[Any] = []
    if start is not None:
        found.append(c.date >= start)
    if end is not None:
        found.append(c.date <= end)
    if workplaces is not None:
        found.append(c.shift_id.in_(shifts_at_query(workplaces)))
    if kinds:
        found.append(c.kind.in_(sorted(kinds)))
    if worker:  # replace() is exact and case-sensitive on both databases, unlike LIKE
        found.append(func.replace(c.workers, f",{worker},", "") != c.workers)
    return found


def with_words(words: Sequence[str]) -> list[Any]:
    """Conditions: each word in a finding's text as the lock check lists it (`Blocker.words`:
    kind, shift, operation, workers, message; a word never spans a space, so the spacing
    between them does not matter)."""
    c = read_findings.c
    space = literal(" ")
    text_ = (
        c.kind
        + space
        + c.shift_id
        + space
        + func.coalesce(c.operation, "")
        + space
        + func.replace(c.workers, ",", " ")
        + space
        + c.message
    )
    return every_word([text_], words)


def finding_of(row: Any) -> Finding:
    date = stored_date(row.date)
    return Finding(
        FindingKind(row.kind),
        row.shift_id,
        row.operation,
        tuple(w for w in row.workers.split(",") if w),
        row.message,
        date,
    )


def in_audit_order(
    connection: Connection,
    conditions: Sequence[Any],
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Finding]:
    """The findings that meet the conditions (and review status), in the audit's order; only
    `limit` of them after `offset` when given."""
    columns = (read_findings, status_column()) if status else (read_findings,)
    inner = select(*columns).where(*conditions).subquery()
    c, _text = inner.c, _texts(connection)
    query = (
        select(inner)
        .order_by(c.date, _text(c.shift_id), _text(func.coalesce(c.operation, "")), c.kind_order)
        .limit(limit)
        .offset(offset or None)
    )
    if status:  # the latest review's decision is joined only when it filters
        query = query.where(c.status == status)
    return [finding_of(r) for r in connection.execute(query)]


def counts(
    connection: Connection, conditions: Sequence[Any], by: str, status: str | None
) -> dict[str, int]:
    """Findings per kind or per status among those that meet the conditions (and status)."""
    inner = select(read_findings.c.kind, status_column()).where(*conditions).subquery()
    column = inner.c.kind if by == "kind" else inner.c.status
    query = select(column, func.count()).group_by(column)
    if status:
        query = query.where(inner.c.status == status)
    return {str(k): int(n) for k, n in connection.execute(query)}


def page(
    connection: Connection,
    conditions: Sequence[Any],
    status: str | None,
    sort: str,
    descending: bool,
    limit: int | None,
    offset: int,
) -> tuple[list[Finding], int]:
    """One page of the findings that meet the conditions and status, sorted; and their total.

    The order is the queue's: the sort key, then date, shift, kind and operation, each as
    Python compares text (the C collation), all descending or all ascending.
    """
    inner = select(read_findings, status_column()).where(*conditions).subquery()
    c, _text = inner.c, _texts(connection)
    filters = [c.status == status] if status else []
    total = connection.scalar(select(func.count()).select_from(inner).where(*filters)) or 0
    first = {"date": c.date, "kind": _text(c.kind), "shift": _text(c.shift_id)}.get(
        sort, _text(c.status)
    )
    keys = [
        first,
        c.date,
        _text(c.shift_id),
        _text(c.kind),
        _text(func.coalesce(c.operation, "")),
    ]
    query = (
        select(inner)
        .where(*filters)
        .order_by(*(k.desc() if descending else k for k in keys))
        .limit(limit)
        .offset(offset or None)
    )
    return [finding_of(r) for r in connection.execute(query)], int(total)


def _texts(connection: Connection) -> Any:
    """Text compared by code point on both databases, as Python compares str (SQLite's
    default already does; PostgreSQL's follows the locale unless told the C collation)."""
    if connection.dialect.name == "postgresql":
        return lambda column: column.collate("C")
    return lambda column: column
