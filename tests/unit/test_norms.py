from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.norms import Norm, NormBook, NormKind


def hewing(norm: str, since: str) -> Norm:
    return Norm(
        "hewing",
        "t",
        NormKind.OUTPUT,
        Decimal(norm),
        Decimal(6),
        dt.date.fromisoformat(since),
        ("timbering",),
    )


def test_output_norm_converts_quantity_to_standard_hours() -> None:
    norm = hewing("7", "1935-01-01")
    assert norm.standard_hours(Decimal(7)) == Decimal(6)
    assert norm.standard_hours(Decimal(102)) * 7 == Decimal(612)
    assert norm.norm_output(Decimal(3)) == Decimal("3.5")


def test_time_norm_is_standard_minutes_per_unit() -> None:
    norm = Norm("turning", "part", NormKind.TIME, Decimal(3), None, dt.date(1935, 1, 1))
    assert norm.standard_hours(Decimal(200)) == Decimal(10)
    assert norm.norm_output(Decimal(8)) == Decimal(160)
    assert norm.per_hour == Decimal(20)


def test_the_version_in_force_on_the_date_is_used() -> None:
    book = NormBook.of([hewing("8", "1935-09-01"), hewing("7", "1935-01-01")])
    assert book.in_force("hewing", dt.date(1934, 12, 31)) is None
    assert book.in_force("hewing", dt.date(1935, 8, 31)).norm == 7  # type: ignore[union-attr]
    assert book.in_force("hewing", dt.date(1935, 9, 1)).norm == 8  # type: ignore[union-attr]
    assert book.operations() == {"hewing", "timbering"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"norm": Decimal(0)}, "norm"),
        ({"norm_hours": None}, "norm_hours"),
        ({"norm_hours": Decimal(-1)}, "norm_hours"),
        ({"max_rate": Decimal(0)}, "max_rate"),
        ({"unit": "furlongs of coal"}, "unit"),
        ({"includes": ("hewing",)}, "includes"),
        ({"operation": "assist"}, "operation"),
    ],
)
def test_invalid_norms_name_the_field(changes: dict[str, object], field: str) -> None:
    values: dict[str, object] = {
        "operation": "hewing",
        "unit": "t",
        "kind": NormKind.OUTPUT,
        "norm": Decimal(7),
        "norm_hours": Decimal(6),
        "effective_from": dt.date(1935, 1, 1),
    }
    values.update(changes)
    with pytest.raises(InvalidValue) as err:
        Norm(**values)  # type: ignore[arg-type]
    assert err.value.field == field


def test_a_time_norm_takes_no_norm_hours() -> None:
    with pytest.raises(InvalidValue) as err:
        Norm("turning", "part", NormKind.TIME, Decimal(3), Decimal(8), dt.date(1935, 1, 1))
    assert err.value.field == "norm_hours"
