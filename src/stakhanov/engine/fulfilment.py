"""Fulfilment over whole periods: results summed by any grouping in DuckDB, finished exactly.

Both sides of every ratio are summed as integer numerators per denominator in SQL; the few
terms left per output row become exact fractions in Python, and percentages are rounded once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.domain.fulfilment import Fulfilment, Grouping
from stakhanov.domain.units import ancestors, is_within
from stakhanov.engine.exact import at_places, of_micro, ratio, total
from stakhanov.store.frames import UNKNOWN_HOME

TERMS = ("output", "norm_output", "earned", "fair")


@dataclass(frozen=True)
class ExactResult:
    """One engine result with its exact values, for comparison with domain.fulfilment.Result."""

    shift_id: str
    date: dt.date
    worker_id: str
    operation: str
    hours: Fraction
    output: Fraction
    unit: str | None
    norm_output: Fraction | None
    earned: Fraction | None
    fair_earned: Fraction | None
    assisted: bool
    pooled: bool
    prepared: bool


_RESULTS = (
    "SELECT shift_id, date, worker_id, operation, hours, hours_places, output_num, output_den,"
    " output_places, unit, norm_output_num, norm_output_den, earned_num, earned_den, fair_num,"
    " fair_den, assisted, pooled, prepared FROM results ORDER BY date, shift_id, entry_id"
)


def _shared(r: tuple[Any, ...]) -> dict[str, Any]:
    """The fields of an ExactResult a row of _RESULTS gives as they are."""
    return {
        "shift_id": r[0],
        "date": r[1],
        "worker_id": r[2],
        "operation": r[3],
        "unit": r[9],
        "norm_output": ratio(r[10], r[11]),
        "earned": ratio(r[12], r[13]),
        "fair_earned": ratio(r[14], r[15]),
        "assisted": r[16],
        "pooled": r[17],
        "prepared": r[18],
    }


def exact_results(db: duckdb.DuckDBPyConnection) -> list[ExactResult]:
    """Every result as exact values (tests and small periods; a whole month stays in SQL)."""
    return [
        ExactResult(
            **_shared(r), hours=Fraction(int(r[4]), 10**6), output=Fraction(int(r[6]), int(r[7]))
        )
        for r in db.execute(_RESULTS).fetchall()
    ]


def _keys(
    homes: Mapping[str, str], workers: list[str], grouping: Grouping, within: Sequence[str] | None
) -> pa.Table:
    """(worker_id, key) pairs: the groups each worker's results fall into, after `within`."""
    pairs: list[tuple[str, str]] = []
    for worker in workers:
        home = homes.get(worker, UNKNOWN_HOME)
        if within is not None and not any(is_within(home, s) for s in within):
            continue
        if grouping is Grouping.UNIT:
            pairs += [(worker, unit) for unit in ancestors(home)]
        else:
            key = {Grouping.WORKER: worker, Grouping.BRIGADE: home}.get(grouping, "")
            pairs.append((worker, key))
    return pa.table(
        {
            "worker_id": pa.array([w for w, _ in pairs], pa.string()),
            "key": pa.array([k for _, k in pairs], pa.string()),
        }
    )


_TERMS = " UNION ALL ".join(
    f"SELECT k1, k2, operation, unit, '{what}' AS what, sum({what}_num) AS num, {what}_den AS den"
    + " FROM keyed"
    + (" WHERE normed" if what != "output" else "")
    + f" GROUP BY k1, k2, operation, unit, {what}_den"
    for what in TERMS
)
_LISTS = ", ".join(
    f"list(num) FILTER (WHERE what = '{what}'), list(den) FILTER (WHERE what = '{what}')"
    for what in TERMS
)
# One row per report row: counts and exact sums, and per rational the numerators summed per
# denominator (one term each, mostly), finished in Python.
_ROWS = f"""
WITH sums AS (
  SELECT k1, k2, operation, unit, count(DISTINCT shift_id) AS shifts, sum(hours) AS hours,
         sum(CASE WHEN normed THEN hours ELSE 0 END) AS normed_hours, bool_or(normed) AS normed,
         max(hours_places) AS hours_places, max(output_places) AS output_places,
         max(CASE WHEN normed THEN hours_places ELSE 0 END) AS normed_places
  FROM keyed GROUP BY k1, k2, operation, unit),
terms AS (
  SELECT k1, k2, operation, unit, {_LISTS}
  FROM ({_TERMS}) GROUP BY k1, k2, operation, unit)
SELECT s.k1, s.k2, s.operation, s.unit, s.shifts, s.hours, s.normed_hours, s.normed,
       s.hours_places, s.output_places, s.normed_places, t.* EXCLUDE (k1, k2, operation, unit)
FROM sums s JOIN terms t ON s.k1 = t.k1 AND s.k2 = t.k2 AND s.operation = t.operation
  AND s.unit IS NOT DISTINCT FROM t.unit
"""


def _sum(nums: list[int] | None, dens: list[int] | None) -> Fraction:
    if not nums or not dens:
        return Fraction(0)
    if len(nums) == 1:
        return Fraction(int(nums[0]), int(dens[0]))
    return total(zip(nums, dens, strict=True))


def aggregate(
    db: duckdb.DuckDBPyConnection,
    homes: Mapping[str, str],
    grouping: Grouping,
    within: Sequence[str] | None = None,
) -> list[Fulfilment]:
    """Results summed per (group, operation, unit), as domain.fulfilment.aggregate sums them."""
    # Every result's worker is on the crew (doers and helpers alike).
    workers = [r[0] for r in db.execute("SELECT DISTINCT worker_id FROM crew").fetchall()]
    db.register("keys", _keys(homes, workers, grouping, within))
    shift = grouping is Grouping.SHIFT
    k1, k2 = ("r.shift_id", "r.worker_id") if shift else ("k.key", "''")
    db.execute("DROP TABLE IF EXISTS keyed")
    db.execute(
        f"CREATE TEMP TABLE keyed AS SELECT {k1} AS k1, {k2} AS k2, r.* "
        "FROM results r JOIN keys k USING (worker_id)"
    )

    def group(k1v: Any, k2v: Any) -> tuple[Any, ...]:
        return (k1v, k2v) if shift else () if grouping is Grouping.OPERATION else (k1v,)

    return summed(db, group)


def summed(
    db: duckdb.DuckDBPyConnection, group: Callable[[Any, Any], tuple[Any, ...]]
) -> list[Fulfilment]:
    """The `keyed` table's results summed per (k1, k2, operation, unit), each sum's group
    made of its keys by `group`; sorted as the domain's aggregate sorts."""
    found: list[Fulfilment] = []
    for row in db.execute(_ROWS).fetchall():
        k1v, k2v, operation, unit, shifts, hours, normed_hours, normed, hp, op, np = row[:11]
        exact = {what: _sum(row[11 + 2 * i], row[12 + 2 * i]) for i, what in enumerate(TERMS)}
        found.append(
            Fulfilment(
                group=group(k1v, k2v),
                operation=operation,
                unit=unit,
                shifts=int(shifts),
                hours=of_micro(hours, hp),  # a Decimal sum keeps the longest scale of its terms
                output=at_places(exact["output"], op),
                norm_output=exact["norm_output"] if normed else None,
                earned=exact["earned"] if normed else None,
                fair_earned=exact["fair"] if normed else None,
                normed_hours=of_micro(normed_hours, np),
            )
        )
    found.sort(key=lambda f: (f.group, f.operation, f.unit or ""))
    return found
