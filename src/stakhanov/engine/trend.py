"""The director's daily trend and units, summed from the read model's day and home sums.

A sum row per day and home (or per home, operation and month) is summed per key in DuckDB:
hours as micro-units with their longest scale, each ratio's numerators per denominator as
HUGEINT; Python finishes the few terms per key exactly (decision 0886). A value the columns
cannot hold exactly raises NotMicro: the caller sums in Python then.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.engine.exact import of_micro, over_lcm
from stakhanov.engine.session import kept_cursor
from stakhanov.store.frames import NotMicro, exact, micro, places

Totals = list[tuple[Any, Decimal, Fraction, Fraction]]

# Only normed sums (an earned numerator) count: a day or home without one keeps no sum. The
# text is made numbers once per sum row, before a home's row is repeated for each of its keys.
_NORMED = """
SELECT home, CAST(date AS DATE) AS date, {hours} AS hours, {places} AS places, {finer} AS finer,
  CAST(earned_num AS HUGEINT) AS earned_num, CAST(earned_den AS HUGEINT) AS earned_den,
  CAST(fair_num AS HUGEINT) AS fair_num, CAST(fair_den AS HUGEINT) AS fair_den
FROM sums WHERE earned_num IS NOT NULL
"""

# The numerators summed per denominator, as text: Python reads text lists faster than HUGEINTs.
_RATIO = """
SELECT key, list(CAST(n AS VARCHAR)) AS nums, list(CAST(d AS VARCHAR)) AS dens FROM (
  SELECT key, sum({name}_num) AS n, {name}_den AS d FROM k WHERE {name}_num IS NOT NULL
  GROUP BY key, {name}_den) GROUP BY key
"""

_FINER = f"NOT {exact('hours')}"  # micro() would round them: the caller sums in Python
_TOTALS = f"""
WITH s AS ({_NORMED.format(hours=micro("hours"), places=places("hours"), finer=_FINER)}),
k AS (SELECT {{key}} AS key, s.* FROM s {{join}}),
h AS (SELECT key, CAST(sum(hours) AS VARCHAR) AS hours, max(places) AS places,
  bool_or(finer) AS finer FROM k GROUP BY key),
e AS ({_RATIO.format(name="earned")}), f AS ({_RATIO.format(name="fair")})
SELECT h.finer, h.key, h.hours, h.places, e.nums, e.dens, f.nums, f.dens
FROM h LEFT JOIN e USING (key) LEFT JOIN f USING (key)
"""


def totals(sums: pa.Table, keys: pa.Table | None = None) -> Totals:
    """(key, hours, earned, fair) of the normed sums, per date (`sums` has a date column) or
    per key of each home (`keys`: home, key; a home once per key), ordered by key.

    `sums`: text columns hours, earned_num, earned_den, fair_num, fair_den and home (date).
    """
    db = kept_cursor()
    try:
        db.register("sums", sums)
        join, key = "", "s.date"
        if keys is not None:
            db.register("keys", keys)
            join, key = "JOIN keys w USING (home)", "w.key"
        rows = db.execute(_TOTALS.format(key=key, join=join)).fetchall()
    except (duckdb.OutOfRangeException, duckdb.ConversionException) as err:
        raise NotMicro(str(err)) from err  # an exact fraction (1/3 h) or a numerator too long
    finally:
        db.close()
    if any(finer for finer, *_ in rows):
        raise NotMicro("summed hours finer than micro-units")
    return sorted((_finished(*row) for _, *row in rows), key=lambda t: t[0])


def _finished(
    key: Any, hours: str, at: int, en: Any, ed: Any, fn: Any, fd: Any
) -> tuple[Any, Decimal, Fraction, Fraction]:
    """A key's sums made exact: no ratio held sums to 0, as the domain's sums start there."""
    earned = Fraction(0) if en is None else over_lcm(en, ed)
    fair = Fraction(0) if fn is None else over_lcm(fn, fd)
    return key, of_micro(int(hours), at), earned, fair
