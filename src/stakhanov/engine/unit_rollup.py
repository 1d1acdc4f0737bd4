"""Fulfilment by unit over days: the home day sums rolled up to every unit above each home, in
DuckDB (decision 0907).

Each home's rows are summed per (home, operation, unit of measure) first, then joined to a small
(home, path) table and summed per unit: decimals as DECIMALs at the longest scale of their
column (fixed-point integers, never a float), written back at the longest scale of their terms;
each ratio's numerators per denominator as HUGEINT. Python finishes the few terms per unit over
their least common denominator, as `engine.trend` does. Text a plain decimal does not hold (an
exact `1/3` h) or a sum beyond the engine's integers raises NotMicro: the caller sums in Python
then.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa

from stakhanov.engine.exact import over_lcm
from stakhanov.engine.session import kept_cursor
from stakhanov.engine.stored_sums import RATIOS
from stakhanov.store.frames import NotMicro, places

DECIMALS = ("hours", "output", "normed_hours")


class UnitSum(NamedTuple):
    """A unit's sums of an operation and unit of measure over the days, as `_Sum` holds them."""

    path: str
    operation: str
    unit: str | None
    hours: Decimal
    output: Decimal
    normed_hours: Decimal
    norm_output: Fraction | None
    earned: Fraction | None
    fair: Fraction | None


_KEY = "operation, unit"
_SAME = " AND ".join(  # a time-work operation has no unit of measure
    f"l.{k} IS NOT DISTINCT FROM u.{k}" for k in ("path", "operation", "unit")
)


def _sql(types: dict[str, str]) -> str:
    """SQL: the sums per unit; each decimal read exactly as its DECIMAL type in `types` (the
    longest scale of its column: no digit is rounded), summed with the longest scale of the
    terms of each sum beside it."""
    sums = ", ".join(f"sum({d}) AS {d}, max({d}_places) AS {d}_places" for d in DECIMALS)
    exact = ", ".join(
        f"CAST({d} AS {types[d]}) AS {d}, {places(d)} AS {d}_places" for d in DECIMALS
    )
    terms = " UNION ALL ".join(
        f"SELECT home, {_KEY}, {i} AS what, {r}_den AS den, {r}_num AS num FROM home_days"
        f" WHERE {r}_num IS NOT NULL"
        for i, r in enumerate(RATIOS)
    )
    lists = ", ".join(
        f"list(CAST(num AS VARCHAR)) FILTER (WHERE what = {i}) AS {r}_nums,"
        f" list(CAST(den AS VARCHAR)) FILTER (WHERE what = {i}) AS {r}_dens"
        for i, r in enumerate(RATIOS)
    )
    texts = ", ".join(f"CAST(u.{d} AS VARCHAR), u.{d}_places" for d in DECIMALS)
    listed = ", ".join(f"l.{r}_nums, l.{r}_dens" for r in RATIOS)
    return f"""
WITH homes AS (
  SELECT home, {_KEY}, {sums} FROM (SELECT home, {_KEY}, {exact} FROM home_days)
  GROUP BY home, {_KEY}),
units AS (
  SELECT p.path, h.operation, h.unit, {sums} FROM homes h JOIN paths p USING (home)
  GROUP BY p.path, h.operation, h.unit),
home_terms AS (
  SELECT home, {_KEY}, what, CAST(den AS HUGEINT) AS den, sum(CAST(num AS HUGEINT)) AS num
  FROM ({terms}) GROUP BY home, {_KEY}, what, den),
unit_terms AS (
  SELECT p.path, t.operation, t.unit, t.what, t.den, sum(t.num) AS num
  FROM home_terms t JOIN paths p USING (home) GROUP BY p.path, t.operation, t.unit, t.what, t.den),
l AS (SELECT path, {_KEY}, {lists} FROM unit_terms GROUP BY path, {_KEY})
SELECT u.path, u.operation, u.unit, {texts}, {listed} FROM units u LEFT JOIN l ON {_SAME}
"""


_PLAIN = r"-?[0-9]+(\.[0-9]+)?"
_CHECK = "SELECT count(*) FILTER (WHERE {odd}), {sizes} FROM home_days".format(
    odd=" OR ".join(f"NOT coalesce(regexp_full_match({d}, '{_PLAIN}'), false)" for d in DECIMALS),
    sizes=", ".join(
        f"coalesce(max({places(d)}), 0), coalesce(max(length({d}) - {places(d)}), 0)"
        for d in DECIMALS
    ),
)


def _types(sizes: Sequence[int]) -> dict[str, str]:
    """The DECIMAL each column is read as: its longest scale, and as many digits before the
    point as its longest value has (a BIGINT's 18 digits where they do, else a HUGEINT's)."""
    types = {}
    for d, scale, width in zip(DECIMALS, sizes[::2], sizes[1::2], strict=True):
        digits = scale + width  # `width` counts a sign and a point too: room to spare
        if digits > 38:
            raise NotMicro(f"{d} has more digits than the engine's decimals hold")
        types[d] = f"DECIMAL({18 if digits <= 18 else 38}, {scale})"
    return types


def unit_sums(rows: pa.Table, paths: pa.Table) -> list[UnitSum]:
    """The home day sums `rows` (text columns home, operation, unit, *DECIMALS and each ratio's
    numerator and denominator, as read_home_days holds them) rolled up to every unit in `paths`
    (home, path: each unit above a home, the home included), in no particular order."""
    db = kept_cursor()
    try:
        db.register("home_days", rows)
        db.register("paths", paths)
        odd, *sizes = db.execute(_CHECK).fetchall()[0]
        if odd:
            raise NotMicro("a sum no plain decimal holds (1/3 h)")
        types = _types(sizes)
        found = db.execute(_sql(types)).fetchall()
    except (duckdb.OutOfRangeException, duckdb.ConversionException) as err:
        raise NotMicro(str(err)) from err  # a numerator or a sum beyond HUGEINT
    finally:
        db.close()
    return [_finished(*row) for row in found]


def _finished(path: str, operation: str, unit: str | None, *values: Any) -> UnitSum:
    hours, output, normed = (
        _written(t, at) for t, at in zip(values[:6:2], values[1:6:2], strict=True)
    )
    ratios = values[6:]
    norm_output, earned, fair = (
        over_lcm(nums, dens) if nums else None
        for nums, dens in zip(ratios[::2], ratios[1::2], strict=True)
    )
    return UnitSum(path, operation, unit, hours, output, normed, norm_output, earned, fair)


def _written(text: str, places: int) -> Decimal:
    """A sum as DuckDB writes its DECIMAL (every place of the type) at the longest scale of its
    terms, as Python's decimals sum them: the places beyond are zeros, dropped."""
    point = text.find(".")
    if point < 0:
        return Decimal(text)
    return Decimal(text[: point + 1 + places] if places else text[:point])
