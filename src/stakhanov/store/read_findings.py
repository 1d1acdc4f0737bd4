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
from stakhanov.domain.finding_tally import FindingTally
from stakhanov.store import finding_counts
from stakhanov.store.lists import every_word
from stakhanov.store.read_model import INSERT_CHUNK, workplaces_within
from stakhanov.store.read_model_tables import read_findings
from stakhanov.store.review_tables import finding_reviews
from stakhanov.store.schema import crew_entries
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
    """Conditions on stored findings: period, workplaces in subtrees (the shift's current
    workplace, as the counts kept count it), kinds, one worker."""
    c = read_findings.c
    found: list[Any] = []
    if start is not None:
        found.append(c.date >= start)
    if end is not None:
        found.append(c.date <= end)
    if workplaces is not None:
        found.append(c.workplace.in_(workplaces_within(workplaces)))
    if kinds:
        found.append(c.kind.in_(sorted(kinds)))
    if worker:  # the shifts he ever stood in (by the crew's worker index), then exactly:
        # replace() is exact and case-sensitive on both databases, unlike LIKE
        stood = select(crew_entries.c.shift_id).where(crew_entries.c.worker_id == worker)
        found.append(c.shift_id.in_(stood))
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
    filters = [with_status(status)] if status else []
    inner = select(read_findings).where(*conditions, *filters).subquery()
    c, _text = inner.c, _texts(connection)
    query = (
        select(inner)
        .order_by(c.date, _text(c.shift_id), _text(func.coalesce(c.operation, "")), c.kind_order)
        .limit(limit)
        .offset(offset or None)
    )
    return [finding_of(r) for r in connection.execute(query)]


def _reviewed() -> Any:
    """(row_id, status) of every stored finding that some review names (its facts exactly):
    reviews are few, so the findings a status filter keeps or drops are found from them, not
    by working out every finding's status (decision 0898)."""
    f, rv = read_findings.c, finding_reviews.alias("named")
    named = and_(
        f.shift_id == rv.c.shift_id,
        f.kind == rv.c.kind,
        f.message == rv.c.finding_message,
        or_(f.operation == rv.c.operation, and_(f.operation.is_(None), rv.c.operation.is_(None))),
    )
    joined = read_findings.join(rv, named)
    # From the reviews' shifts, by the findings' shift index: not every finding, joined.
    some = f.shift_id.in_(select(finding_reviews.c.shift_id))
    query = select(f.row_id, status_column()).select_from(joined).where(some)
    return query.distinct().subquery()


def with_status(status: str) -> Any:
    """SQL: the finding's status is `status` (open: no review, or a latest review reopening)."""
    reviewed = _reviewed()
    row_id = read_findings.c.row_id
    if status == "open":
        return row_id.not_in(select(reviewed.c.row_id).where(reviewed.c.status != "open"))
    return row_id.in_(select(reviewed.c.row_id).where(reviewed.c.status == status))


def per_kind(connection: Connection, conditions: Sequence[Any]) -> dict[str, int]:
    """Every finding that meets the conditions, counted per kind."""
    f = read_findings.c
    query = select(f.kind, func.count()).where(*conditions).group_by(f.kind)
    return {str(k): int(n) for k, n in connection.execute(query)}


def reviewed_per_kind(
    connection: Connection, conditions: Sequence[Any]
) -> dict[tuple[str, str], int]:
    """The reviewed findings that meet the conditions, per kind and status: read from the
    reviews, which are few."""
    f = read_findings.c
    reviewed = _reviewed()
    joined = read_findings.join(reviewed, reviewed.c.row_id == f.row_id)
    query = (
        select(f.kind, reviewed.c.status, func.count())
        .select_from(joined)
        .where(*conditions)
        .group_by(f.kind, reviewed.c.status)
    )
    return {(str(k), str(s)): int(n) for k, s, n in connection.execute(query)}


def counts(
    connection: Connection, conditions: Sequence[Any], by: str, status: str | None
) -> dict[str, int]:
    """Findings per kind or per status among those that meet the conditions (and status):
    the reviewed ones' statuses from their reviews, every other finding open."""
    tally = FindingTally(
        per_kind(connection, conditions), reviewed_per_kind(connection, conditions)
    )
    if by == "kind":
        return dict(tally.kinds(status))
    found = tally.statuses()
    if status:
        return {status: found[status]} if status in found else {}
    return dict(found)


def page(
    connection: Connection,
    conditions: Sequence[Any],
    status: str | None,
    sort: str,
    descending: bool,
    limit: int | None,
    offset: int,
    total: int | None = None,
) -> tuple[list[Finding], int]:
    """One page of the findings that meet the conditions and status, sorted; and their total
    (counted here unless known).

    The order is the queue's: the sort key, then date, shift, kind and operation (a finding
    without one first), each as Python compares text, all descending or all ascending. An
    index holds each order but the status's (migration 0051), so a page stops when it is
    full. Only a sort by status works out every finding's status; a status filter is found
    from the reviews.
    """
    by_status = sort not in ("date", "kind", "shift")
    filters = [with_status(status)] if status else []
    columns = (read_findings, status_column()) if by_status else (read_findings,)
    inner = select(*columns).where(*conditions, *filters).subquery()
    c, _text = inner.c, _texts(connection)
    if total is None:
        total = connection.scalar(select(func.count()).select_from(inner)) or 0
    first = c.status if by_status else {"date": c.date, "kind": c.kind, "shift": c.shift_id}[sort]
    rest = [k for k in (c.date, c.shift_id, c.kind) if k is not first]
    keys = [k if k is c.date else _text(k) for k in (first, *rest)]
    query = (
        select(inner)
        .order_by(
            *(k.desc() if descending else k for k in keys),
            _operation(connection, c.operation, descending),
            c.row_id.desc() if descending else c.row_id,  # ties of one finding's facts
        )
        .limit(limit)
        .offset(offset or None)
    )
    return [finding_of(r) for r in connection.execute(query)], int(total)


def _operation(connection: Connection, column: Any, descending: bool) -> Any:
    """The operation in the queue's order: none first, then by code point (SQLite's own
    order of nulls; PostgreSQL is told, as its indexes hold it, migration 0051)."""
    if connection.dialect.name != "postgresql":
        return column.desc() if descending else column
    column = column.collate("C")
    return column.desc().nulls_last() if descending else column.nulls_first()


def _texts(connection: Connection) -> Any:
    """Text compared by code point on both databases, as Python compares str (SQLite's
    default already does; PostgreSQL's follows the locale unless told the C collation)."""
    if connection.dialect.name == "postgresql":
        return lambda column: column.collate("C")
    return lambda column: column
