"""The read model: every result derived when its shift is written, read back by scope.

A write that changes the ledger calls `refresh` inside its own transaction: the shifts it
touched are recomputed by the engine (the domain where the engine cannot stay exact) and
their rows replaced, so pages read what they show instead of recomputing the period.
`rebuild` recomputes everything from the ledger; tests prove the two always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov import engine as set_based
from stakhanov.domain.audit import audit
from stakhanov.domain.fulfilment import (
    Fulfilment,
    Grouping,
    Result,
    add_up,
    aggregate,
    key_function,
    results,
)
from stakhanov.domain.hours import hours_text, text_hours
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.periods import Period
from stakhanov.engine import stored
from stakhanov.services import ordinary_sums, read_sums
from stakhanov.services import unit_sums as kept_unit_sums
from stakhanov.store import finding_counts
from stakhanov.store import read_findings as stored_findings
from stakhanov.store import read_model as store
from stakhanov.store import unit_sums as unit_store
from stakhanov.store.db import Source, reading
from stakhanov.store.frames import UNKNOWN_HOME, Roster, frames_on, roster_of
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.watermarks import snapshot_reads

EVER = (dt.date(1, 1, 1), dt.date(9999, 12, 31))


SHIFTS_AT_ONCE = 10_000
"""A refresh recomputes the shifts a batch touched this many at a time (decision 0882)."""


def refresh(connection: Connection, batch_id: int) -> int:
    """Recompute the results of every shift the batch touched; the rows written.

    The shifts are taken a slice at a time: each slice's results and findings are replaced and
    what it touched noted, then the month and day sums are summed again a slice of workers
    (of homes) at a time, so a month of millions of crew rows never sits in memory at once.
    """
    store.plan_for_batch(connection, batch_id)
    slices = store.shift_slices(connection, store.touched_shifts(batch_id), SHIFTS_AT_ONCE)
    held = roster_of(connection)
    touched = read_sums.Touched()
    written = 0
    for part in slices:
        old = read_sums.before(connection, part)
        written += _replace(connection, part, held)
        touched.add(connection, old, part)
    touched.finish(connection, f"SELECT shift_id FROM {store.SLICED}")
    store.end_slices(connection)
    return written


def rebuild(engine: Engine) -> int:
    """Recompute the whole read model from the ledger in one transaction; the rows written."""
    with engine.begin() as connection:
        return _recompute(connection, None)


def rebuild_if_stale(engine: Engine) -> bool:
    """Rebuild a read model a database from before it (or its month sums) never filled."""
    with engine.connect() as connection:
        stale = store.is_stale(connection) or read_sums.is_stale(connection)
    if stale:
        rebuild(engine)
        return True
    filled = False
    with engine.begin() as connection:
        if unit_store.is_missing(connection):
            kept_unit_sums.roll_up(connection)
            filled = True
        if finding_counts.is_missing(connection):
            finding_counts.fill(connection)
            filled = True
        if ordinary_sums.is_missing(connection):
            ordinary_sums.fill(connection)
            filled = True
    return filled


def _recompute(connection: Connection, shifts_sql: str | None) -> int:
    old = read_sums.before(connection, shifts_sql)
    written = _replace(connection, shifts_sql)
    read_sums.refresh(connection, old, shifts_sql)
    return written


def _replace(connection: Connection, shifts_sql: str | None, held: Roster | None = None) -> int:
    """Replace the touched shifts' results and findings with what the ledger decides now."""
    rows: Iterable[tuple[Any, ...] | dict[str, Any]]
    try:
        frames = frames_on(connection, *EVER, shifts_sql=shifts_sql, roster=held)
        rows, findings = set_based.read_model_rows(frames)
    except set_based.Unsupported:
        ledger_store = LedgerStore(connection)
        ids = None
        if shifts_sql is not None:
            ids = list(shift_ids(connection, shifts_sql))
        ledger = ledger_store.snapshot(ids)
        findings = audit(ledger, *EVER)
        homes = {w.worker_id: w.unit for w in ledger.workers.values()}
        rows = [_row(r, homes.get(r.worker_id, UNKNOWN_HOME)) for r in results(ledger, *EVER)]
    stored_findings.replace(connection, shifts_sql, findings)
    return store.replace(connection, shifts_sql, rows)


