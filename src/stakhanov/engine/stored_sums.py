"""The read model's sums finished in SQL: rows as the tables store them, not Python objects.

A sum of results per key (a worker's month, a home's day) is stored as text: decimals at the
longest scale of their terms, ratios as a reduced numerator and denominator. DuckDB writes that
text itself for every sum whose ratios have one denominator (nearly all: a day's results of one
worker share the crew's); only a sum of several denominators is finished in Python, with
integers. The domain's `aggregate` is the reference (decision 0887).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from stakhanov.engine.exact import over_lcm

RATIOS = ("norm_output", "earned", "fair")
SUM_COLUMNS = (
    "hours",
    "output",
    "normed_hours",
    *(f"{r}_{part}" for r in RATIOS for part in ("num", "den")),
)


def _power(exponent: str) -> str:
    """SQL: 10 ** exponent as an exact HUGEINT."""
    return f"CAST('1' || repeat('0', {exponent}) AS HUGEINT)"


def decimal_text(value: str, scale: str, places: str) -> str:
    """SQL: the integer `value` / 10 ** `scale` written with `places` decimals (places <= scale,
    and the digits beyond them zero), as Python formats the Decimal ('-1.50', '0.000', '8')."""
    whole = f"abs({value}) // {_power(scale)}"
    fraction = f"(abs({value}) % {_power(scale)}) // {_power(f'{scale} - {places}')}"
    return (
        f"(CASE WHEN {value} < 0 THEN '-' ELSE '' END || CAST({whole} AS VARCHAR)"
        f" || CASE WHEN {places} > 0 THEN '.' || lpad(CAST({fraction} AS VARCHAR), {places}, '0')"
        " ELSE '' END)"
    )


def _sql(keys: Sequence[str], shifts: bool) -> str:
    group = ", ".join([*keys, "operation", "unit"])
    same = " AND ".join(f"s.{k} IS NOT DISTINCT FROM p.{k}" for k in [*keys, "operation", "unit"])
    terms = " UNION ALL ".join(
        f"SELECT {group}, '{r}' AS what, sum({r}_num) AS num, {r}_den AS den FROM keyed"
        f" WHERE normed GROUP BY {group}, {r}_den"
        for r in RATIOS
    )
    pivot = ", ".join(
        f"any_value(CAST(num // g AS VARCHAR)) FILTER (WHERE what = '{r}') AS {r}_num,"
        f" any_value(CAST(den // g AS VARCHAR)) FILTER (WHERE what = '{r}') AS {r}_den,"
        f" any_value(terms) FILTER (WHERE what = '{r}') AS {r}_terms"
        for r in RATIOS
    )
    ratios = ", ".join(
        f"CASE WHEN s.normed THEN p.{r}_{part} END" for r in RATIOS for part in ("num", "den")
    )
    return f"""
WITH placed AS (
  SELECT *, max(output_places) OVER (PARTITION BY {group}) AS op FROM keyed),
sums AS (
  SELECT {group}, count(DISTINCT shift_id) AS shifts, sum(hours) AS hours,
         max(hours_places) AS hp, sum(CASE WHEN normed THEN hours ELSE 0 END) AS nh,
         max(CASE WHEN normed THEN hours_places ELSE 0 END) AS np, bool_or(normed) AS normed,
         max(op) AS op, sum(output_num * {_power("op - output_places")}) AS output
  FROM placed GROUP BY {group}),
per AS (
  SELECT {group}, what, coalesce(any_value(num), 0) AS num, coalesce(any_value(den), 1) AS den,
         CASE WHEN count(*) > 1 THEN list([num, den]) END AS terms
  FROM ({terms}) GROUP BY {group}, what),
p AS (
  SELECT {group}, {pivot}
  FROM (SELECT *, gcd(abs(num), den) AS g FROM per) GROUP BY {group})
SELECT {", ".join(f"s.{k}" for k in keys)}, s.operation, s.unit,
       {"s.shifts, " if shifts else ""}{decimal_text("s.hours", "6", "s.hp")},
       {decimal_text("s.output", "s.op", "s.op")}, {decimal_text("s.nh", "6", "s.np")},
       {ratios}, {", ".join(f"CASE WHEN s.normed THEN p.{r}_terms END" for r in RATIOS)}
FROM sums s LEFT JOIN p ON {same}
"""


def finished(
    db: duckdb.DuckDBPyConnection, keys: Sequence[str], shifts: bool = True
) -> list[tuple[Any, ...]]:
    """The `keyed` results (the engine's integer columns) summed per (*keys, operation, unit)
    as stored: (*keys, operation, unit[, shifts], *SUM_COLUMNS), in no particular order."""
    found = db.execute(_sql(keys, shifts)).fetchall()
    width = len(keys) + 2 + (1 if shifts else 0) + len(SUM_COLUMNS)
    rows = []
    for row in found:
        several = row[width:]
        if not any(several):
            rows.append(row[:width])
            continue
        fixed = list(row[:width])
        for i, terms in enumerate(several):
            if terms:
                at = width - 2 * (len(RATIOS) - i)
                fixed[at], fixed[at + 1] = reduced_sum(terms)
        rows.append(tuple(fixed))
    return rows


def reduced_sum(terms: Sequence[tuple[int, int]]) -> tuple[str, str]:
    """The exact sum of (numerator, denominator) terms as reduced numerator and denominator
    text, as Fraction writes them (denominator positive, 0 as 0/1)."""
    exact = over_lcm([n for n, _ in terms], [d for _, d in terms])
    return str(exact.numerator), str(exact.denominator)
