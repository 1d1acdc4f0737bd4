"""What a norm revision would do to each worker, shown before anyone approves it.

Each worker's recent ordinary results (prepared shifts left out) are measured against the old
and the revised norm. The output needed to keep today's pay is the output that earns the same
standard hours under the revised norm: today's output x revised rate / old rate. Any pay scale
that pays by percent of norm then pays exactly what it pays today.

Sums and ratios are exact (fractions): a worker at exactly 100% of the revised norm meets it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.distribution import Ranked
from stakhanov.domain.fulfilment import Result
from stakhanov.domain.governance import Validation
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.proposals import Observation, StatisticalBasis
from stakhanov.domain.rounding import as_decimal, percent, ratio_percent

ZERO = Decimal(0)
F0 = Fraction(0)


@dataclass
class WorkerImpact:
    worker_id: str
    unit: str
    shifts: set[str] = field(default_factory=set)
    hours: Decimal = ZERO
    output: Decimal = ZERO
    exact_earned_old: Fraction = F0
    exact_fair_old: Fraction = F0
    exact_fair_new: Fraction = F0
    exact_needed_output: Fraction = F0
    exact_paid_output: Fraction = F0
    exact_paid_needed: Fraction = F0

    @property
    def earned_old(self) -> Decimal:
        """Standard hours earned under the norms in force (stated)."""
        return as_decimal(self.exact_earned_old)

    @property
    def fair_old(self) -> Decimal:
        return as_decimal(self.exact_fair_old)

    @property
    def fair_new(self) -> Decimal:
        return as_decimal(self.exact_fair_new)

    @property
    def needed_output(self) -> Decimal:
        """The output that earns today's standard hours under the revised norm."""
        return as_decimal(self.exact_needed_output)

    @property
    def paid_output(self) -> Decimal:
        """All the worker's output on the operation in the window: what pay is computed from."""
        return as_decimal(self.exact_paid_output)

    @property
    def paid_needed(self) -> Decimal:
        """That output at the same percent of the revised norm on every shift.

        It earns the same standard hours shift by shift, and so exactly today's pay under any
        scale that pays by percent of norm (tiers, bonuses from a percent, per shift or period).
        """
        return as_decimal(self.exact_paid_needed)

    @property
    def percent_old(self) -> Decimal:
        return self._percent(self.exact_earned_old)

    def _percent(self, earned: Fraction) -> Decimal:
        found = ratio_percent(earned, self.hours)
        assert found is not None  # a worker here has hours
        return found

    @property
    def fair_percent_old(self) -> Decimal:
        return self._percent(self.exact_fair_old)

    @property
    def fair_percent_new(self) -> Decimal:
        return self._percent(self.exact_fair_new)

    @property
    def meets_new(self) -> bool:
        return self.exact_fair_new >= Fraction(self.hours)


@dataclass(frozen=True)
class Impact:
    revised: Norm
    workers: tuple[WorkerImpact, ...]
    experienced: tuple[str, ...]
    experienced_old: Decimal | None
    experienced_new: Decimal | None
    warnings: tuple[str, ...]

    @property
    def share_meeting(self) -> Decimal | None:
        """Percent of workers whose recent fair fulfilment meets the revised norm."""
        if not self.workers:
            return None
        meeting = sum(1 for w in self.workers if w.meets_new)
        return ratio_percent(meeting, len(self.workers))


