"""Fulfilment over the read model's rows: the stored results, summed as the engine sums.

The rows hold each result's numbers as exact text; here they become the engine's integer
columns again (micro-unit hours, numerators and denominators), so reports group and finish
them with the same code as a period computed from the ledger, number for number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa

from stakhanov.domain.fulfilment import Fulfilment, Grouping
from stakhanov.engine.exact import of_micro, total
from stakhanov.engine.fulfilment import aggregate
from stakhanov.engine.session import connect
from stakhanov.engine.stored_sums import finished
from stakhanov.store.frames import NotMicro, exact, micro, places

_TRUE = "IN ('1', 't', 'true')"


def _ratio(name: str) -> str:
    return f"CAST({name}_num AS HUGEINT) AS {name}_num, CAST({name}_den AS HUGEINT) AS {name}_den"


RESULTS = f"""
CREATE TEMP TABLE results AS
SELECT shift_id, CAST(date AS DATE) AS date, worker_id, home, operation, CAST(entry_id AS BIGINT)
       AS entry_id, {micro("hours")} AS hours, {places("hours")} AS hours_places,
       CAST(replace(output, '.', '') AS HUGEINT) AS output_num,
       CAST('1' || repeat('0', {places("output")}) AS HUGEINT) AS output_den,
       {places("output")} AS output_places, unit, earned_num IS NOT NULL AS normed,
       {_ratio("norm_output")}, {_ratio("earned")}, {_ratio("fair")},
       assisted {_TRUE} AS assisted, pooled {_TRUE} AS pooled, prepared {_TRUE} AS prepared
FROM stored
"""
# The columns ordinary work reads (store.read_model.ordinary_frame: normed, not prepared).
ORDINARY = f"""
CREATE TEMP TABLE results AS
SELECT shift_id, CAST(date AS DATE) AS date, worker_id, operation, {micro("hours")} AS hours,
       {places("hours")} AS hours_places, {_ratio("earned")}, {_ratio("fair")}
FROM stored
"""


@contextmanager
def results_session(rows: pa.Table, sql: str = RESULTS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection holding the stored rows as the engine's `results` (`sql` makes it from
    `stored`); NotMicro if inexact."""
    db = connect()
    try:
        db.register("stored", rows)
        finer = db.execute(f"SELECT count(*) FROM stored WHERE NOT {exact('hours')}").fetchall()
        if finer[0][0]:
            raise NotMicro("stored hours finer than micro-units")
        db.execute(sql)
        yield db
    except (duckdb.OutOfRangeException, duckdb.ConversionException) as err:
        raise NotMicro(str(err)) from err
    finally:
        db.close()


def fulfilment(
    rows: pa.Table,
    homes: Mapping[str, str],
    grouping: Grouping,
    within: Sequence[str] | None = None,
) -> list[Fulfilment]:
    """The stored rows (store.read_model.results_frame) summed by grouping."""
    with results_session(rows) as db:
        db.execute("CREATE TEMP VIEW crew AS SELECT DISTINCT worker_id FROM results")
        return aggregate(db, homes, grouping, within)


_TOTALS = """
WITH k AS (SELECT {key} AS key, r.* FROM results r {join} WHERE r.normed),
h AS (SELECT key, sum(hours) AS hours, max(hours_places) AS places FROM k GROUP BY key),
e AS (SELECT key, list(n) AS nums, list(d) AS dens FROM (
  SELECT key, sum(earned_num) AS n, earned_den AS d FROM k GROUP BY key, earned_den) GROUP BY key),
f AS (SELECT key, list(n) AS nums, list(d) AS dens FROM (
  SELECT key, sum(fair_num) AS n, fair_den AS d FROM k GROUP BY key, fair_den) GROUP BY key)
SELECT h.key, h.hours, h.places, e.nums, e.dens, f.nums, f.dens
FROM h JOIN e USING (key) JOIN f USING (key)
"""


