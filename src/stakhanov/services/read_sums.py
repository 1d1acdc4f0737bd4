"""Month sums of the read model: per worker-month and per unit-month, kept with its rows.

`refresh` runs in the transaction that replaced the rows of some shifts: the worker-months
those shifts touch (before and after) are summed again from their stored rows by the domain's
`aggregate`, and each unit-month's count of distinct shifts moves by what the shifts changed.
Pages that show whole months read these sums, so they cost what they show (decision 0573).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from stakhanov.domain.fulfilment import Fulfilment, Grouping, Result, aggregate
from stakhanov.domain.hours import hours_text, text_hours
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors, is_within
from stakhanov.store import read_sums as store

Months = tuple[dt.date, dt.date]  # the first days of the first and the last month
ShiftKey = tuple[dt.date, str, str, str | None]  # month, unit path, operation, unit
WORKERS_AT_ONCE = 2_000


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def whole_months(period: Period) -> Months | None:
    """The first days of the first and last month a period covers exactly, or None where it
    starts or ends inside a month."""
    if period.start.day != 1 or period.end != month_end(period.end):
        return None
    return (period.start, month_of(period.end))


def before(connection: Any, shifts_sql: str | None) -> list[dict[str, Any]]:
    """The keys of the stored rows a refresh is about to replace (None: a rebuild, none)."""
    return [] if shifts_sql is None else store.keys_of_shifts(connection, shifts_sql)


def refresh(connection: Any, old: Sequence[dict[str, Any]], shifts_sql: str | None) -> None:
    """Bring the month sums in line with the rows of the shifts, which replaced `old`.

    A rebuild (None) sums every month again, one month's rows at a time.
    """
    if shifts_sql is None:
        store.replace_worker_months(connection, None, [])
        store.clear_unit_shifts(connection)
        for month in store.months_held(connection):
            store.add_unit_shifts(
                connection, _unit_shifts(store.keys_of_month(connection, month, month_end(month)))
            )
            _sum_workers(
                connection,
                month,
                store.workers_of_month(connection, month, month_end(month)),
                False,
            )
        return
    new = store.keys_of_shifts(connection, shifts_sql)
    pairs = {(r["worker_id"], month_of(r["date"])) for r in (*old, *new)}
    for month, workers in _by_month(pairs):
        _sum_workers(connection, month, workers, True)
    deltas = Counter(_unit_shifts(new))
    deltas.subtract(_unit_shifts(old))
    store.add_unit_shifts(connection, deltas)


def _sum_workers(connection: Any, month: dt.date, workers: Sequence[str], replace: bool) -> None:
    """Sum the month's rows of the workers again, a slice of workers at a time: a month of a
    million crew rows in Python objects at once would take gigabytes."""
    for i in range(0, len(workers), WORKERS_AT_ONCE):
        part = workers[i : i + WORKERS_AT_ONCE]
        rows = store.rows_of_worker_months(connection, month, month_end(month), part)
        pairs = [(w, month) for w in part] if replace else []
        store.replace_worker_months(connection, pairs, _worker_months(rows))


def _by_month(pairs: Iterable[tuple[str, dt.date]]) -> list[tuple[dt.date, list[str]]]:
    by: dict[dt.date, list[str]] = {}
    for worker, month in pairs:
        by.setdefault(month, []).append(worker)
    return sorted((m, sorted(w)) for m, w in by.items())


def _result(row: dict[str, Any]) -> Result:
    from stakhanov.services.read_model import result_of  # it calls this module: no cycle at import

    return result_of(row)


def _worker_months(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (month, worker, home, operation, unit): the domain's exact sums."""
    rows = list(rows)
    homes = {id(r): r["home"] for r in rows}
    found = [(_result(r), homes[id(r)]) for r in rows]
    home_of = {(r.shift_id, r.worker_id, r.operation): h for r, h in found}
    sums = aggregate(
        [r for r, _ in found],
        lambda r: [
            (
                month_of(r.date).isoformat(),
                r.worker_id,
                home_of[(r.shift_id, r.worker_id, r.operation)],
            )
        ],
    )
    return [_stored(f) for f in sums]


def _parts(value: Fraction | None) -> tuple[str | None, str | None]:
    return (None, None) if value is None else (str(value.numerator), str(value.denominator))


def _stored(f: Fulfilment) -> dict[str, Any]:
    month, worker, home = f.group
    row: dict[str, Any] = {
        "month": dt.date.fromisoformat(month),
        "worker_id": worker,
        "home": home,
        "operation": f.operation,
        "unit": f.unit,
        "shifts": f.shifts,
        "hours": hours_text(f.hours),  # 1/3 where no decimal holds the hours
        "output": format(f.output, "f"),
        "normed_hours": hours_text(f.normed_hours),
    }
    for name, value in (
        ("norm_output", f.norm_output),
        ("earned", f.earned),
        ("fair", f.fair_earned),
    ):
        row[f"{name}_num"], row[f"{name}_den"] = _parts(value)
    return row