def impact(
    results: Sequence[Result],
    book: NormBook,
    revised: Norm,
    home_unit: Callable[[str], str],
    validation: Validation,
    flagged: Collection[tuple[str, str]] = (),
) -> Impact:
    """Measure every worker's ordinary results on the operation against the revised norm.

    Ordinary: not prepared, and without an open or upheld pooled or implausible finding (the
    `flagged` shift and operation keys). Assisted results count at their fair figure.
    """
    by_worker: dict[str, WorkerImpact] = {}
    paid: dict[str, tuple[Fraction, Fraction]] = {}
    for result in results:
        then = book.in_force(result.operation, result.date)
        if result.operation != revised.operation or then is None or result.earned is None:
            continue
        ratio = then.per_hour / revised.per_hour
        output, needed = paid.get(result.worker_id, (F0, F0))
        paid[result.worker_id] = (
            output + Fraction(result.output),
            needed + Fraction(result.output) / ratio,
        )
        if result.prepared or (result.shift_id, result.operation) in flagged:
            continue
        if result.fair_earned is None:
            continue
        fair = result.fair_earned
        row = by_worker.setdefault(
            result.worker_id, WorkerImpact(result.worker_id, home_unit(result.worker_id))
        )
        row.shifts.add(result.shift_id)
        row.hours += result.hours
        row.output += result.output
        row.exact_earned_old += result.earned
        row.exact_fair_old += fair
        row.exact_fair_new += fair * ratio
        row.exact_needed_output += Fraction(result.output) / ratio
    for worker_id, row in by_worker.items():
        row.exact_paid_output, row.exact_paid_needed = paid[worker_id]
    workers = tuple(by_worker[w] for w in sorted(by_worker))
    experienced = [w for w in workers if len(w.shifts) >= validation.experienced_shifts]
    old = _average([(w.exact_fair_old, w.hours) for w in experienced])
    new = _average([(w.exact_fair_new, w.hours) for w in experienced])
    warnings = []
    if new is not None and new < validation.low:
        warnings.append(
            f"experienced workers would average {new}% of the revised norm, below the "
            f"{validation.low}% that modern practice expects: the revision is too steep"
        )
    if new is not None and new > validation.high:
        warnings.append(
            f"experienced workers would average {new}% of the revised norm, above the "
            f"{validation.high}% that modern practice expects: the norm stays loose"
        )
    if new is None:
        warnings.append(
            f"no worker has {validation.experienced_shifts} or more ordinary shifts on "
            f"{revised.operation} in the window: the revision cannot be validated"
        )
    ids = tuple(w.worker_id for w in experienced)
    return Impact(revised, workers, ids, old, new, tuple(warnings))


def _average(parts: list[tuple[Fraction, Decimal]]) -> Decimal | None:
    hours = sum((h for _, h in parts), ZERO)
    if not hours:
        return None
    return ratio_percent(sum((e for e, _ in parts), F0), hours)


def driven_by(basis: StatisticalBasis, target: Decimal) -> list[str]:
    """Warnings when one worker or one brigade drives a raise.

    A raise is driven by a worker (or brigade) when that one contributes more than half of the
    sample, or when leaving their results out would cut the raise by more than half.
    """
    value = basis.exact_value
    aim = Fraction(target)
    if value is None or value <= aim:
        return []
    full = value / aim - 1
    warnings = []
    sample = Ranked(o.exact for o in basis.sample)
    for label, key in (("worker", _worker), ("brigade", _unit)):
        groups: dict[str, list[Fraction]] = {}
        for observation in basis.sample:
            groups.setdefault(key(observation), []).append(observation.exact)
        for group in sorted(groups):
            rest = len(basis.sample) - len(groups[group])
            share = Fraction(len(groups[group]), len(basis.sample))
            without = (
                sample.percentile_without(groups[group], basis.rules.percentile) / aim - 1
                if rest
                else Fraction(-1)
            )
            most = share > Fraction(1, 2)
            cut = without < full / 2
            if most or cut:
                # Say which test it failed: a group that gives most of the sample can leave
                # the raise unchanged when it is left out, and that must not read as a cut.
                shown = "no sample at all" if not rest else f"a raise of {_pct(without)}%"
                text = f"driven by one {label}'s results: {group} gives {_pct(share)}%"
                text += " of the sample"
                text += ", more than half" if most else ""
                if cut:
                    text += f", and without them the basis gives {shown} instead of {_pct(full)}%"
                else:
                    text += f" (without them the basis gives {shown} as well)"
                warnings.append(text)
    return warnings


def _worker(o: Observation) -> str:
    return o.worker_id


def _unit(o: Observation) -> str:
    return o.unit


def _pct(fraction: Fraction) -> Decimal:
    """A fraction as a percentage rounded half-up (away from zero for negative ones too)."""
    return percent(fraction * 100)
