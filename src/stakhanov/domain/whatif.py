"""What-if replay: a period's pay under another scale and/or other norms, compared with now.

Nothing is written. The report gives the total cost change, each worker's change, how many
would need the minimum-wage make-up, how many exceed 150% and 200% of the norm, and for each
worker who would lose, the output needed under the new terms to keep the old pay (the Hennecke
effect: after his 387% record the norms rose and everyone had to produce more for the same pay).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.errors import Problem
from stakhanov.domain.fulfilment import Result, results
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.pay_plans import falls
from stakhanov.domain.payroll import ExternalBonus, Payroll, payroll_of
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import rounded
from stakhanov.domain.scales import PayScale, ScaleBook

ZERO = Decimal(0)
THRESHOLDS = (Decimal(150), Decimal(200))
SEARCH_STEPS = 60
PRECISION = Fraction(1, 10**7)
MAX_BOOST = Fraction(1024)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Needed:
    """Output of one operation: as recorded, and what the new terms need to keep the old pay."""

    operation: str
    unit: str
    output: Decimal
    needed: Decimal


@dataclass(frozen=True)
class WorkerChange:
    worker_id: str
    name: str
    old: Decimal
    new: Decimal
    old_percent: Fraction | None  # stated fulfilment over the period, old and new norms, exact
    new_percent: Fraction | None
    old_make_up: bool
    new_make_up: bool
    needed: tuple[Needed, ...] = ()  # only for a worker who would lose and has output
    more_percent: Decimal | None = None  # how much more output that is, in percent

    @property
    def change(self) -> Decimal:
        return self.new - self.old


@dataclass(frozen=True)
class WhatIf:
    period: Period
    workers: tuple[WorkerChange, ...]
    problems: tuple[Problem, ...] = ()
    falls: tuple[str, ...] = ()  # where the proposed scale's pay falls as output rises

    @property
    def old_total(self) -> Decimal:
        return sum((w.old for w in self.workers), ZERO)

    @property
    def new_total(self) -> Decimal:
        return sum((w.new for w in self.workers), ZERO)

    @property
    def change(self) -> Decimal:
        return self.new_total - self.old_total

    def make_up(self, new: bool = True) -> int:
        return sum(1 for w in self.workers if (w.new_make_up if new else w.old_make_up))

    def above(self, percent: Decimal, new: bool = True) -> int:
        values = (w.new_percent if new else w.old_percent for w in self.workers)
        return sum(1 for v in values if v is not None and v > percent)

    @property
    def losers(self) -> int:
        return sum(1 for w in self.workers if w.change < 0)


def proposed_norms(stored: NormBook, proposed: Iterable[Norm]) -> NormBook:
    """The stored norms with each proposed operation's norm in force on every date."""
    latest: dict[str, Norm] = {}
    for norm in sorted(proposed, key=lambda n: n.effective_from):
        latest[norm.operation] = replace(norm, effective_from=dt.date.min)
    kept = [n for n in stored.norms if n.operation not in latest]
    return NormBook.of([*kept, *latest.values()])


def _percents(found: Sequence[Result]) -> dict[str, Fraction]:
    earned: dict[str, Fraction] = defaultdict(Fraction)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for result in found:
        if result.earned is not None:
            earned[result.worker_id] += result.earned
            hours[result.worker_id] += result.hours
    return {w: earned[w] / Fraction(hours[w]) * 100 for w in hours if hours[w]}


def _has_make_up(slip: PaySlip | None) -> bool:
    return slip is not None and any(
        line.code == "minimum-wage" and line.amount > 0 for line in slip.lines
    )


def _gross(slip: PaySlip | None) -> Decimal:
    return slip.gross if slip else ZERO


