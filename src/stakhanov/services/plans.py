"""Plans: status (actual against target, rolled up, with a forecast) and the cascade of targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.fulfilment import results
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.periods import Period
from stakhanov.domain.plans import (
    Allocation,
    PlanStatus,
    PlanTarget,
    Production,
    cascade,
    granularity,
    previous_period,
    roll_up,
)
from stakhanov.domain.units import is_within, parent
from stakhanov.domain.wording import say
from stakhanov.services import reports
from stakhanov.services.importing import ImportReport, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import RawBatch, RawTable
from stakhanov.store import read_days
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import NORMS, PLANS


class PlanRefused(Refused):
    """The cascade cannot be made as asked."""


def targets(engine: Engine) -> list[PlanTarget]:
    with engine.connect() as connection:
        return LedgerStore(connection).records(PLANS, PlanTarget)


def production(ledger: Ledger) -> list[Production]:
    """Every measured output of the snapshot, where and when it was produced."""
    found = []
    for output in ledger.outputs.values():
        shift = ledger.shifts.get(output.shift_id)
        if shift is not None:
            found.append(
                Production(
                    shift.workplace, shift.date, output.operation, output.quantity, output.unit
                )
            )
    return found


def measured(connection: Connection, period: Period) -> list[Production]:
    """The period's measured output per day, workplace and operation, from the read model's
    day sums: as many rows as days and workplaces worked, not shifts and crews (decision
    0596). Summed per day, it is what `production` gives shift by shift for the actuals."""
    return [
        Production(workplace, date, operation, quantity, unit)
        for date, workplace, operation, unit, quantity in read_days.output_rows(
            connection, period.start, period.end
        )
    ]


def measured_of(engine: Engine, period: Period) -> list[Production]:
    with engine.connect() as connection:
        return measured(connection, period)


def status(
    engine: Engine,
    period: Period | None = None,
    within: str | None = None,
    as_of: dt.date | None = None,
) -> list[PlanStatus]:
    """Plans whose period lies within `period`, with every unit above them rolled up."""
    chosen = [
        t
        for t in targets(engine)
        if period is None or (period.start <= t.period_start and t.period_end <= period.end)
    ]
    if not chosen:
        return []
    span = Period(min(t.period_start for t in chosen), max(t.period_end for t in chosen))
    with engine.connect() as connection:
        norms = NormBook.of(LedgerStore(connection).records(NORMS, Norm))
        made = measured(connection, span)
    units_of = {t.operation: norms.unit_of(t.operation) or t.unit_of_measure for t in chosen}
    found = roll_up(chosen, made, as_of or dt.date.today(), units_of)
    return [s for s in found if within is None or is_within(s.unit, within)]


def status_dict(item: PlanStatus) -> dict[str, Any]:
    return {
        "unit": item.unit,
        "operation": item.operation,
        "period_start": item.period.start,
        "period_end": item.period.end,
        "granularity": granularity(item.period),
        "unit_of_measure": item.unit_of_measure,
        "target": item.target,
        "actual": item.actual,
        "percent": item.percent,
        "forecast": item.forecast,
        "forecast_percent": item.forecast_percent,
        "derived": item.derived,
        "as_of": item.as_of,
    }


@dataclass(frozen=True)
class CascadeRow:
    parent: str
    allocation: Allocation


@dataclass
class Cascade:
    unit: str
    operation: str
    period: Period
    unit_of_measure: str
    target: Decimal
    reference: Period
    rows: list[CascadeRow] = field(default_factory=list)
    unallocated: dict[str, Decimal] = field(default_factory=dict)

    def plan_rows(self) -> list[PlanTarget]:
        """The unit's own target first, then every positive target below it."""
        root = PlanTarget(
            self.unit,
            self.operation,
            self.period.start,
            self.period.end,
            self.target,
            self.unit_of_measure,
        )
        return [root] + [
            PlanTarget(
                r.allocation.unit,
                self.operation,
                self.period.start,
                self.period.end,
                r.allocation.target,
                self.unit_of_measure,
            )
            for r in self.rows
            if r.allocation.target > 0
        ]


