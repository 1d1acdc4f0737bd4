"""Month sums of the read model: per worker-, home- and unit-month, kept with its rows.

`refresh` runs in the transaction that replaced the rows of some shifts: the worker-months
those shifts touch (before and after) are summed again from their stored rows, set-based in
DuckDB as the domain's `aggregate` sums them (by `aggregate` where the engine cannot stay
exact), and each unit-month's count of distinct shifts moves by what the shifts changed.
The homes (brigades) of the rows before and after are summed again over their months and
days: what is shown by unit reads those, a row per brigade (decision 0881).
Pages that show whole months read these sums, so they cost what they show (decision 0573).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stakhanov.domain.fulfilment import Fulfilment, Grouping, Result, aggregate
from stakhanov.domain.hours import hours_text, text_hours
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors, is_within
from stakhanov.engine import stored, trend, unit_rollup
from stakhanov.services import ordinary_sums, unit_sums
from stakhanov.store import read_days as days_store
from stakhanov.store import read_sums as store
from stakhanov.store.frames import NotMicro as Unsupported
from stakhanov.store.types import stored_date

Months = tuple[dt.date, dt.date]  # the first days of the first and the last month
ShiftKey = tuple[dt.date, str, str, str | None]  # month, unit path, operation, unit
SumKey = tuple[tuple[str, ...], str, str | None]  # the group, operation, unit of measure
WORKERS_AT_ONCE = 1_000
HOMES_AT_ONCE = 50
WHOLE_MONTH_ROWS = 150_000
"""A month new to the read model with at most this many rows is summed whole, as a rebuild
sums it: one read of its rows instead of a read per slice of workers and of homes."""
ONE_DAY = dt.timedelta(days=1)


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


def split(period: Period) -> tuple[Months | None, list[Period]]:
    """The whole months inside a period (None: none) and the days before and after them.

    A period of whole months has no days around them; one inside a month no whole month."""
    first, last = period.start, period.end
    if first.day != 1:
        if month_end(first) >= last:
            return None, [period]
        first = month_end(first) + ONE_DAY
    if last != month_end(last):
        if month_of(last) <= first:
            return None, [period]
        last = month_of(last) - ONE_DAY
    around = [Period(period.start, first - ONE_DAY)] if first > period.start else []
    if last < period.end:
        around.append(Period(last + ONE_DAY, period.end))
    return (first, month_of(last)), around


def before(connection: Any, shifts_sql: str | None) -> pa.Table | None:
    """The keys of the stored rows a refresh is about to replace (None: a rebuild, none)."""
    return None if shifts_sql is None else store.keys_frame(connection, shifts_sql)


def refresh(connection: Any, old: pa.Table | None, shifts_sql: str | None) -> None:
    """Bring the month and day sums in line with the rows of the shifts, which replaced `old`.

    A rebuild (None) sums every month again, one month's rows at a time. The sums and counts
    are taken set-based over the rows' columns (DuckDB), never a Python object per row; the
    domain's `aggregate` sums them only where the engine cannot stay exact.
    """
    if shifts_sql is None:
        days_store.replace_outputs(connection, None)
        store.replace_worker_months(connection, None, [])
        store.replace_worker_days(connection, None, None, [])
        store.clear_unit_shifts(connection)
        ordinary_sums.clear(connection)
        _replace_days(connection, None, [])
        for by_day in (False, True):
            _replace_home_sums(connection, None, [], by_day)
        for month in store.months_held(connection):
            keys = store.keys_frame(connection, None, (month, month_end(month)))
            for by_day in (False, True):
                store.add_unit_shifts(connection, _unit_shifts(keys, by_day), by_day)
            _sum_month(connection, month, None, None)
        return
    touched = Touched()
    touched.add(connection, old, shifts_sql)
    touched.finish(connection, shifts_sql)


class Touched:
    """What a refresh's slices of shifts touched, noted slice by slice: per month the workers
    and (date, home) pairs whose sums to take again, and the change of each unit's count of
    distinct shifts (a shift lies in one slice, so the slices' changes add up)."""

    def __init__(self) -> None:
        self.months: dict[dt.date, tuple[set[str], set[tuple[dt.date, str]]]] = {}
        self.deltas = (Counter[ShiftKey](), Counter[ShiftKey]())  # per month, per day
        self.replaced: set[dt.date] = set()  # months where a stored row was replaced

    def add(self, connection: Any, old: pa.Table | None, shifts_sql: str) -> None:
        """Note the shifts' stored rows (now) and those they replaced (`old`)."""
        new = store.keys_frame(connection, shifts_sql)
        held = [new] if old is None else [old, new]
        if old is not None and old.num_rows:
            dates = pc.unique(old.column("date")).to_pylist()
            self.replaced.update(month_of(stored_date(d)) for d in dates)
        for month, (workers, days) in stored.touched(*held).items():
            known = self.months.setdefault(month, (set(), set()))
            known[0].update(workers)
            known[1].update(days)
        for by_day, deltas in enumerate(self.deltas):
            deltas.update(_unit_shifts(new, bool(by_day)))
            if old is not None:
                deltas.subtract(_unit_shifts(old, bool(by_day)))

    def finish(self, connection: Any, shifts_sql: str) -> None:
        """Sum the touched months again; `shifts_sql` selects every shift noted."""
        days_store.replace_outputs(connection, shifts_sql)
        for month, (workers, days) in sorted(self.months.items()):
            if month not in self.replaced and store.only_shifts_in_month(
                connection, month, month_end(month), shifts_sql, WHOLE_MONTH_ROWS
            ):  # a month new to the read model (an import's): no sums to take away first
                _sum_month(connection, month, None, None)
            else:
                _sum_month(connection, month, sorted(workers), sorted(days))
        for by_day, deltas in enumerate(self.deltas):
            store.add_unit_shifts(connection, deltas, bool(by_day))


def _unit_shifts(keys: pa.Table, days: bool = False) -> dict[ShiftKey, int]:
    """Distinct shifts per (month or day, every unit above each row's home, operation, unit)."""
    return stored.unit_shifts(keys, _paths_of(keys), "day" if days else "month")


def _paths_of(rows: pa.Table) -> pa.Table:
    """(home, path) for every unit above each home the rows hold, the home included: a few
    rows per brigade."""
    homes = rows.column("home").unique().to_pylist()
    pairs = [(home, path) for home in homes for path in ancestors(home)]
    return pa.table(
        {
            "home": pa.array([h for h, _ in pairs], pa.string()),
            "path": pa.array([p for _, p in pairs], pa.string()),
        }
    )


Days = Sequence[tuple[dt.date, str]]


def _sum_month(
    connection: Any, month: dt.date, workers: Sequence[str] | None, days: Days | None
) -> None:
    """Sum the month's rows of the workers and of the (date, home) pairs again (None: every
    row, nothing to delete first), set-based over a frame of rows each: a slice of workers
    (of homes) at a time, so the rows in memory never grow with the month's. The homes of the
    pairs are summed again over the month (home sums) and over each of their days (day and
    home day sums); the ordinary work of those workers and homes is kept again (decision
    0899)."""
    homes = None if days is None else sorted({home for _, home in days})
    ordinary_sums.keep(connection, month, workers, homes)
    if workers is None or days is None:
        _sum_whole_month(connection, month)
        return
    span = (month, month_end(month))
    try:
        for i in range(0, len(workers), WORKERS_AT_ONCE):
            part = workers[i : i + WORKERS_AT_ONCE]
            sums = stored.worker_sums(store.month_frame(connection, *span, part), part)
            store.replace_worker_months(connection, [(w, month) for w in part], sums["month"])
            store.replace_worker_days(connection, span, part, sums["day"])
        by_home: dict[str, list[tuple[dt.date, str]]] = {}
        for day in days:
            by_home.setdefault(day[1], []).append(day)
        homes = sorted(by_home)
        for i in range(0, len(homes), HOMES_AT_ONCE):
            chosen_homes = homes[i : i + HOMES_AT_ONCE]
            chosen = [d for h in chosen_homes for d in by_home[h]]
            months = [(month, h) for h in chosen_homes]
            rows = days_store.homes_frame(connection, *span, chosen_homes)
            found = stored.home_sums(rows, months, chosen)
            _replace_days(connection, chosen, [_day(*d) for d in found.days])
            _replace_home_sums(connection, months, found.months)
            store.replace_home_sums(connection, chosen, found.home_days, days=True)
    except Unsupported:  # what the slices before wrote is replaced again
        _sum_in_python(connection, month, workers, days)


def _sum_whole_month(connection: Any, month: dt.date) -> None:
    """A rebuild's sums of every row of the month (nothing to delete first)."""
    try:
        rows = store.month_frame(connection, month, month_end(month), None)
        sums = stored.worker_sums(rows, None)
        homes = stored.home_sums(rows)
    except Unsupported:
        _sum_in_python(connection, month, None, None)
        return
    store.replace_worker_months(connection, [], sums["month"])
    span = (month, month_end(month))
    store.replace_worker_days(connection, span, None, sums["day"])
    _replace_days(connection, [], [_day(*d) for d in homes.days])
    _replace_home_sums(connection, [], homes.months)
    store.replace_home_sums(connection, [], homes.home_days, days=True)


def _replace_days(connection: Any, days: Days | None, rows: Sequence[Any]) -> None:
    """Replace the day sums of each (date, home) (None: all), and the units' above them."""
    old = unit_sums.old_home_days(connection, days)
    days_store.replace_days(connection, days, rows)
    unit_sums.replaced(connection, "home_days", old, rows)


def _replace_home_sums(
    connection: Any, pairs: Days | None, rows: Sequence[Any], days: bool = False
) -> None:
    """Replace the home sums of each (month, home) (with `days`, (date, home); None: all), and
    those of the units above each home month."""
    old = None if days else unit_sums.old_home_months(connection, pairs)
    store.replace_home_sums(connection, pairs, rows, days)
    if not days:
        unit_sums.replaced(connection, "home_months", old, rows)


def _day(
    date: dt.date, home: str, hours: Decimal, earned: Fraction | None, fair: Fraction | None
) -> dict[str, Any]:
    row: dict[str, Any] = {"date": date, "home": home, "hours": format(hours, "f")}
    row["earned_num"], row["earned_den"] = _parts(earned)
    row["fair_num"], row["fair_den"] = _parts(fair)
    return row


def _sum_in_python(
    connection: Any, month: dt.date, workers: Sequence[str] | None, days: Days | None
) -> None:
    """The domain's sums, a slice of workers (of homes) at a time: a month of a million crew
    rows in Python objects at once would take gigabytes."""
    end = month_end(month)
    pairs = [(w, month) for w in workers] if workers is not None else []
    store.replace_worker_months(connection, pairs, [])
    store.replace_worker_days(connection, (month, end), workers, [])
    chosen = workers or store.workers_of_month(connection, month, end)
    for i in range(0, len(chosen), WORKERS_AT_ONCE):
        rows = store.rows_of_worker_months(connection, month, end, chosen[i : i + WORKERS_AT_ONCE])
        store.replace_worker_months(connection, [], _worker_months(rows))
        store.replace_worker_days(connection, (month, end), [], _worker_months(rows, days=True))
    if days is None:
        keys = store.keys_frame(connection, None, (month, end))
        days = sorted(set(zip(_dates(keys), keys.column("home").to_pylist(), strict=True)))
    _replace_days(connection, days, [])
    homes = sorted({h for _, h in days})
    _replace_home_sums(connection, [(month, h) for h in homes], [])
    store.replace_home_sums(connection, days, [], days=True)
    wanted = set(days)
    for i in range(0, len(homes), WORKERS_AT_ONCE):
        part = homes[i : i + WORKERS_AT_ONCE]
        rows = store.rows_of_homes(connection, month, end, part)
        kept = [r for r in rows if (r["date"], r["home"]) in wanted]
        _replace_days(connection, [], [_day(*d) for d in _day_sums(kept)])
        _replace_home_sums(connection, [], _home_sums(rows))
        store.replace_home_sums(connection, [], _home_sums(kept, days=True), days=True)


def _dates(keys: pa.Table) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in keys.column("date").to_pylist()]