def replay(
    ledger: Ledger,
    period: Period,
    scales: ScaleBook,
    scale: PayScale | None = None,
    norms: NormBook | Sequence[Norm] = (),
    bonuses: Sequence[ExternalBonus] = (),
    history: Mapping[str, PayHistory] | None = None,
) -> WhatIf:
    """Compare the period's pay now with its pay under a proposed scale and/or norms.

    `norms` is either a whole NormBook to measure against, or proposed norms that replace the
    stored ones of their operations on every date of the period. `history`: as the close's.
    """
    old_results = results(ledger, period.start, period.end)
    old = payroll_of(ledger, period, scales, old_results, bonuses, history=history)
    book = norms if isinstance(norms, NormBook) else proposed_norms(ledger.norms, norms)
    new_ledger = ledger.with_norms(book) if norms else ledger
    new_scales = scales.proposing(scale) if scale else scales
    new_results = results(new_ledger, period.start, period.end)
    new = payroll_of(new_ledger, period, new_scales, new_results, bonuses, history=history)
    old_percent, new_percent = _percents(old_results), _percents(new_results)
    by_worker: dict[str, list[Result]] = defaultdict(list)
    for result in new_results:
        by_worker[result.worker_id].append(result)
    workers = sorted({s.worker_id for s in (*old.slips, *new.slips)})
    changes = []
    for worker_id in workers:
        before, after = old.slip(worker_id), new.slip(worker_id)
        shown = after or before
        change = WorkerChange(
            worker_id,
            shown.name if shown else worker_id,
            _gross(before),
            _gross(after),
            old_percent.get(worker_id),
            new_percent.get(worker_id),
            _has_make_up(before),
            _has_make_up(after),
        )
        if change.change < 0:
            change = _keeping_pay(
                change, new_ledger, period, new_scales, by_worker[worker_id], bonuses
            )
        changes.append(change)
    dropping = tuple(str(f) for f in falls(scale)) if scale else ()
    return WhatIf(period, tuple(changes), (*old.problems, *new.problems), dropping)


def _alone(ledger: Ledger, worker_id: str) -> Ledger:
    """The ledger with only this worker's paid time and faults (the rest is the same)."""
    return Ledger(
        ledger.workers,
        ledger.norms,
        ledger.shifts,
        ledger.outputs,
        ledger.crew,
        tuple(t for t in ledger.time if t.worker_id == worker_id),
        tuple(f for f in ledger.faults if f.worker_id == worker_id),
    )


def _keeping_pay(
    change: WorkerChange,
    ledger: Ledger,
    period: Period,
    scales: ScaleBook,
    found: Sequence[Result],
    bonuses: Sequence[ExternalBonus],
) -> WorkerChange:
    """The smallest common factor on the worker's (and crew's) output that keeps the old pay."""
    if not any(r.output > 0 and r.earned is not None for r in found):
        return change
    alone = _alone(ledger, change.worker_id)
    mine = [b for b in bonuses if b.worker_id == change.worker_id]

    def pay(boost: Fraction) -> Decimal:
        payroll: Payroll = payroll_of(alone, period, scales, found, mine, boost=boost)
        return _gross(payroll.slip(change.worker_id))

    high = _least_boost(pay, change.old)
    if high is None:
        return change
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for result in found:
        if result.earned is not None:
            totals[(result.operation, result.unit or "")] += result.output
    needed = tuple(
        Needed(op, unit, output, _up(Fraction(output) * high))
        for (op, unit), output in sorted(totals.items())
    )
    more = _up((high - 1) * 100, Decimal("0.1"))
    return replace(change, needed=needed, more_percent=more)


def _up(value: Fraction, quantum: Decimal = CENT) -> Decimal:
    return rounded(value, quantum, ROUND_CEILING)


def _least_boost(pay: Callable[[Fraction], Decimal], target: Decimal) -> Fraction | None:
    """The least factor on output whose pay reaches target, to a relative 1e-7.

    Pay is non-decreasing and piecewise linear in output, so a false-position step usually
    lands next to the answer; a bisection step follows whenever it did not halve the bracket.
    """
    low, high = Fraction(1), Fraction(2)
    low_gap, high_gap = Fraction(pay(low) - target), Fraction(pay(high) - target)
    while high_gap < 0:
        low, low_gap = high, high_gap
        high *= 2
        if high > MAX_BOOST:
            return None
        high_gap = Fraction(pay(high) - target)
    for _ in range(SEARCH_STEPS):
        width = high - low
        if width < PRECISION * high:
            break
        guess = (low * high_gap - high * low_gap) / (high_gap - low_gap)
        for middle in (guess, (low + high) / 2):
            middle = middle.limit_denominator(10**12)
            if not low < middle < high:
                continue
            gap = Fraction(pay(middle) - target)
            if gap >= 0:
                high, high_gap = middle, gap
            else:
                low, low_gap = middle, gap
            if high - low <= width / 2:
                break
    return high
