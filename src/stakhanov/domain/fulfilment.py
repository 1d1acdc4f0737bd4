"""Fulfilment of the norm, stated and fair, per shift and aggregated over any grouping.

Fulfilment is earned standard hours over hours worked. Fair fulfilment is the same for an
honest result; for an assisted or pooled result it is the crew average: the measured quantity
against the norm for the hours of everyone whose work the result contains.

Earned hours, norm output and their sums are exact fractions (Norm's own arithmetic); an
aggregate's percentages are rounded once, half-up to 0.1, from the exact ratio of its sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.attribution import CrewGroup, crew_groups
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.rounding import ratio_percent
from stakhanov.domain.units import ancestors

ZERO = Decimal(0)


@dataclass(frozen=True)
class Result:
    """One worker's part in one shift and operation, measured against the norm in force."""

    shift_id: str
    date: dt.date
    worker_id: str
    operation: str
    hours: Decimal
    output: Decimal
    unit: str | None
    norm_output: Fraction | None  # exact, like the earned standard hours
    earned: Fraction | None
    fair_earned: Fraction | None
    assisted: bool = False
    pooled: bool = False
    prepared: bool = False

    @property
    def percent(self) -> Fraction | None:
        """Stated fulfilment in percent, exact (round it with rounding.percent to show it)."""
        return None if self.earned is None else self.earned / Fraction(self.hours) * 100

    @property
    def fair_percent(self) -> Fraction | None:
        return None if self.fair_earned is None else self.fair_earned / Fraction(self.hours) * 100


def _group_results(group: CrewGroup) -> Iterable[Result]:
    norm = group.norm
    unit = norm.unit if norm else group.output.unit
    factor = conversion_factor(group.output.unit, unit)
    pooled = group.pooled
    fair_rate: Fraction | None = None
    if norm and (group.assisted or pooled):
        crew_hours = Fraction(group.crew_hours)
        fair_rate = norm.standard_hours(group.output.quantity * factor) / crew_hours
    for credit in group.doers:
        output = credit.quantity * factor
        earned = norm.standard_hours(output) if norm else None
        fair = earned if fair_rate is None else fair_rate * Fraction(credit.hours)
        yield Result(
            shift_id=group.shift.shift_id,
            date=group.shift.date,
            worker_id=credit.worker_id,
            operation=group.operation,
            hours=credit.hours,
            output=output,
            unit=unit,
            norm_output=norm.norm_output(credit.hours) if norm else None,
            earned=earned,
            fair_earned=fair,
            assisted=group.assisted,
            pooled=pooled,
            prepared=group.shift.prepared,
        )


def results(ledger: Ledger, start: dt.date, end: dt.date) -> list[Result]:
    """Every worker's result in the period, including helpers (whose own output is unmeasured)."""
    found: list[Result] = []
    for shift in ledger.shifts_between(start, end):
        measured = set()
        for group in crew_groups(ledger, shift):
            measured.add(group.operation)
            found.extend(_group_results(group))
        for entry in ledger.crew_of(shift.shift_id):
            if entry.operation in measured:
                continue
            # Timbering inside a hewing norm, or an assist: the work is real, its output is in
            # the measured result it helped, so it has no percentage of its own.
            found.append(
                Result(
                    shift_id=shift.shift_id,
                    date=shift.date,
                    worker_id=entry.worker_id,
                    operation=entry.operation,
                    hours=entry.hours,
                    output=ZERO,
                    unit=None,
                    norm_output=None,
                    earned=None,
                    fair_earned=None,
                    prepared=shift.prepared,
                )
            )
    return found


class Grouping(StrEnum):
    WORKER = "worker"
    BRIGADE = "brigade"
    UNIT = "unit"
    OPERATION = "operation"
    SHIFT = "shift"


