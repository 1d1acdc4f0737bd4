"""A worker's ordinary work over a period, on their own norms, with its quality and safety.

Titles, competitions, honour boards and mentoring all judge the same thing: fair fulfilment on
ordinary shifts. Prepared shifts are kept out (they are records, judged on their own), and so is
work with no norm. Everything is summed in standard hours, so operations with different norms
and units add up fairly. Sums and percentages are exact fractions; they are rounded only when
shown (domain/rounding.py), so a threshold of 120% is met by exactly 120%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.fulfilment import ZERO, Result, results
from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.periods import Period
from stakhanov.domain.quantities import conversion_factor

F0 = Fraction(0)


@dataclass(frozen=True)
class Work:
    """One worker's normed result on an ordinary shift, with its rejects and incidents."""

    result: Result
    rejected_hours: Fraction
    incident: bool = False
    checked: bool = False  # the shift's rejected quantity was recorded (zero included)

    @property
    def worker_id(self) -> str:
        return self.result.worker_id


def rejected_hours_of(ledger: Ledger, result: Result) -> Fraction:
    """Standard hours of the worker's share of the rejected output (by credit, else hours)."""
    output = ledger.outputs.get((result.shift_id, result.operation))
    shift = ledger.shifts[result.shift_id]
    norm = ledger.norms.in_force(result.operation, shift.date)
    if output is None or norm is None or not output.rejected:
        return F0
    factor = conversion_factor(output.unit, norm.unit)
    quantity = output.quantity * factor
    if quantity:
        share = Fraction(result.output) / Fraction(quantity)
    else:
        doers = [e for e in ledger.crew_of(result.shift_id) if e.operation == result.operation]
        share = Fraction(result.hours) / Fraction(sum((e.hours for e in doers), ZERO))
    return norm.standard_hours(output.rejected * factor) * share


def hurt_keys(
    incidents: Iterable[Incident],
) -> tuple[set[tuple[str, str]], set[tuple[str, dt.date]]]:
    """(shift, worker) of each worker hurt on a shift, and (worker, date) of each hurt on a day
    without a shift named: a result is unsafe if either holds its worker."""
    on_shift: set[tuple[str, str]] = set()
    on_day: set[tuple[str, dt.date]] = set()
    for incident in incidents:
        for worker_id in incident.worker_ids:
            if incident.shift_id is not None:
                on_shift.add((incident.shift_id, worker_id))
            else:
                on_day.add((worker_id, incident.date))
    return on_shift, on_day


def ordinary_work(
    ledger: Ledger,
    period: Period,
    incidents: Iterable[Incident] = (),
    doubtful: Collection[tuple[str, str, str]] = frozenset(),
) -> list[Work]:
    """Every normed result on a standard shift in the period, with its rejects and incidents.

    `doubtful` names results (shift, operation, worker) whose figure the audit calls physically
    impossible and no auditor has explained: they are left out like prepared shifts, so that a
    staged figure never counts towards a title, a board or a competition.
    """
    hurt, hurt_on_day = hurt_keys(incidents)
    found = []
    for result in results(ledger, period.start, period.end):
        if result.prepared or result.earned is None:
            continue
        if (result.shift_id, result.operation, result.worker_id) in doubtful:
            continue
        unsafe = (result.shift_id, result.worker_id) in hurt
        unsafe = unsafe or (result.worker_id, result.date) in hurt_on_day
        output = ledger.outputs.get((result.shift_id, result.operation))
        checked = output is not None and output.rejected is not None
        found.append(Work(result, rejected_hours_of(ledger, result), unsafe, checked))
    return found