def _unit_shifts(rows: Iterable[dict[str, Any]]) -> Counter[ShiftKey]:
    """Distinct shifts per (month, ancestor of each row's home, operation, unit)."""
    seen = {
        (month_of(r["date"]), path, r["operation"], r["unit"], r["shift_id"])
        for r in rows
        for path in ancestors(r["home"])
    }
    return Counter((m, p, o, u) for m, p, o, u, _ in seen)


def _ratio(row: dict[str, Any], name: str) -> Fraction | None:
    num, den = row[f"{name}_num"], row[f"{name}_den"]
    return None if num is None else Fraction(int(num), int(den))


def _add(total: Fraction | None, value: Fraction | None) -> Fraction | None:
    if value is None:
        return total
    return value if total is None else total + value


class _Sum:
    """A Fulfilment being summed from month rows, both sides of every ratio exactly."""

    def __init__(self) -> None:
        self.shifts = 0
        self.hours = self.output = self.normed_hours = Decimal(0)
        self.norm_output: Fraction | None = None
        self.earned: Fraction | None = None
        self.fair: Fraction | None = None

    def add(self, row: dict[str, Any], shifts: bool = True) -> None:
        if shifts:
            self.shifts += int(row["shifts"])
        self.hours += text_hours(row["hours"])
        self.output += Decimal(row["output"])
        self.normed_hours += text_hours(row["normed_hours"])
        self.norm_output = _add(self.norm_output, _ratio(row, "norm_output"))
        self.earned = _add(self.earned, _ratio(row, "earned"))
        self.fair = _add(self.fair, _ratio(row, "fair"))


def fulfilment(
    connection: Any,
    months: Months,
    grouping: Grouping,
    within: Sequence[str] | None,
    worker_id: str | None,
) -> list[Fulfilment] | None:
    """Fulfilment by worker or unit from the month sums; None where they cannot answer."""
    if grouping not in (Grouping.WORKER, Grouping.UNIT):
        return None
    if grouping is Grouping.UNIT and (worker_id is not None or (within and len(within) > 1)):
        return None  # a unit's shifts over several scopes are not a sum of stored counts
    rows = store.month_rows(connection, months, within, worker_id)
    sums: dict[tuple[tuple[str, ...], str, str | None], _Sum] = {}
    if grouping is Grouping.WORKER:
        for row in rows:
            sums.setdefault(((row["worker_id"],), row["operation"], row["unit"]), _Sum()).add(row)
    else:
        for row in rows:
            for path in ancestors(row["home"]):
                key = ((path,), row["operation"], row["unit"])
                sums.setdefault(key, _Sum()).add(row, shifts=False)
        scope = within[0] if within else None
        counted = set(sums)
        for row in store.unit_shift_rows(connection, months, sorted({k[0][0] for k in counted})):
            key = ((row["unit_path"],), row["operation"], row["unit"])
            if key in sums and (scope is None or is_within(row["unit_path"], scope)):
                sums[key].shifts += int(row["shifts"])
        if scope is not None:  # above the scope, a unit's shifts are the scope's own
            for row in store.unit_shift_rows(connection, months, [scope]):
                for path in ancestors(scope)[:-1]:
                    key = ((path,), row["operation"], row["unit"])
                    if key in sums:
                        sums[key].shifts += int(row["shifts"])
    ordered = sorted(sums.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or ""))
    return [
        Fulfilment(
            group,
            operation,
            unit,
            s.shifts,
            s.hours,
            s.output,
            s.norm_output,
            s.earned,
            s.fair,
            s.normed_hours,
        )
        for (group, operation, unit), s in ordered
    ]


Sums = list[tuple[Any, Decimal, Fraction, Fraction]]


def unit_totals(
    connection: Any,
    months: Months,
    within: Sequence[str] | None,
    keys: Callable[[str], list[str]],
) -> Sums:
    """(key, normed hours, earned, fair) over all operations per key of each worker's home."""
    sums: dict[str, _Sum] = {}
    for row in store.month_rows(connection, months, within):
        if row["earned_num"] is None:
            continue
        for key in keys(row["home"]):
            sums.setdefault(key, _Sum()).add(row, shifts=False)
    return [
        (key, s.normed_hours, s.earned or Fraction(0), s.fair or Fraction(0))
        for key, s in sorted(sums.items())
    ]


def is_stale(connection: Any) -> bool:
    """True when the read model holds rows but no month sums (a database from before them)."""
    return store.is_stale(connection)