def _parts(value: Fraction | None) -> tuple[str | None, str | None]:
    return (None, None) if value is None else (str(value.numerator), str(value.denominator))


def _row(result: Result, home: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "shift_id": result.shift_id,
        "date": result.date,
        "worker_id": result.worker_id,
        "home": home,
        "operation": result.operation,
        "hours": hours_text(result.hours),  # 1/3 where no decimal holds the hours
        "output": format(result.output, "f"),
        "unit": result.unit,
        "assisted": result.assisted,
        "pooled": result.pooled,
        "prepared": result.prepared,
    }
    for name, value in (
        ("norm_output", result.norm_output),
        ("earned", result.earned),
        ("fair", result.fair_earned),
    ):
        row[f"{name}_num"], row[f"{name}_den"] = _parts(value)
    return row


def _ratio(row: dict[str, Any], name: str) -> Fraction | None:
    num, den = row[f"{name}_num"], row[f"{name}_den"]
    return None if num is None else Fraction(int(num), int(den))


def result_of(row: dict[str, Any]) -> Result:
    """A stored row as the domain's Result, exactly as it was computed."""
    date = row["date"]
    return Result(
        shift_id=row["shift_id"],
        date=dt.date.fromisoformat(date) if isinstance(date, str) else date,
        worker_id=row["worker_id"],
        operation=row["operation"],
        hours=text_hours(row["hours"]),
        output=Decimal(row["output"]),
        unit=row["unit"],
        norm_output=_ratio(row, "norm_output"),
        earned=_ratio(row, "earned"),
        fair_earned=_ratio(row, "fair"),
        assisted=bool(row["assisted"]),
        pooled=bool(row["pooled"]),
        prepared=bool(row["prepared"]),
    )