def totals(
    rows: pa.Table, keys: pa.Table | None = None
) -> list[tuple[Any, Decimal, Fraction, Fraction]]:
    """(key, hours, earned, fair standard hours) of normed results summed per key, exactly.

    The key is the result's date, or with `keys` (worker_id, key) each key of its worker.
    """
    with results_session(rows) as db:
        if keys is None:
            sql = _TOTALS.format(key="r.date", join="")
        else:
            db.register("keys", keys)
            sql = _TOTALS.format(key="w.key", join="JOIN keys w USING (worker_id)")
        found = [
            (
                key,
                of_micro(hours, hours_places),
                total(zip(en, ed, strict=True)),
                total(zip(fn, fd, strict=True)),
            )
            for key, hours, hours_places, en, ed, fn, fd in db.execute(sql).fetchall()
        ]
        return sorted(found, key=lambda t: t[0])


def _wanted(db: duckdb.DuckDBPyConnection, workers: Sequence[str] | None) -> str:
    """SQL condition on `worker_id`: one of the workers (None: any)."""
    if workers is None:
        return "true"
    db.register("wanted", pa.table({"worker_id": pa.array(list(workers), pa.string())}))
    return "worker_id IN (SELECT worker_id FROM wanted)"


GRAINS = {"month": "date_trunc('month', date)", "day": "date"}  # a sum's first day


def worker_sums(
    rows: pa.Table, workers: Sequence[str] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """The stored rows (of the workers, None: all) summed per month and per day, worker and
    home, as the read model stores them (engine.stored_sums), by grain: rows of (first day
    ISO, worker, home, operation, unit, shifts, *SUM_COLUMNS), exactly as the domain's
    aggregate sums them."""
    with results_session(rows) as db:
        wanted = _wanted(db, workers)
        found = {}
        for grain, first in GRAINS.items():
            db.execute(
                f"CREATE OR REPLACE TEMP TABLE keyed AS SELECT strftime({first}, '%Y-%m-%d')"
                f" AS first_day, * FROM results WHERE {wanted}"
            )
            found[grain] = finished(db, ("first_day", "worker_id", "home"))
        return found


_DAYS = """
WITH k AS (SELECT r.* FROM results r {join}),
h AS (SELECT date, home, sum(CASE WHEN normed THEN hours ELSE 0 END) AS hours,
             max(CASE WHEN normed THEN hours_places ELSE 0 END) AS places
      FROM k GROUP BY date, home),
e AS (SELECT date, home, list(n) AS nums, list(d) AS dens FROM (
  SELECT date, home, sum(earned_num) AS n, earned_den AS d FROM k WHERE normed
  GROUP BY date, home, earned_den) GROUP BY date, home),
f AS (SELECT date, home, list(n) AS nums, list(d) AS dens FROM (
  SELECT date, home, sum(fair_num) AS n, fair_den AS d FROM k WHERE normed
  GROUP BY date, home, fair_den) GROUP BY date, home)
SELECT h.date, h.home, h.hours, h.places, e.nums, e.dens, f.nums, f.dens
FROM h LEFT JOIN e USING (date, home) LEFT JOIN f USING (date, home)
"""

DaySum = tuple[dt.date, str, Decimal, Fraction | None, Fraction | None]


class HomeSums(NamedTuple):
    """A slice of homes' sums as the read model stores them."""

    days: list[DaySum]  # read_days: normed hours, earned and fair per day and home
    months: list[tuple[Any, ...]]  # read_home_months
    home_days: list[tuple[Any, ...]]  # read_home_days


def home_sums(
    rows: pa.Table,
    months: Sequence[tuple[dt.date, str]] | None = None,
    days: Sequence[tuple[dt.date, str]] | None = None,
) -> HomeSums:
    """The stored rows summed per home, operation and unit over each (first day of a month,
    home) of `months` and each (day, home) of `days` (None: all), and the day sums of `days`,
    from one session: home sums as rows of (first day ISO, home, operation, unit,
    *SUM_COLUMNS), exactly as the domain's aggregate sums them."""
    with results_session(rows) as db:
        return HomeSums(
            _day_sums(db, days), _home_sums(db, months, "month"), _home_sums(db, days, "day")
        )


def _home_sums(
    db: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[dt.date, str]] | None, grain: str
) -> list[tuple[Any, ...]]:
    first = f"strftime({GRAINS[grain]}, '%Y-%m-%d')"
    join = ""
    if pairs is not None:
        db.register(
            "pairs",
            pa.table(
                {
                    "first_day": pa.array([d.isoformat() for d, _ in pairs], pa.string()),
                    "home": pa.array([h for _, h in pairs], pa.string()),
                }
            ),
        )
        join = "SEMI JOIN pairs p ON p.first_day = r.first_day AND p.home = r.home"
    db.execute(
        f"CREATE OR REPLACE TEMP TABLE keyed AS SELECT * FROM (SELECT {first} AS first_day, *"
        f" FROM results) r {join}"
    )
    return finished(db, ("first_day", "home"), shifts=False)