@dataclass(frozen=True)
class Fulfilment:
    """An aggregate of results: both sides of the ratio are summed, never the percentages."""

    group: tuple[str, ...]
    operation: str
    unit: str | None
    shifts: int
    hours: Decimal
    output: Decimal
    norm_output: Fraction | None  # exact sums; shown with rounding.shown
    earned: Fraction | None
    fair_earned: Fraction | None
    normed_hours: Decimal

    @property
    def percent(self) -> Decimal | None:
        """Earned over normed hours, rounded half-up to 0.1 once, from the exact sums."""
        return None if self.earned is None else ratio_percent(self.earned, self.normed_hours)

    @property
    def fair_percent(self) -> Decimal | None:
        if self.fair_earned is None:
            return None
        return ratio_percent(self.fair_earned, self.normed_hours)


KeyOf = Callable[[Result], list[tuple[str, ...]]]


def key_function(grouping: Grouping, home_unit: Callable[[str], str]) -> KeyOf:
    """How results fall into groups. `unit` rolls each result up to every ancestor unit."""
    if grouping is Grouping.WORKER:
        return lambda r: [(r.worker_id,)]
    if grouping is Grouping.BRIGADE:
        return lambda r: [(home_unit(r.worker_id),)]
    if grouping is Grouping.UNIT:
        return lambda r: [(u,) for u in ancestors(home_unit(r.worker_id))]
    if grouping is Grouping.OPERATION:
        return lambda r: [()]
    return lambda r: [(r.shift_id, r.worker_id)]


def _add(total: Fraction | None, value: Fraction | None) -> Fraction | None:
    if value is None:
        return total
    return value if total is None else total + value


@dataclass
class _Sums:
    shifts: set[str] = field(default_factory=set)
    hours: Decimal = ZERO
    output: Decimal = ZERO
    norm_output: Fraction | None = None
    earned: Fraction | None = None
    fair_earned: Fraction | None = None
    normed_hours: Decimal = ZERO

    def add(self, result: Result) -> None:
        self.shifts.add(result.shift_id)
        self.hours += result.hours
        self.output += result.output
        if result.earned is not None:
            self.norm_output = _add(self.norm_output, result.norm_output)
            self.earned = _add(self.earned, result.earned)
            self.fair_earned = _add(self.fair_earned, result.fair_earned)
            self.normed_hours += result.hours


def add_up(parts: Iterable[list[Fulfilment]]) -> list[Fulfilment]:
    """The fulfilment of disjoint periods together, from each one's (as `aggregate` sorts).

    A shift has one date, so a group's shifts in disjoint periods are disjoint: its counts add
    up like its sums, and the result is `aggregate` of the periods' results together.
    """
    sums: dict[tuple[tuple[str, ...], str, str | None], Fulfilment] = {}
    for part in parts:
        for f in part:
            key = (f.group, f.operation, f.unit)
            held = sums.get(key)
            sums[key] = f if held is None else _plus(held, f)
    return [f for _, f in sorted(sums.items(), key=lambda i: (i[0][0], i[0][1], i[0][2] or ""))]


def _plus(a: Fulfilment, b: Fulfilment) -> Fulfilment:
    return Fulfilment(
        group=a.group,
        operation=a.operation,
        unit=a.unit,
        shifts=a.shifts + b.shifts,
        hours=a.hours + b.hours,
        output=a.output + b.output,
        norm_output=_add(a.norm_output, b.norm_output),
        earned=_add(a.earned, b.earned),
        fair_earned=_add(a.fair_earned, b.fair_earned),
        normed_hours=a.normed_hours + b.normed_hours,
    )


def aggregate(results_: Iterable[Result], key_of: KeyOf) -> list[Fulfilment]:
    """Sum results per (group, operation, unit), sorted by group then operation."""
    sums: dict[tuple[tuple[str, ...], str, str | None], _Sums] = {}
    for result in results_:
        for group in key_of(result):
            sums.setdefault((group, result.operation, result.unit), _Sums()).add(result)
    ordered = sorted(sums.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or ""))
    return [
        Fulfilment(
            group=group,
            operation=operation,
            unit=unit,
            shifts=len(acc.shifts),
            hours=acc.hours,
            output=acc.output,
            norm_output=acc.norm_output,
            earned=acc.earned,
            fair_earned=acc.fair_earned,
            normed_hours=acc.normed_hours,
        )
        for (group, operation, unit), acc in ordered
    ]