@dataclass
class Tally:
    """Sums over work: both sides of every ratio are summed, never the percentages."""

    shift_ids: set[str] = field(default_factory=set)
    workers: set[str] = field(default_factory=set)
    hours: Decimal = ZERO
    earned: Fraction = F0
    fair_earned: Fraction = F0
    rejected_hours: Fraction = F0
    unsafe_earned: Fraction = F0
    checked: int = 0
    shift_percents: list[Fraction] = field(default_factory=list)
    """Each result's fair fulfilment, where they are listed (`reached` None)."""
    shift_count: int | None = None
    """Where not None, the distinct shifts counted instead of listed in `shift_ids` (a
    worker's whole tally, which nothing merges with another)."""
    results: int = 0
    reached: dict[Fraction, int] | None = None
    """Where not None, instead of listing the percentages: for each percentage that may be
    asked (a rulebook's share_at_least thresholds), how many results reached it."""

    def add(self, work: Work) -> None:
        result = work.result
        assert result.earned is not None and result.fair_earned is not None
        self.shift_ids.add(result.shift_id)
        self.workers.add(result.worker_id)
        self.hours += result.hours
        self.earned += result.earned
        self.fair_earned += result.fair_earned
        self.rejected_hours += work.rejected_hours
        if work.incident:
            self.unsafe_earned += result.fair_earned
        if work.checked:
            self.checked += 1
        self.results += 1
        self.shift_percents.append(result.fair_earned / Fraction(result.hours) * 100)

    @property
    def shifts(self) -> int:
        return len(self.shift_ids) if self.shift_count is None else self.shift_count

    def _percent(self, earned: Fraction) -> Fraction | None:
        return earned / Fraction(self.hours) * 100 if self.hours else None

    @property
    def percent(self) -> Fraction | None:
        return self._percent(self.earned)

    @property
    def fair_percent(self) -> Fraction | None:
        return self._percent(self.fair_earned)

    @property
    def quality_adjusted_percent(self) -> Fraction | None:
        """Fair fulfilment less the standard hours of rejected output."""
        return self._percent(self.fair_earned - self.rejected_hours)

    @property
    def safety_gated_percent(self) -> Fraction | None:
        """Fair fulfilment counting nothing earned on a shift with a safety incident."""
        return self._percent(self.fair_earned - self.unsafe_earned)

    @property
    def reject_share(self) -> Fraction:
        """Rejected output as a percentage of all output, in standard hours."""
        total = self.earned + self.rejected_hours
        return self.rejected_hours / total * 100 if total else F0

    def share_at_least(self, percent: Decimal | Fraction) -> Fraction:
        """The percentage of results whose fair fulfilment reached `percent` (counted, or
        where `reached` holds counts, read: ValueError if it holds none for `percent`)."""
        if not self.results:
            return F0
        threshold = Fraction(percent)
        if self.reached is None:
            reached = sum(1 for p in self.shift_percents if p >= threshold)
        elif threshold in self.reached:
            reached = self.reached[threshold]
        else:
            raise ValueError(f"no count of results at or above {percent}% was kept")
        return Fraction(reached, self.results) * 100


def merged(tallies: Iterable[Tally]) -> Tally:
    """One tally of the work of several (no work in two of them): shifts and workers joined,
    sums added, so a unit's tally is its members' and a worker's is his operations'."""
    total = Tally()
    counted: list[dict[Fraction, int]] = []
    listed = False
    worked = 0
    for tally in tallies:
        if tally.results or tally.shift_count:
            worked += 1
            if tally.shift_count is not None:
                total.shift_count = tally.shift_count
        if total.shift_count is not None and worked > 1:
            raise ValueError("cannot merge tallies whose shifts are counted, not listed")
        total.shift_ids |= tally.shift_ids
        total.workers |= tally.workers
        total.hours += tally.hours
        total.earned += tally.earned
        total.fair_earned += tally.fair_earned
        total.rejected_hours += tally.rejected_hours
        total.unsafe_earned += tally.unsafe_earned
        total.checked += tally.checked
        total.shift_percents.extend(tally.shift_percents)
        total.results += tally.results
        if tally.results:
            listed = listed or tally.reached is None
            if tally.reached is not None:
                counted.append(tally.reached)
    if counted:  # what every tally with results counted, its merge counts
        if listed:
            raise ValueError("cannot merge listed percentages with counted ones")
        kept = set.intersection(*(set(c) for c in counted))
        total.reached = {p: sum(c[p] for c in counted) for p in kept}
    return total


def tally_by(works: Iterable[Work], key: Callable[[Work], str | None]) -> dict[str, Tally]:
    """Tallies per key (a worker, a unit); work whose key is None is left out."""
    tallies: dict[str, Tally] = {}
    for work in works:
        group = key(work)
        if group is not None:
            tallies.setdefault(group, Tally()).add(work)
    return tallies


def merged_by(
    by_operation: Mapping[tuple[str, str], Tally], key: Callable[[str], str | None]
) -> dict[str, Tally]:
    """Tallies per (worker, operation) merged per key of their worker (None: left out): per
    worker, or per team."""
    grouped: dict[str, list[Tally]] = {}
    for (worker_id, _), tally in by_operation.items():
        group = key(worker_id)
        if group is not None:
            grouped.setdefault(group, []).append(tally)
    return {group: merged(tallies) for group, tallies in grouped.items()}