def _day_sums(rows: Iterable[dict[str, Any]]) -> list[stored.DaySum]:
    """(date, home, hours, earned, fair) of normed results per day and home, as the trend
    sums them (dashboard.totals): a day without one keeps no earned or fair sum."""
    sums: dict[tuple[dt.date, str], tuple[Decimal, Fraction | None, Fraction | None]] = {}
    for row in rows:
        result = _result(row)
        key = (result.date, row["home"])
        hours, earned, fair = sums.get(key, (Decimal(0), None, None))
        if result.earned is not None and result.fair_earned is not None:
            hours += result.hours
            earned = _add(earned, result.earned)
            fair = _add(fair, result.fair_earned)
        sums[key] = (hours, earned, fair)
    return [(d, h, *v) for (d, h), v in sorted(sums.items())]


def _result(row: dict[str, Any]) -> Result:
    from stakhanov.services.read_model import result_of  # it calls this module: no cycle at import

    return result_of(row)


def _worker_months(rows: Iterable[dict[str, Any]], days: bool = False) -> list[dict[str, Any]]:
    """One row per (month, or day with `days`, worker, home, operation, unit): the domain's
    exact sums."""
    rows = list(rows)
    homes = {id(r): r["home"] for r in rows}
    found = [(_result(r), homes[id(r)]) for r in rows]
    home_of = {(r.shift_id, r.worker_id, r.operation): h for r, h in found}
    sums = aggregate(
        [r for r, _ in found],
        lambda r: [
            (
                (r.date if days else month_of(r.date)).isoformat(),
                r.worker_id,
                home_of[(r.shift_id, r.worker_id, r.operation)],
            )
        ],
    )
    return [_stored(f, "date" if days else "month") for f in sums]


