"""The read model's result rows written by SQL, as the table stores them.

A result is stored as text: hours and output at the scale they were written, ratios reduced to
numerator and denominator. DuckDB writes that text for every result of a period, so a
factory's month never becomes a hundred thousand Python objects on its way to the table. The
domain's Result, stored by `services.read_model`, is the reference (decision 0887).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.engine.exact import Unsupported
from stakhanov.engine.stored_sums import decimal_text
from stakhanov.store.frames import UNKNOWN_HOME, plain_places


def _reduced(name: str) -> str:
    """SQL: a ratio's numerator and denominator reduced as a Fraction is (NULL: none)."""
    num, den = f"{name}_num", f"{name}_den"
    common = f"gcd(abs(CAST({num} AS HUGEINT)), CAST({den} AS HUGEINT))"
    return (
        f"CASE WHEN {den} IS NOT NULL THEN CAST({num} // {common} AS VARCHAR) END,"
        f" CASE WHEN {num} IS NOT NULL THEN CAST({den} // {common} AS VARCHAR) END"
    )


_POWER = "CAST('1' || repeat('0', output_places) AS HUGEINT)"
_ROWS = f"""
WITH r AS (
  SELECT *, coalesce(hours_places, {plain_places("hours")}) AS hp,
         CAST(output_num AS HUGEINT) * {_POWER} AS scaled FROM results)
SELECT shift_id, strftime(date, '%Y-%m-%d'), worker_id, coalesce(h.home, '{UNKNOWN_HOME}'),
       operation, {decimal_text("hours", "6", "hp")},
       {decimal_text("scaled // output_den", "output_places", "output_places")}, unit,
       {_reduced("norm_output")}, {_reduced("earned")}, {_reduced("fair")},
       assisted, pooled, prepared
FROM r LEFT JOIN result_homes h USING (worker_id)
ORDER BY date, shift_id, entry_id
"""


def result_rows(db: duckdb.DuckDBPyConnection, homes: Mapping[str, str]) -> list[tuple[Any, ...]]:
    """Every result of the session as a read_results row (every column but row_id), in the
    order the domain lists them (date, shift, entry)."""
    db.register(
        "result_homes",
        pa.table(
            {
                "worker_id": pa.array(list(homes), pa.string()),
                "home": pa.array(list(homes.values()), pa.string()),
            }
        ),
    )
    uneven = f"SELECT count(*) FROM results WHERE (output_num * {_POWER}) % output_den <> 0"
    if db.execute(uneven).fetchall()[0][0]:
        raise Unsupported("an output that its written scale does not hold")
    return db.execute(_ROWS).fetchall()
