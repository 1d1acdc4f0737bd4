"""Home day sums rolled up to every unit above their homes set-based (engine.unit_rollup) equal
the Python roll-up of the same stored rows (read_sums._rolled), to the fraction and to the
written scale of every decimal (decision 0907)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.engine import unit_rollup
from stakhanov.services import read_sums
from stakhanov.store.frames import NotMicro

HOMES = st.sampled_from(["A", "A/B", "A/B/C", "A/B/C2", "A/D", "E"])
OPERATIONS = st.sampled_from([("hewing", "t"), ("hewing", "m3"), ("timbering", None)])
DECIMAL = st.builds(  # any scale: a sum keeps the longest of its terms
    lambda units, places: format(Decimal(units).scaleb(-places), "f"),
    st.integers(-(10**3), 10**12),
    st.integers(0, 9),
)
RATIO = st.tuples(st.integers(-(10**24), 10**24), st.integers(1, 10**9))
RATIOS = ("norm_output", "earned", "fair")
COLUMNS = ("home", "operation", "unit", *unit_rollup.DECIMALS)
COLUMNS += tuple(f"{r}_{part}" for r in RATIOS for part in ("num", "den"))


@st.composite
def stored(draw: Any) -> dict[str, Any]:
    """A home's day sum as read_home_days holds it: without a normed result, no ratio."""
    operation, unit = draw(OPERATIONS)
    row: dict[str, Any] = {"home": draw(HOMES), "operation": operation, "unit": unit}
    row.update({d: draw(DECIMAL) for d in unit_rollup.DECIMALS})
    normed = draw(st.booleans())
    for name in RATIOS:
        value = draw(RATIO) if normed else None
        row[f"{name}_num"], row[f"{name}_den"] = (
            (None, None) if value is None else (str(value[0]), str(value[1]))
        )
    return row


def frame(rows: list[dict[str, Any]]) -> pa.Table:
    """The rows as the store reads them: Arrow text columns."""
    return pa.table({n: pa.array([r[n] for r in rows], pa.string()) for n in COLUMNS})


def in_python(rows: list[dict[str, Any]]) -> list[str]:
    """The reference's sums per (unit, operation, unit of measure), as exact text."""
    return sorted(repr(u) for u in read_sums.unit_sums_in_python(rows))


def set_based(rows: list[dict[str, Any]]) -> list[str]:
    table = frame(rows)
    return sorted(repr(u) for u in unit_rollup.unit_sums(table, read_sums._paths_of(table)))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(stored(), min_size=1, max_size=30))
def test_the_units_summed_set_based_are_the_python_roll_up(rows: list[dict[str, Any]]) -> None:
    assert set_based(rows) == in_python(rows)


def test_a_sum_no_plain_decimal_holds_is_left_to_python() -> None:
    """1/3 h (20min), as a home sum keeps it, is not a number the engine reads exactly."""
    row = dict.fromkeys(COLUMNS) | {"home": "A/B", "operation": "hewing", "unit": "t"}
    row |= {"hours": "1/3", "output": "2", "normed_hours": "0"}
    with pytest.raises(NotMicro):
        set_based([row])
    assert in_python([row]) and "ExactHours" in in_python([row])[0]


def test_a_numerator_beyond_the_engine_s_integers_is_left_to_python() -> None:
    row = dict.fromkeys(COLUMNS) | {"home": "A", "operation": "hewing", "unit": "t"}
    row |= {"hours": "6", "output": "2", "normed_hours": "6"}
    row |= {f"{r}_num": str(10**40) for r in RATIOS} | {f"{r}_den": "3" for r in RATIOS}
    with pytest.raises(NotMicro):
        set_based([row])
