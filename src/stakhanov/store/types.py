"""Column types that keep numbers exact on every backend, in a form SQL can compute with.

Every exact decimal is stored at a fixed scale of STORED_PLACES decimals: integer micro-units on
SQLite (whose SUM over integers is exact, over REAL a float) and NUMERIC(30, 6) on PostgreSQL.
`to_column` and `from_column` are the one conversion; any writer that bypasses the ORM types
(a bulk or raw insert) calls them. Where the written scale of a value matters (50 splits into
units, 50.0 into tenths), its table keeps it in a `<column>_places` column beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, Numeric, SmallInteger, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from stakhanov.domain.values import STORED_DIGITS, STORED_PLACES, places_of

SCALE = 10**STORED_PLACES
LIMIT = Decimal(10) ** STORED_DIGITS
POSTGRES_TYPE = Numeric(STORED_DIGITS + 18, STORED_PLACES, asdecimal=True)  # NUMERIC(30, 6)


class InexactValue(ValueError):
    """A value the database cannot hold exactly; it is refused, never rounded."""


def stored_date(value: Any) -> dt.date:
    """A date as a driver returns it: a date from PostgreSQL, ISO text from SQLite's raw reads."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def micro_units(value: Decimal) -> int:
    """The value x 10^6 as an integer, or InexactValue when that is not exact or too large."""
    if not value.is_finite():
        raise InexactValue(f"{value} is not a finite number")
    if abs(value) >= LIMIT:
        raise InexactValue(f"{value} is too large to store (at most {STORED_DIGITS} digits)")
    scaled = value.scaleb(STORED_PLACES)
    if scaled != scaled.to_integral_value():
        raise InexactValue(f"{value} has more than {STORED_PLACES} decimal places")
    return int(scaled)


def to_column(value: Decimal, dialect_name: str) -> int | Decimal:
    """What an exact decimal column holds for `value` on the named backend."""
    units = micro_units(value)
    if dialect_name == "postgresql":
        return Decimal(units).scaleb(-STORED_PLACES)
    return units


def plain(value: Decimal) -> Decimal:
    """The value without trailing zeros and never with an exponent: 6.000000 is 6, 60 is 60."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int), "a finite number"
    return normal.quantize(Decimal(1)) if exponent > 0 else normal + 0


def from_column(stored: int | Decimal | str, places: int | None = None) -> Decimal:
    """The Decimal a column holds: plain, or with `places` decimals when its scale was kept."""
    value = Decimal(stored).scaleb(-STORED_PLACES) if isinstance(stored, int) else Decimal(stored)
    return plain(value) if places is None else value.quantize(Decimal(1).scaleb(-places))


def with_places(value: Decimal | None, places: int | None) -> Decimal | None:
    """A plain value read back at the scale it was written with (kept in `<column>_places`)."""
    if value is None or places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places))


def written_places(value: Decimal | None) -> int | None:
    """What a `<column>_places` column keeps for a value."""
    return None if value is None else places_of(value)


def keeping(**values: Decimal | None) -> dict[str, Decimal | int | None]:
    """Column values for a row, each with its `<name>_places` beside it."""
    row: dict[str, Decimal | int | None] = {}
    for name, value in values.items():
        row[name] = value
        row[f"{name}_places"] = written_places(value)
    return row


def kept(row: Any, name: str) -> Decimal:
    """A required value of a row read back at the scale it was written with."""
    value = with_places(getattr(row, name), getattr(row, f"{name}_places"))
    assert value is not None, f"{name} is required"
    return value


def places_column(name: str, nullable: bool = False) -> Column[int]:
    """The column that keeps the written scale of the exact decimal column `name`."""
    return Column(f"{name}_places", SmallInteger, nullable=nullable)


def exact_column(name: str) -> Column[str]:
    """The column that keeps the exact fraction (`1/3`) of the hours column `name` where no
    six-place decimal holds it; empty when the decimal is the value (decision 0463)."""
    return Column(f"{name}_exact", String(40), nullable=True)


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal at a fixed scale of six decimals: micro-units on SQLite, NUMERIC(30, 6) else."""

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(POSTGRES_TYPE)
        return dialect.type_descriptor(BigInteger())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return to_column(Decimal(value), dialect.name)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_column(value)


class DecimalText(TypeDecorator[Decimal]):
    """How exact decimals were stored before migration 0006: NUMERIC on PostgreSQL, the Decimal's
    text on SQLite. Only the migrations that built those columns use it."""

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return value
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))