MonthKey = tuple[dt.date, str, str, str | None]


def unit_shifts(keys: pa.Table, paths: pa.Table, grain: str = "month") -> dict[MonthKey, int]:
    """Distinct shifts per (month or day, unit, operation, unit of measure) of the stored rows'
    keys (shift_id, date, home, operation, unit); `paths` maps each home to every unit above it
    (home, path), the home included."""
    db = connect()
    try:
        db.register("keys", keys)
        db.register("paths", paths)
        found = db.execute(
            f"SELECT CAST({GRAINS[grain]} AS DATE), p.path, k.operation, k.unit,"
            " count(DISTINCT k.shift_id) FROM (SELECT * REPLACE (CAST(date AS DATE) AS date)"
            " FROM keys) k JOIN paths p USING (home) GROUP BY ALL"
        ).fetchall()
    finally:
        db.close()
    return {(m, path, op, unit): int(n) for m, path, op, unit, n in found}


def _day_sums(
    db: duckdb.DuckDBPyConnection, days: Sequence[tuple[dt.date, str]] | None
) -> list[DaySum]:
    """(date, home, hours, earned, fair) of the normed results per day and home of the stored
    rows (of the (date, home) pairs, None: all); earned and fair None where none is normed."""
    join = ""
    if days is not None:
        db.register(
            "days",
            pa.table(
                {
                    "date": pa.array([d for d, _ in days], pa.date32()),
                    "home": pa.array([h for _, h in days], pa.string()),
                }
            ),
        )
        join = "SEMI JOIN days p ON p.date = r.date AND p.home = r.home"
    found = [
        (
            date,
            home,
            of_micro(hours, places),
            None if en is None else total(zip(en, ed, strict=True)),
            None if fn is None else total(zip(fn, fd, strict=True)),
        )
        for date, home, hours, places, en, ed, fn, fd in db.execute(
            _DAYS.format(join=join)
        ).fetchall()
    ]
    return sorted(found, key=lambda t: (t[0], t[1]))


def touched(*keys: pa.Table) -> dict[dt.date, tuple[list[str], list[tuple[dt.date, str]]]]:
    """Per month the stored rows' keys fall in: their workers and their (date, home) pairs."""
    db = connect()
    try:
        for i, table in enumerate(keys):
            db.register(f"k{i}", table)
        union = " UNION ".join(
            f"SELECT DISTINCT worker_id, CAST(date AS DATE) AS date, home FROM k{i}"
            for i in range(len(keys))
        )
        db.execute(
            f"CREATE TEMP TABLE t AS SELECT *, CAST(date_trunc('month', date) AS DATE) AS month"
            f" FROM ({union})"
        )
        workers = db.execute(
            "SELECT month, list(DISTINCT worker_id ORDER BY worker_id) FROM t GROUP BY month"
        ).fetchall()
        days = dict(
            db.execute("SELECT month, list(DISTINCT (date, home)) FROM t GROUP BY month").fetchall()
        )
    finally:
        db.close()
    return {month: (list(found), [(d, h) for d, h in days[month]]) for month, found in workers}
