"""Equity of opportunity, set-based: per worker, favourable shifts counted in DuckDB.

domain/equity.py stays the reference (`ordinary_fulfilment`, `opportunities`); tests prove these
equal. Earned hours stay numerator/denominator: SQL sums numerators per denominator, Python adds
the few fractions left per workplace.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import duckdb
import pyarrow as pa

from stakhanov.domain.equity import Opportunity

ORDINARY = """
SELECT p.workplace, r.earned_den, sum(r.earned_num), sum(r.hours)
FROM results r JOIN places p USING (shift_id)
WHERE r.earned_num IS NOT NULL AND NOT (r.prepared OR r.assisted OR r.pooled)
GROUP BY p.workplace, r.earned_den
"""

# Helpers (no unit of output) count their shifts; a favour counts for the doers it raises.
OPPORTUNITIES = """
SELECT r.worker_id, count(DISTINCT r.shift_id),
       count(DISTINCT r.shift_id) FILTER (WHERE r.unit IS NOT NULL AND r.prepared),
       count(DISTINCT r.shift_id) FILTER (WHERE r.unit IS NOT NULL AND p.resourced),
       count(DISTINCT r.shift_id) FILTER (WHERE r.unit IS NOT NULL AND r.assisted),
       count(DISTINCT r.shift_id) FILTER (
         WHERE r.unit IS NOT NULL AND p.workplace IN (SELECT workplace FROM best))
FROM results r JOIN places p USING (shift_id)
GROUP BY r.worker_id ORDER BY r.worker_id
"""


def ordinary_fulfilment(db: duckdb.DuckDBPyConnection, places: pa.Table) -> dict[str, Fraction]:
    """Each workplace's earned over worked hours on ordinary results (domain's reference)."""
    db.register("places", places)
    earned: dict[str, Fraction] = {}
    hours: dict[str, Fraction] = {}
    for workplace, den, num, micro_hours in db.execute(ORDINARY).fetchall():
        earned[workplace] = earned.get(workplace, Fraction(0)) + Fraction(int(num), int(den))
        hours[workplace] = hours.get(workplace, Fraction(0)) + Fraction(int(micro_hours), 10**6)
    return {p: earned[p] / hours[p] for p in earned if hours[p]}


def opportunities(
    db: duckdb.DuckDBPyConnection, places: pa.Table, best: tuple[str, ...]
) -> list[Opportunity]:
    db.register("places", places)
    db.register("best", pa.table({"workplace": pa.array(best, pa.string())}))
    return [
        Opportunity(str(w), *(int(v) for v in rest))
        for w, *rest in db.execute(OPPORTUNITIES).fetchall()
    ]


def equity(
    db: duckdb.DuckDBPyConnection,
    places: pa.Table,
    choose: Callable[[dict[str, Fraction]], tuple[str, ...]],
) -> tuple[dict[str, Fraction], tuple[str, ...], list[Opportunity]]:
    """Ordinary fulfilment per workplace, the best chosen from it, and every worker's counts."""
    ordinary = ordinary_fulfilment(db, places)
    best = choose(ordinary)
    return ordinary, best, opportunities(db, places, best)