def capacities(
    ledger: Ledger, operation: str, reference: Period, units: list[str]
) -> dict[str, Fraction]:
    """Norm output of the hours worked on the operation in each unit's workplaces, exactly."""
    found = {u: Fraction(0) for u in units}
    for result in results(ledger, reference.start, reference.end):
        shift = ledger.shifts[result.shift_id]
        if result.operation != operation or result.norm_output is None:
            continue
        for unit in units:
            if is_within(shift.workplace, unit):
                found[unit] += result.norm_output
    return found


def plan_cascade(
    engine: Engine,
    unit: str,
    operation: str,
    period: Period,
    *,
    target: Decimal | None = None,
    unit_of_measure: str | None = None,
    overrides: dict[str, Decimal] | None = None,
    reference: Period | None = None,
    levels: int = 1,
) -> Cascade:
    """Split a unit's target over the tree below it, by capacity in norm output.

    The target is the one given, or the unit's stored plan for the operation and period.
    Capacity comes from the reference period (default: the period just before the plan, of
    the same granularity: August for a September plan).
    `levels` is how many levels down to go; 0 goes to the leaves.
    """
    overrides = dict(overrides or {})
    if target is None or unit_of_measure is None:
        stored = [
            t for t in targets(engine) if t.key == (unit, operation, period.start, period.end)
        ]
        if not stored:
            raise PlanRefused(
                say(
                    "no plan for %(unit)s %(operation)s %(period)s; give --target and "
                    "--unit-of-measure",
                    unit=unit,
                    operation=operation,
                    period=str(period),
                ),
                field="target",
            )
        target = target if target is not None else stored[0].target
        unit_of_measure = unit_of_measure or stored[0].unit_of_measure
    reference = reference or previous_period(period)
    with engine.connect() as connection:
        tree = LedgerStore(connection).unit_paths()
    if unit not in tree:
        raise PlanRefused(say("unknown unit %(unit)r", unit=unit), field="unit")
    strays = sorted(u for u in overrides if not is_within(u, unit) or u == unit)
    if strays:
        raise PlanRefused(
            say("override %(unit)r is not below %(parent)s", unit=strays[0], parent=unit),
            field="overrides",
        )
    ledger = reports.ledger_for(engine, reference)
    result = Cascade(unit, operation, period, unit_of_measure, target, reference)
    below = sorted(u for u in tree if u != unit and is_within(u, unit))
    capacity = capacities(ledger, operation, reference, below)
    queue = [(unit, target, 1)]
    while queue:
        node, amount, depth = queue.pop(0)
        children = [u for u in below if parent(u) == node]
        if not children:
            continue
        mine = {c: overrides.pop(c) for c in children if c in overrides}
        try:
            allocations = cascade(amount, children, capacity, mine)
        except InvalidValue as err:
            raise PlanRefused(
                say("splitting %(unit)s: %(reason)s", unit=node, reason=err.reason), field="target"
            ) from err
        rest = amount - sum((a.target for a in allocations), Decimal(0))
        if rest:
            result.unallocated[node] = rest
        for allocation in allocations:
            result.rows.append(CascadeRow(node, allocation))
            if levels == 0 or depth < levels:
                queue.append((allocation.unit, allocation.target, depth + 1))
    if overrides:
        raise PlanRefused(
            say("override %(unit)r lies deeper than --levels reaches", unit=sorted(overrides)[0]),
            field="overrides",
        )
    return result


def apply(
    engine: Engine, plan: Cascade, *, correct: bool = False, author: str | None = None
) -> ImportReport:
    """Record the cascaded targets through the ordinary import: all or nothing, idempotent."""
    return import_batch(
        engine,
        cascade_batch(plan),
        author=author,
        correct=correct,
        reason=cascade_reason(plan) if correct else None,
    )


def cascade_reason(plan: Cascade) -> str:
    return f"cascade of {plan.unit} {plan.period}"


def cascade_batch(plan: Cascade) -> RawBatch:
    """The cascaded targets as the plans.csv an import reads (the unit's own target first)."""
    table = RawTable("plans.csv", list(FORMATS["plans.csv"].columns), display="plan cascade")
    for number, row in enumerate(plan.plan_rows(), start=2):
        cells = [
            row.unit,
            row.operation,
            row.period_start.isoformat(),
            row.period_end.isoformat(),
            str(row.target),
            row.unit_of_measure,
        ]
        table.rows.append((number, cells))
    return RawBatch({"plans.csv": table}, [], f"plan cascade of {plan.unit} {plan.operation}")