def _home_sums(rows: Iterable[dict[str, Any]], days: bool = False) -> list[dict[str, Any]]:
    """One row per (month, or day with `days`, home, operation, unit): the domain's exact
    sums of the rows of every worker at home there."""
    found = [(_result(r), r["home"]) for r in rows]
    homes = {id(r): h for r, h in found}
    sums = aggregate(
        [r for r, _ in found],
        lambda r: [((r.date if days else month_of(r.date)).isoformat(), homes[id(r)])],
    )
    return [_home(f, "date" if days else "month") for f in sums]


def _home(f: Fulfilment, when: str = "month") -> dict[str, Any]:
    """A home's month (or day, `when` "date") sum as stored, its group (first day ISO, home);
    its shifts are not kept (a unit's distinct shifts are counted apart)."""
    first, home = f.group
    return {when: dt.date.fromisoformat(first), "home": home, **_sums(f)}


def _parts(value: Fraction | None) -> tuple[str | None, str | None]:
    return (None, None) if value is None else (str(value.numerator), str(value.denominator))


def _stored(f: Fulfilment, when: str = "month") -> dict[str, Any]:
    """A month (or day, `when` "date") sum as stored, its group (first day ISO, worker, home)."""
    first, worker, home = f.group
    row = {when: dt.date.fromisoformat(first), "worker_id": worker, "home": home}
    return {**row, **_sums(f), "shifts": f.shifts}


