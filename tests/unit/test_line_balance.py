from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.sim.balance import Unbalanceable, balance_line, predecessors
from stakhanov.sim.workplace import Operation, Workplace


def line(minutes: list[Decimal]) -> Workplace:
    ops = tuple(
        Operation(f"op{i}", {"std": Decimal(1)}, standard_minutes=m) for i, m in enumerate(minutes)
    )
    return Workplace("line", "piece", Decimal(1), Decimal(8), ops)


def fewest_stations(workplace: Workplace, takt: Decimal) -> int:
    """Every assignment of operations to stations, in order, checked by brute force."""
    names = workplace.names
    before = predecessors(workplace)
    times = {op.name: op.standard_minutes for op in workplace.operations}
    best = len(names)
    for stations in itertools.product(range(len(names)), repeat=len(names)):
        where = dict(zip(names, stations, strict=True))
        if any(where[p] > where[t] for t, ps in before.items() for p in ps):
            continue
        loads: dict[int, Decimal] = {}
        for name, s in where.items():
            loads[s] = loads.get(s, Decimal(0)) + (times[name] or Decimal(0))
        if all(load <= takt for load in loads.values()):
            best = min(best, len(loads))
    return best


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(1, 9).map(lambda n: Decimal(n) / 2), min_size=1, max_size=5),
    st.integers(9, 12).map(lambda n: Decimal(n) / 2),
)
def test_the_balance_uses_the_fewest_stations_that_keep_the_takt(
    minutes: list[Decimal], takt: Decimal
) -> None:
    workplace = line(minutes)
    result = balance_line(workplace, takt)
    assert result.status == "optimal"
    assert len(result.stations) == fewest_stations(workplace, takt)
    assert all(s.minutes <= takt for s in result.stations)
    order = [op for s in result.stations for op in s.operations]
    assert sorted(order) == sorted(workplace.names)
    assert result.minimum <= len(result.stations)


def test_an_operation_longer_than_the_takt_is_refused() -> None:
    with pytest.raises(Unbalanceable, match="op1 takes 5 min, longer than the takt"):
        balance_line(line([Decimal(1), Decimal(5)]), Decimal(4))