def fulfilment(
    engine: Source,
    period: Period,
    grouping: Grouping,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> list[Fulfilment]:
    """Fulfilment from the sums of the scope only; from its stored rows where they cannot.

    By worker or unit, the whole months of a period are summed from the month sums and the
    days around them (or a period inside one month) from the day sums (read_sums): the cost
    grows with the workers, units and days shown, never with their crew rows. Other groupings
    and a unit roll-up over several scopes sum the period's rows, set-based.
    """
    months, around = read_sums.split(period)
    with reading(engine) as connection:
        if not isinstance(engine, Connection):
            snapshot_reads(connection)  # the parts all of one state of the ledger
        parts = [] if months is None else [(months, False)]
        parts += [((p.start, p.end), True) for p in around]
        summed = [
            read_sums.fulfilment(connection, span, grouping, within, worker_id, days)
            for span, days in parts
        ]
        if any(s is None for s in summed):
            return from_rows(connection, period, grouping, within, worker_id)
    found = [s for s in summed if s is not None]
    return add_up(found) if len(found) > 1 else found[0]


def units_within(
    engine: Source, period: Period, within: Sequence[str] | None
) -> list[Fulfilment] | None:
    """Fulfilment by unit of the units within the subtrees (None: every unit; above a single
    one, its own sums too) from the kept unit sums, for a period of whole months (decision
    0904); None for other periods. Several scopes at once read a row per unit as one does."""
    months = read_sums.whole_months(period)
    if months is None:
        return None
    with reading(engine) as connection:
        return kept_unit_sums.months_fulfilment(connection, *months, within)


def from_rows(
    engine: Source,
    period: Period,
    grouping: Grouping,
    within: Sequence[str] | None,
    worker_id: str | None,
) -> list[Fulfilment]:
    """Fulfilment summed from the period's stored rows of the scope (what the sums cannot
    answer; what they answered from before decision 0599, for a period inside a month)."""
    try:
        with reading(engine) as connection:
            rows = store.results_frame(connection, period.start, period.end, within, worker_id)
        homes = dict(zip(rows["worker_id"].to_pylist(), rows["home"].to_pylist(), strict=True))
        return stored.fulfilment(rows, homes, grouping, within)
    except set_based.Unsupported:
        with reading(engine) as connection:
            found = store.rows_of(connection, period.start, period.end, within, worker_id)
        homes = {r["worker_id"]: r["home"] for r in found}
        home = lambda worker: homes.get(worker, UNKNOWN_HOME)  # noqa: E731
        return aggregate([result_of(r) for r in found], key_function(grouping, home))


def stored_results(
    engine: Source,
    period: Period,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> list[Result]:
    """The period's results of workers at home within the subtrees (None: all), or of one."""
    return [result for result, _ in stored_with_homes(engine, period, within, worker_id)]


def stored_with_homes(
    engine: Source,
    period: Period,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> list[tuple[Result, str]]:
    """stored_results, each with its worker's home unit."""
    with reading(engine) as connection:
        rows = store.rows_of(connection, period.start, period.end, within, worker_id)
    return [(result_of(r), r["home"]) for r in rows]


def shift_page(
    connection: Connection,
    period: Period,
    workplaces: Sequence[str] | None,
    worker_id: str | None,
    limit: int | None,
    offset: int,
    search: str | None = None,
    sort: str = "date",
    descending: bool = True,
) -> list[str]:
    """Ids of a page of the period's shifts, newest first (see store.read_model.shift_page)."""
    return store.shift_page(
        connection,
        period.start,
        period.end,
        workplaces,
        worker_id,
        limit,
        offset,
        search,
        sort,
        descending,
    )


def shift_count(
    connection: Connection, period: Period, workplaces: Sequence[str] | None, search: str | None
) -> int:
    return store.shift_count(connection, period.start, period.end, workplaces, search)


def shifts_at(workplaces: Sequence[str], dialect: str) -> str:
    """SQL of the shifts at workplaces within the subtrees, for frames_on on that database."""
    return store.shifts_at(workplaces, dialect)


def shift_ids(connection: Connection, shifts_sql: str) -> set[str]:
    return {r[0] for r in connection.exec_driver_sql(shifts_sql)}


def shifts_snapshot(connection: Connection, shift_ids: Sequence[str]) -> Ledger:
    """The shifts with their crews' workers and the norms (store.read_model.shifts_snapshot)."""
    return store.shifts_snapshot(connection, shift_ids)


Sums = list[tuple[Any, Decimal, Fraction, Fraction]]


def day_sums(
    engine: Source, period: Period, within: Sequence[str] | None, worker_id: str | None
) -> Sums | None:
    """(date, hours, earned, fair) of normed results per day, set-based; None where inexact.

    A scope's days are summed from the day sums (a row per day and home); one worker's from
    their own rows.
    """
    if worker_id is None:
        with reading(engine) as connection:
            return read_sums.day_totals(connection, period, within)
    with reading(engine) as connection:
        rows = store.results_frame(connection, period.start, period.end, within, worker_id)
    try:
        return stored.totals(rows)
    except set_based.Unsupported:
        return None


def unit_sums(
    engine: Source, period: Period, within: Sequence[str] | None, keys: Callable[[str], list[str]]
) -> Sums | None:
    """(unit, hours, earned, fair) per key of each worker's home (`keys`).

    Whole months are summed from the month sums, other periods from the day sums: the cost
    grows with the workers (the homes and days) in scope, not with their results.
    """
    months = read_sums.whole_months(period)
    with reading(engine) as connection:
        if months is not None:
            return read_sums.unit_totals(connection, months, within, keys)
        return read_sums.day_totals(connection, period, within, keys)


def shifts_worked_within(connection: Connection, period: Period, within: Sequence[str]) -> set[str]:
    """The period's shifts where a worker at home within the subtrees has a result."""
    return store.shifts_worked_within(connection, period.start, period.end, within)