def _sums(f: Fulfilment) -> dict[str, Any]:
    """The exact sums of a stored row: decimals as text, ratios as numerator and denominator."""
    row: dict[str, Any] = {
        "operation": f.operation,
        "unit": f.unit,
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


def _add(total: Fraction | None, value: Fraction | None) -> Fraction | None:
    if value is None:
        return total
    return value if total is None else total + value


class _Sum:
    """A Fulfilment being summed from month or day rows, both sides of every ratio exactly.

    A ratio is summed as its numerators per denominator, integers, and made one Fraction when
    read: a Fraction per row would reduce by a gcd at every addition."""

    def __init__(self) -> None:
        self.shifts = 0
        self.hours = self.output = self.normed_hours = Decimal(0)
        self.parts: dict[str, dict[int, int]] = {}  # ratio: {denominator: numerators}; none held

    def add(self, row: dict[str, Any], shifts: bool = True) -> None:
        if shifts:
            self.shifts += int(row["shifts"])
        self.hours += text_hours(row["hours"])
        self.output += Decimal(row["output"])
        self.normed_hours += text_hours(row["normed_hours"])
        self.add_ratios(row, ("norm_output", "earned", "fair"))

    def add_ratios(self, row: dict[str, Any], names: Sequence[str]) -> None:
        for name in names:
            num = row[f"{name}_num"]
            if num is not None:
                parts = self.parts.setdefault(name, {})
                den = int(row[f"{name}_den"])
                parts[den] = parts.get(den, 0) + int(num)

    def merge(self, other: _Sum) -> None:
        """Add another sum's hours, output and ratios (not its shifts)."""
        self.hours += other.hours
        self.output += other.output
        self.normed_hours += other.normed_hours
        for name, held in other.parts.items():
            parts = self.parts.setdefault(name, {})
            for den, num in held.items():
                parts[den] = parts.get(den, 0) + num

    def ratio(self, name: str) -> Fraction | None:
        parts = self.parts.get(name)
        if parts is None:
            return None
        return sum((Fraction(n, d) for d, n in parts.items()), Fraction(0))


def fulfilment(
    connection: Any,
    months: Months,
    grouping: Grouping,
    within: Sequence[str] | None,
    worker_id: str | None,
    days: bool = False,
) -> list[Fulfilment] | None:
    """Fulfilment by worker or unit from the month sums (with `days`, from the day sums of the
    days [first, last] of `months`; by unit, whole months from the kept unit sums); None where
    they cannot answer."""
    if grouping not in (Grouping.WORKER, Grouping.UNIT):
        return None
    if grouping is Grouping.UNIT and (worker_id is not None or (within and len(within) > 1)):
        return None  # a unit's shifts over several scopes are not a sum of stored counts
    if grouping is Grouping.WORKER:
        return by_worker(store.month_rows(connection, months, within, worker_id, days))
    if not days:  # whole months: the unit sums kept by change (decision 0904)
        return unit_sums.months_fulfilment(connection, *months, within)
    return unit_days(connection, months, within)


def unit_days(connection: Any, days: Months, within: Sequence[str] | None) -> list[Fulfilment]:
    """`rolled_up` of the days [first, last] of one scope (None: all), summed set-based: the
    home day sums read as Arrow and rolled up to every unit above their homes in DuckDB, the
    units' distinct shifts summed in SQL (decision 0907); in Python where the sums are few or
    the engine cannot stay exact."""
    rows = store.home_days_frame(connection, days, within)
    scope = within[0] if within else None
    summed: list[unit_rollup.UnitSum] | None = None
    if rows.num_rows >= FEW_SUMS:
        with contextlib.suppress(Unsupported):
            summed = unit_rollup.unit_sums(rows, _paths_of(rows))
    if summed is None:  # the rows read, each a home's day
        summed = unit_sums_in_python(rows.to_pylist())
    shifts = store.unit_day_shifts(connection, days, scope)
    found = [
        Fulfilment(
            (u.path,),
            u.operation,
            u.unit,
            shifts.get((_counted(u.path, scope), u.operation, u.unit), 0),
            u.hours,
            u.output,
            u.norm_output,
            u.earned,
            u.fair,
            u.normed_hours,
        )
        for u in summed
    ]
    return sorted(found, key=_shown_order)


def unit_sums_in_python(rows: list[dict[str, Any]]) -> list[unit_rollup.UnitSum]:
    """The reference's roll-up (`_rolled`) of home sums as the engine's `UnitSum` values."""
    return [
        unit_rollup.UnitSum(
            path,
            operation,
            unit,
            s.hours,
            s.output,
            s.normed_hours,
            s.ratio("norm_output"),
            s.ratio("earned"),
            s.ratio("fair"),
        )
        for ((path,), operation, unit), s in _rolled(rows).items()
    ]


def _counted(path: str, scope: str | None) -> str:
    """The unit whose distinct shifts a unit's row shows: above one scope, the scope's own."""
    return path if scope is None or is_within(path, scope) else scope


def rolled_up(
    connection: Any, months: Months, within: Sequence[str] | None, days: bool = False
) -> list[Fulfilment]:
    """Fulfilment by unit rolled up from the home sums of the months (with `days`, the day
    sums of the days [first, last]) of one scope (None: all): per home first, then each home's
    into every unit above it, in Python: the reference `unit_days` (what answers days, decision
    0907) and, for whole months, the kept unit sums are tested against."""
    sums = _rolled(store.home_rows(connection, months, within, days))
    scope = within[0] if within else None
    counted = set(sums)
    for row in store.unit_shift_rows(connection, months, sorted({k[0][0] for k in counted}), days):
        key = ((row["unit_path"],), row["operation"], row["unit"])
        if key in sums and (scope is None or is_within(row["unit_path"], scope)):
            sums[key].shifts += int(row["shifts"])
    if scope is not None:  # above the scope, a unit's shifts are the scope's own
        for row in store.unit_shift_rows(connection, months, [scope], days):
            for path in ancestors(scope)[:-1]:
                key = ((path,), row["operation"], row["unit"])
                if key in sums:
                    sums[key].shifts += int(row["shifts"])
    return _finished(sums)


def _rolled(rows: Iterable[dict[str, Any]]) -> dict[SumKey, _Sum]:
    """Home sums summed per home first, then each home's into every unit above it (no shifts)."""
    sums: dict[SumKey, _Sum] = {}
    homes: dict[tuple[str, str, str | None], _Sum] = {}
    for row in rows:
        homes.setdefault((row["home"], row["operation"], row["unit"]), _Sum()).add(row, False)
    for (home, operation, unit), found in homes.items():
        for path in ancestors(home):
            sums.setdefault(((path,), operation, unit), _Sum()).merge(found)
    return sums


def by_worker(rows: Iterable[dict[str, Any]]) -> list[Fulfilment]:
    """Fulfilment per worker, operation and unit of measure of worker month (or day) sums (a
    worker's month may lie in a row per home), ordered by them."""
    sums: dict[SumKey, _Sum] = {}
    for row in rows:
        sums.setdefault(((row["worker_id"],), row["operation"], row["unit"]), _Sum()).add(row)
    return _finished(sums)


def _shown_order(found: Fulfilment) -> tuple[tuple[str, ...], str, str]:
    """Rows by group, operation and unit of measure (a time-work operation's none first)."""
    return found.group, found.operation, found.unit or ""


def _finished(sums: dict[SumKey, _Sum]) -> list[Fulfilment]:
    found = [
        Fulfilment(
            group,
            operation,
            unit,
            s.shifts,
            s.hours,
            s.output,
            s.ratio("norm_output"),
            s.ratio("earned"),
            s.ratio("fair"),
            s.normed_hours,
        )
        for (group, operation, unit), s in sums.items()
    ]
    return sorted(found, key=_shown_order)


Sums = list[tuple[Any, Decimal, Fraction, Fraction]]
# Below this many sums (a brigade's month) Python adds them sooner than DuckDB plans its query
# (about 10 ms).
FEW_SUMS = 1_000


def unit_totals(
    connection: Any,
    months: Months,
    within: Sequence[str] | None,
    keys: Callable[[str], list[str]],
) -> Sums:
    """(key, normed hours, earned, fair) over all operations per key of each home, from the
    home sums (a row per home, operation and unit each month), summed set-based (decision
    0886); in Python where they are few or the engine cannot stay exact."""
    rows = store.home_frame(connection, months, within)
    if rows.num_rows >= FEW_SUMS:
        with contextlib.suppress(Unsupported):
            return trend.totals(rows, _keys_of(rows, keys))
    return _days_summed(rows.to_pylist(), keys)  # the rows read: each a home's month


def day_totals(
    connection: Any,
    period: Period,
    within: Sequence[str] | None,
    keys: Callable[[str], list[str]] | None = None,
) -> Sums:
    """(key, normed hours, earned, fair) over homes within the subtrees (None: all) from the
    day sums, a row per day and home, not the results: per day, or per key of each home
    (`keys`). Summed set-based (decision 0886); in Python where they are few or the engine
    cannot stay exact."""
    rows = days_store.days_frame(connection, period.start, period.end, within)
    if rows.num_rows >= FEW_SUMS:
        with contextlib.suppress(Unsupported):
            return trend.totals(rows, None if keys is None else _keys_of(rows, keys))
    dated = ({**r, "date": dt.date.fromisoformat(r["date"])} for r in rows.to_pylist())
    return _days_summed(dated, keys)


def _keys_of(rows: pa.Table, keys: Callable[[str], list[str]]) -> pa.Table:
    """(home, key) for every key of each home the rows hold: a few rows per brigade."""
    pairs = [(h, k) for h in rows.column("home").unique().to_pylist() for k in keys(h)]
    return pa.table(
        {
            "home": pa.array([h for h, _ in pairs], pa.string()),
            "key": pa.array([k for _, k in pairs], pa.string()),
        }
    )


def unit_totals_in_python(
    connection: Any,
    months: Months,
    within: Sequence[str] | None,
    keys: Callable[[str], list[str]],
) -> Sums:
    """unit_totals summed in Python, an object per row: the reference, and the way where the
    engine cannot stay exact."""
    homes: dict[str, _Sum] = {}
    for row in store.home_rows(connection, months, within):
        if row["earned_num"] is not None:
            homes.setdefault(row["home"], _Sum()).add(row, shifts=False)
    sums: dict[str, _Sum] = {}
    for home, found in homes.items():
        for key in keys(home):
            sums.setdefault(key, _Sum()).merge(found)
    return [
        (key, s.normed_hours, s.ratio("earned") or Fraction(0), s.ratio("fair") or Fraction(0))
        for key, s in sorted(sums.items())
    ]


def day_totals_in_python(
    connection: Any,
    period: Period,
    within: Sequence[str] | None,
    keys: Callable[[str], list[str]] | None = None,
) -> Sums:
    """day_totals summed in Python, an object per row: the reference (on the day sums as Arrow
    too, where they are few or the engine cannot stay exact)."""
    return _days_summed(days_store.day_rows(connection, period.start, period.end, within), keys)


def _days_summed(rows: Iterable[dict[str, Any]], keys: Callable[[str], list[str]] | None) -> Sums:
    """Day sums (dicts, their date a date), or home sums as read by home_frame, summed per day
    or per key of each home."""
    sums: dict[Any, _Sum] = {}
    for row in rows:
        if row["earned_num"] is None:
            continue
        for key in keys(row["home"]) if keys is not None else [row["date"]]:
            s = sums.setdefault(key, _Sum())
            s.normed_hours += text_hours(row["hours"])  # a home sum's may be 1/3
            s.add_ratios(row, ("earned", "fair"))
    return [
        (key, s.normed_hours, s.ratio("earned") or Fraction(0), s.ratio("fair") or Fraction(0))
        for key, s in sorted(sums.items())
    ]


def is_stale(connection: Any) -> bool:
    """True when the read model holds rows but no month or day sums (a database from before
    them)."""
    return store.is_stale(connection) or days_store.is_stale(connection)
