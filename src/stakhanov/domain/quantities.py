"""Quantities carry units. Magnitudes are Decimal; units are checked and converted with pint.

The registry is built once and lazily, since pint takes a moment to load its definitions.
Conversion returns an exact Decimal factor so that whole columns convert by one multiplication.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import pint

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.wording import say

# Shop-floor count units each get their own dimension: a piece is not a pair.
_SHOP_FLOOR_UNITS = (
    "piece = [piece] = pc = pieces",
    "part = [part] = parts",
    "pair = [pair] = pairs",
    "loom = [loom] = looms",
    # Warehouses, packing lines and harvests count in their own units too.
    *(
        f"{name} = [{name}] = {plural}"
        for name, plural in (
            ("box", "boxes"),
            ("carton", "cartons"),
            ("case", "cases"),
            ("crate", "crates"),
            ("pallet", "pallets"),
            ("parcel", "parcels"),
            ("sack", "sacks"),
            ("bale", "bales"),
            ("bundle", "bundles"),
            ("roll", "rolls"),
            ("sheet", "sheets"),
            ("item", "items"),
            ("garment", "garments"),
            ("order", "orders"),
            ("pick", "picks"),
        )
    ),
    "quintal = 100 * kilogram = qt",
    "m3 = meter ** 3",
    "m2 = meter ** 2",
)


@cache
def _registry() -> Any:
    registry: Any = pint.UnitRegistry(non_int_type=Decimal)
    for definition in _SHOP_FLOOR_UNITS:
        registry.define(definition)
    return registry


MAX_POWER = 3
"""The highest power of a dimension a unit may have (m3 is a volume; nothing needs more)."""


@lru_cache(maxsize=1024)  # a month repeats a few units on every row; pint parses slowly
def check_unit(unit: str) -> str:
    """Return the unit as written if pint knows it, else raise InvalidValue."""
    text = unit.strip()
    if not text:
        raise InvalidValue("unit", unit, "is empty")
    if not _known(text):
        hint = f" (units are case-sensitive: {text.lower()!r}?)" if _known(text.lower()) else ""
        raise InvalidValue("unit", unit, say("is not a known unit of measure%(hint)s", hint=hint))
    powers = _registry().parse_units(text).dimensionality.values()
    if any(abs(power) > MAX_POWER for power in powers):
        # t**1000000 is a unit to pint, but converting it overflows Decimal to 0: refused.
        raise InvalidValue(
            "unit", unit, say("raises a unit to a power above %(max_power)s", max_power=MAX_POWER)
        )
    return text


def _known(text: str) -> bool:
    try:
        _registry().parse_units(text)
    except Exception:  # pint's parser also raises AssertionError ('kg/') and TokenError ('(t')
        return False
    return True


def case_hint(unit: str, expected: str) -> str:
    """A hint when a unit differs from the expected one only by case ('T' is tesla, not t)."""
    if unit != expected and unit.lower() == expected.lower():
        return f"; units are case-sensitive ({unit!r} is not {expected!r})"
    return ""


@cache
def conversion_factor(from_unit: str, to_unit: str) -> Decimal:
    """The exact factor that turns a magnitude in from_unit into to_unit."""
    if from_unit == to_unit:
        return Decimal(1)
    registry = _registry()
    try:
        factor = registry.Quantity(Decimal(1), from_unit).to(to_unit).magnitude
    except pint.errors.DimensionalityError as err:
        raise InvalidValue(
            "unit", from_unit, say("cannot be converted to %(to_unit)s", to_unit=to_unit)
        ) from err
    return Decimal(factor).normalize()


def compatible(from_unit: str, to_unit: str) -> bool:
    try:
        conversion_factor(from_unit, to_unit)
    except InvalidValue:
        return False
    return True


@dataclass(frozen=True)
class Quantity:
    """An amount of something in a unit of measure."""

    amount: Decimal
    unit: str

    def to(self, unit: str) -> Quantity:
        return Quantity(self.amount * conversion_factor(self.unit, unit), unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"
