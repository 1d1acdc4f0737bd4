"""Checks shared by the value objects: each raises InvalidValue naming the field and value."""

from __future__ import annotations

from decimal import Decimal

from stakhanov.domain.errors import InvalidValue

MAX_HOURS = Decimal(24)


def require_text(field: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidValue(field, value, "is required")
    return value.strip()


def require_hours(field: str, value: Decimal) -> Decimal:
    if not Decimal(0) < value <= MAX_HOURS:
        raise InvalidValue(field, value, "must be more than 0 and at most 24 hours")
    return value


def require_non_negative(field: str, value: Decimal) -> Decimal:
    if value < 0:
        raise InvalidValue(field, value, "must not be negative")
    return value


def require_positive(field: str, value: Decimal) -> Decimal:
    if value <= 0:
        raise InvalidValue(field, value, "must be more than 0")
    return value
