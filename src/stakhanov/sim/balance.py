"""Line balancing: a flow line's operations grouped onto stations against a takt time.

Each operation goes to one station; a station's work (the standard minutes of its operations)
fits in the takt; no operation sits on a station before one it must follow. CP-SAT minimises
the number of stations, then the heaviest station's load, so the line is as short and as even
as the takt allows. Times are whole hundredths of a minute, exactly as written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from stakhanov.sim.workplace import Workplace

CENTI = 100


@dataclass(frozen=True)
class Station:
    number: int
    operations: tuple[str, ...]
    minutes: Decimal


@dataclass(frozen=True)
class Balance:
    status: str
    takt: Decimal
    stations: tuple[Station, ...]
    work: Decimal
    """Standard minutes of one unit, over every operation."""
    minimum: int
    """The lower bound: the work over the takt, rounded up."""

    @property
    def efficiency_percent(self) -> Decimal:
        if not self.stations:
            return Decimal(0)
        share = self.work / (len(self.stations) * self.takt) * 100
        return share.quantize(Decimal("0.1"))


class Unbalanceable(ValueError):
    pass


def predecessors(workplace: Workplace) -> dict[str, tuple[str, ...]]:
    names = workplace.names
    return {
        op.name: op.after if op.after is not None else names[max(0, i - 1) : i]
        for i, op in enumerate(workplace.operations)
    }


def balance_line(workplace: Workplace, takt: Decimal, time_limit: float = 10.0) -> Balance:
    missing = [op.name for op in workplace.operations if op.standard_minutes is None]
    if missing:
        raise Unbalanceable(f"no standard_minutes for {', '.join(missing)}")
    times = {op.name: op.standard_minutes or Decimal(0) for op in workplace.operations}
    for name, minutes in [*times.items(), ("the takt", takt)]:
        if (minutes * CENTI) % 1:
            raise Unbalanceable(f"{name}: {minutes} min has more than two decimals")
    for name, minutes in times.items():
        if minutes > takt:
            raise Unbalanceable(
                f"{name} takes {minutes} min, longer than the takt of {takt} min: "
                "split it, or run it on parallel stations"
            )
    work = sum(times.values(), Decimal(0))
    n = len(times)
    from ortools.sat.python import cp_model  # loaded when a plan is asked for: it is slow

    model = cp_model.CpModel()
    cap = int(takt * CENTI)
    dur = {t: int(m * CENTI) for t, m in times.items()}
    y = {(t, s): model.new_bool_var(f"y[{t},{s}]") for t in times for s in range(n)}
    used = [model.new_bool_var(f"used[{s}]") for s in range(n)]
    station = {t: model.new_int_var(0, n - 1, f"station[{t}]") for t in times}
    peak = model.new_int_var(0, cap, "peak")
    for t in times:
        model.add_exactly_one(y[t, s] for s in range(n))
        model.add(station[t] == sum(s * y[t, s] for s in range(n)))
    for s in range(n):
        load = sum(dur[t] * y[t, s] for t in times)
        model.add(load <= cap * used[s])
        model.add(peak >= load)
        if s + 1 < n:
            model.add(used[s] >= used[s + 1])
    for t, before in predecessors(workplace).items():
        for p in before:
            model.add(station[p] <= station[t])
    model.minimize(sum(used) * (cap + 1) + peak)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise Unbalanceable("no balance found within the time limit")
    stations: list[Station] = []
    for s in range(n):
        ops = tuple(t for t in times if solver.value(y[t, s]))
        if ops:
            minutes = sum((times[t] for t in ops), Decimal(0))
            stations.append(Station(len(stations) + 1, ops, minutes))
    return Balance(
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        takt,
        tuple(stations),
        work,
        math.ceil(work / takt),
    )
