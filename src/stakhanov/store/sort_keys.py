"""Sort keys of exact sums, taken in SQL over the rows of a group (decision 0900).

The worker month sums keep no sort keys, and a worker's month may lie in several rows (one per
home, after a transfer), so a page sorted by hours or a percentage takes its keys from the sums'
text as it groups them:
- `exact_sum`: hours or output, ordered as their exact values. PostgreSQL sums them as numeric
  (exact for decimals; hours no decimal holds, `1/3`, to numeric's division); SQLite as
  doubles, which order sums of decimals of a few places exactly below about 10^9 (a group is
  mostly one row: its double is the decimal's nearest, as exact in order as the decimal).
- `percent_key`: a percentage in tenths as every report rounds it (half-up, from the exact
  ratio of the summed earned standard hours to the summed normed hours), so a sort by it puts
  equal shown percentages together as the lists cut in Python do. PostgreSQL divides exact
  integers (each fraction taken up to 10^-60, which rounds exactly while the denominators'
  product stays under about 10^50); SQLite sums them exactly in Python integers, a call a row.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import NullType

PERCENT_KEY = "stakhanov_percent_key"
SCALE = "1e60"  # PostgreSQL: a numeric constant, exact
BIGGEST, WIDTH = 2**63, 80  # SQLite's integers; the digits of any larger key as text


class exact_sum(GenericFunction[Any]):  # noqa: N801 (an SQL function's name)
    """SQL aggregate: the sum of decimal (or `n/d`) texts, ordered as the exact sum."""

    type = NullType()  # raw: numeric on PostgreSQL, a number on SQLite
    inherit_cache = True


class percent_key(GenericFunction[Any]):  # noqa: N801 (an SQL function's name)
    """SQL aggregate of (numerator, denominator, normed hours) texts: the rounded percentage
    of the summed ratio over the summed hours, in tenths; NULL without a ratio or hours."""

    type = NullType()  # raw: numeric on PostgreSQL, a number on SQLite
    inherit_cache = True


def _args(element: Any, compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(c, **kw) for c in element.clauses.clauses]


def _numeric(text: str) -> str:
    """PostgreSQL: decimal text, or `n/d`, as numeric."""
    return (
        f"CASE WHEN strpos({text}, '/') > 0 THEN CAST(split_part({text}, '/', 1) AS numeric)"
        f" / CAST(split_part({text}, '/', 2) AS numeric) ELSE CAST({text} AS numeric) END"
    )


def _scaled_down(text: str) -> str:
    """PostgreSQL: decimal text, or `n/d`, times 10^60, an `n/d` taken down to an integer
    (numeric's own division keeps about 20 digits, too few for a key)."""
    return (
        f"CASE WHEN strpos({text}, '/') > 0 THEN div(CAST(split_part({text}, '/', 1) AS numeric)"
        f" * {SCALE}, CAST(split_part({text}, '/', 2) AS numeric))"
        f" ELSE CAST({text} AS numeric) * {SCALE} END"
    )


@compiles(exact_sum)
def _exact_sum(element: exact_sum, compiler: SQLCompiler, **kw: Any) -> str:
    (text,) = _args(element, compiler, **kw)
    return f"sum({_numeric(text)})"


@compiles(exact_sum, "sqlite")
def _exact_sum_sqlite(element: exact_sum, compiler: SQLCompiler, **kw: Any) -> str:
    """As doubles: each the nearest double of its decimal, their sum within an ulp or so of
    the exact sum's, which orders sums of decimals of a few places exactly."""
    (text,) = _args(element, compiler, **kw)
    slash = f"instr({text}, '/')"
    return (
        f"sum(CASE WHEN {slash} > 0 THEN CAST(substr({text}, 1, {slash} - 1) AS REAL)"
        f" / CAST(substr({text}, {slash} + 1) AS REAL) ELSE CAST({text} AS REAL) END)"
    )


@compiles(percent_key)
def _percent_key(element: percent_key, compiler: SQLCompiler, **kw: Any) -> str:
    """Half-up in tenths: floor((2000 E + H) / 2H) for E earned, H hours, each fraction of E
    taken up and of H down (at 10^-60): never below an exact half, never up to the next."""
    num, den, normed = _args(element, compiler, **kw)
    n, d = f"CAST({num} AS numeric)", f"CAST({den} AS numeric)"
    earned = f"sum(div({n} * {SCALE} + {d} - 1, {d}))"
    hours = f"sum({_scaled_down(normed)})"
    return (
        f"CASE WHEN sum({n}) IS NULL OR {hours} = 0 THEN NULL"
        f" ELSE div(2000 * {earned} + {hours}, 2 * {hours}) END"
    )


@compiles(percent_key, "sqlite")
def _percent_key_sqlite(element: percent_key, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{PERCENT_KEY}({', '.join(_args(element, compiler, **kw))})"


def _number(text: str) -> Decimal | Fraction:
    return Fraction(text) if "/" in text else Decimal(text)


def _plus(total: Decimal | Fraction | None, value: Decimal | Fraction) -> Decimal | Fraction:
    if total is None:
        return value
    if isinstance(total, Decimal) and isinstance(value, Decimal):
        return total + value
    return Fraction(total) + Fraction(value)


class PercentKey:
    """SQLite's `percent_key`, in integers: it runs for every row of a sorted list, and a
    group is mostly one row (one fraction, one decimal)."""

    __slots__ = ("den", "hours", "num")

    def __init__(self) -> None:
        self.hours: Decimal | Fraction | None = None
        self.num: int | None = None
        self.den = 1

    def step(self, num: str | None, den: str | None, normed: str | None) -> None:
        if normed is not None:
            self.hours = _plus(self.hours, _number(normed))
        if num is not None and den is not None:
            n, d = int(num), int(den)
            if self.num is None:
                self.num, self.den = n, d
            elif d == self.den:
                self.num += n
            else:
                self.num, self.den = self.num * d + n * self.den, self.den * d

    def finalize(self) -> int | str | None:
        """Tenths of num / den / hours x 100, half-up (away from zero) as `rounding.percent`.

        SQLite's integers end at 2^63: a larger key is given as digits padded to one width,
        which SQLite orders after every integer and among themselves by value."""
        if self.num is None or not self.hours:
            return None
        hours_num, hours_den = self.hours.as_integer_ratio()
        top, bottom = self.num * hours_den * 1000, self.den * hours_num
        if bottom < 0:
            top, bottom = -top, -bottom
        whole, rest = divmod(top, bottom)
        up = 2 * rest >= bottom if top >= 0 else 2 * rest > bottom
        key = whole + int(up)
        if key < BIGGEST:
            return max(key, -BIGGEST)  # a negative ratio: none is kept
        return f"{key:0{WIDTH}d}"


def register(dbapi_connection: Any) -> None:
    """Give a SQLite connection the aggregate `percent_key`."""
    dbapi_connection.create_aggregate(PERCENT_KEY, 3, PercentKey)
