"""Findings counted per month, kind and unit, kept with the stored findings (decision 0898).

A finding counts for every unit above its shift's workplace and for '' (everywhere). When a
write replaces some shifts' findings, their old counts are taken away and the new added, so
the overview's tiles read a row per kind and scope, not the month's findings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, insert, select, text

from stakhanov.domain.units import ancestors
from stakhanov.store.ledger import current_query
from stakhanov.store.read_model import KEYS_AT_ONCE, one_of
from stakhanov.store.read_model_tables import read_finding_counts, read_findings
from stakhanov.store.records import SHIFTS
from stakhanov.store.types import stored_date

EVERYWHERE = ""
Counted = Counter[tuple[dt.date, str, str]]  # (month, unit path, kind): findings


def workplaces(connection: Connection, shifts_sql: str | None) -> dict[str, str]:
    """The current workplace of each shift `shifts_sql` selects (None: every shift)."""
    shifts = current_query(SHIFTS).order_by(None).subquery()
    query = select(shifts.c.shift_id, shifts.c.workplace)
    if shifts_sql is not None:
        query = query.where(shifts.c.shift_id.in_(text(shifts_sql)))
    return {r.shift_id: r.workplace for r in connection.execute(query)}


def held(connection: Connection, shifts_sql: str | None) -> Counted:
    """The stored findings of the shifts `shifts_sql` selects (None: all), counted."""
    c = read_findings.c
    query = select(c.date, c.workplace, c.kind, func.count()).group_by(c.date, c.workplace, c.kind)
    if shifts_sql is not None:
        query = query.where(c.shift_id.in_(text(shifts_sql)))
    return counted((stored_date(d), w, k, n) for d, w, k, n in connection.execute(query))


def counted(findings: Iterable[tuple[dt.date, str | None, str, int]]) -> Counted:
    """(date, workplace, kind, findings) counted per month, kind and every unit above."""
    found: Counted = Counter()
    for date, workplace, kind, n in findings:
        month = date.replace(day=1)
        for path in (EVERYWHERE, *(ancestors(workplace) if workplace else ())):
            found[(month, path, kind)] += n
    return found


def add(connection: Connection, change: Counted, clear: bool = False) -> None:
    """Add the change to the counts held (`clear`: none are held), a row reaching 0 going."""
    t = read_finding_counts
    if clear:
        connection.execute(delete(t))
    changed = {k: n for k, n in change.items() if n}
    pairs = sorted({(m, p) for m, p, _ in changed})
    held: Counted = Counter()
    for i in range(0, 0 if clear else len(pairs), KEYS_AT_ONCE):
        where = one_of((t.c.month, t.c.unit_path), pairs[i : i + KEYS_AT_ONCE])
        columns = (t.c.month, t.c.unit_path, t.c.kind, t.c.findings)
        for r in connection.execute(select(*columns).where(where)):
            held[(stored_date(r.month), r.unit_path, r.kind)] += r.findings
        connection.execute(delete(t).where(where))
    held.update(changed)
    rows = [
        {"month": m, "unit_path": p, "kind": k, "findings": n}
        for (m, p, k), n in sorted(held.items())
        if n
    ]
    for i in range(0, len(rows), KEYS_AT_ONCE):
        connection.execute(insert(t), rows[i : i + KEYS_AT_ONCE])


def per_kind(
    connection: Connection, months: tuple[dt.date, dt.date] | None, paths: Sequence[str] | None
) -> dict[str, int]:
    """Findings per kind in the months (None: all time), at workplaces within the units
    (None: everywhere)."""
    t = read_finding_counts
    chosen = [EVERYWHERE] if paths is None else list(paths)
    when = [] if months is None else [t.c.month >= months[0], t.c.month <= months[1]]
    query = (
        select(t.c.kind, func.sum(t.c.findings))
        .where(*when, t.c.unit_path.in_(chosen))
        .group_by(t.c.kind)
    )
    return {str(k): int(n) for k, n in connection.execute(query) if n}


def is_missing(connection: Connection) -> bool:
    """True when findings are stored but not counted (a database from before the counts)."""
    found = connection.scalar(select(read_findings.c.row_id).limit(1))
    counts = connection.scalar(select(read_finding_counts.c.row_id).limit(1))
    return found is not None and counts is None


def fill(connection: Connection) -> None:
    """Give the stored findings their shift's workplace and count them (an upgrade)."""
    places = workplaces(connection, None)
    c = read_findings.c
    shifts = sorted({s for (s,) in connection.execute(select(c.shift_id).distinct())})
    by_place: dict[str, list[str]] = {}
    for shift_id in shifts:
        by_place.setdefault(places.get(shift_id, ""), []).append(shift_id)
    for place, ids in by_place.items():
        for i in range(0, len(ids), KEYS_AT_ONCE):
            part = ids[i : i + KEYS_AT_ONCE]
            connection.execute(
                read_findings.update().where(c.shift_id.in_(part)).values(workplace=place or None)
            )
    add(connection, held(connection, None), clear=True)
