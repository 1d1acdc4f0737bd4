"""The ratchet effect: a seeded model of a workforce under two norm revision policies.

Each month every worker chooses the output that serves them best, knowing the policy:

- pay: a progressive piece rate on percent of norm p: tariff x p up to 100%, and 1.5 x the
  piece rate above it;
- effort: costs tariff x (output / capacity)^2; nobody can produce more than their capacity;
- **after-record** (the 1936 practice): after a month with a record (someone at 150% of the
  norm or more) the norm is raised halfway towards the record, never lowered. A worker who
  anticipates this weighs the pay they would lose in the months left (discounted by 0.9 a
  month) against what a record earns now, and stays below the record line when the loss is
  larger. *Enthusiasts* (a share of the workforce) do not anticipate: they push for the record
  under either policy, so only the anticipating workers behave differently.
- **governed** (this product's rules): the norm moves only when the work changes. New equipment
  raises every capacity by 15% in month `change_month`; a time study then supports a 15% raise,
  which is announced with the notice period and applied in steps no larger than the policy's
  largest raise, at least the minimum interval apart. Records never move the norm, so nobody
  gains by holding back.

Hidden capacity is the share of capacity not produced. All money is Decimal; see docs/ratchet.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from stakhanov.domain.governance import Policy

ONE = Decimal(1)
HUNDRED = Decimal(100)
STEP = Decimal("0.01")
CENT = Decimal("0.01")
TIER = Decimal("1.5")
RECORD = Decimal("1.5")
PULL = Decimal("0.5")
DISCOUNT = Decimal("0.9")
NOISE = Decimal("0.03")
DAYS_PER_MONTH = 30


class RevisionPolicy(StrEnum):
    AFTER_RECORD = "after-record"
    GOVERNED = "governed"


@dataclass(frozen=True)
class Model:
    seed: int = 1935
    workers: int = 40
    months: int = 24
    enthusiasts: Decimal = Decimal("0.1")
    tariff: Decimal = HUNDRED
    change_month: int = 8
    change: Decimal = Decimal("0.15")
    governance: Policy = field(default_factory=Policy)


@dataclass(frozen=True)
class Month:
    policy: RevisionPolicy
    month: int
    norm: Decimal
    output: Decimal
    """Mean output per worker, as a multiple of the initial norm."""
    pay: Decimal
    capacity: Decimal
    records: int

    @property
    def hidden(self) -> Decimal:
        """Share of capacity not produced, in percent."""
        return ((ONE - self.output / self.capacity) * HUNDRED).quantize(STEP, ROUND_HALF_UP)


def pay(output: Decimal, norm: Decimal, tariff: Decimal) -> Decimal:
    percent = output / norm
    earned = percent if percent <= ONE else ONE + TIER * (percent - ONE)
    return tariff * earned


def _utility(output: Decimal, capacity: Decimal, norm: Decimal, tariff: Decimal) -> Decimal:
    return pay(output, norm, tariff) - tariff * (output / capacity) ** 2


def _choices(capacity: Decimal) -> list[Decimal]:
    count = int(capacity / STEP)
    return [STEP * i for i in range(1, count + 1)]


def choose(
    capacity: Decimal,
    norm: Decimal,
    tariff: Decimal,
    anticipates_ratchet: bool,
    months_left: int,
) -> Decimal:
    """The output that maximises this month's pay less effort, less any anticipated loss.

    Under the after-record policy an anticipating worker counts, for a record, the pay lost in
    every later month at the same output once the norm has moved halfway towards it.
    """
    horizon = sum((DISCOUNT**k for k in range(1, months_left + 1)), Decimal(0))
    best, best_value = STEP, Decimal("-Infinity")
    for output in _choices(capacity):
        value = _utility(output, capacity, norm, tariff)
        if anticipates_ratchet and output >= RECORD * norm:
            raised = norm + PULL * (output - norm)
            value -= horizon * (pay(output, norm, tariff) - pay(output, raised, tariff))
        if value > best_value:
            best, best_value = output, value
    return best


def simulate(model: Model, policy: RevisionPolicy) -> list[Month]:
    rng = random.Random(model.seed)
    capacities = [Decimal(str(round(rng.uniform(1.0, 1.7), 2))) for _ in range(model.workers)]
    enthusiasts = set(rng.sample(range(model.workers), int(model.workers * model.enthusiasts)))
    noise = [
        [Decimal(str(round(rng.uniform(-1, 1), 3))) for _ in range(model.workers)]
        for _ in range(model.months)
    ]
    norm = ONE
    months: list[Month] = []
    interval = max(1, model.governance.min_interval_days // DAYS_PER_MONTH)
    notice = model.governance.notice_days // DAYS_PER_MONTH
    max_raise = model.governance.max_raise_percent / HUNDRED
    studied = ONE  # the norm the latest time study supports
    last_effective = -interval  # the month from which the latest revision applies
    for month in range(model.months):
        number = month + 1  # months are numbered from 1, as the report shows them
        if number == model.change_month:
            capacities = [c * (ONE + model.change) for c in capacities]
            studied = norm * (ONE + model.change)
        outputs = []
        for i, capacity in enumerate(capacities):
            anticipates = policy is RevisionPolicy.AFTER_RECORD and i not in enthusiasts
            chosen = choose(capacity, norm, model.tariff, anticipates, model.months - month - 1)
            # Enthusiasts push for the record whatever it costs them later. They do not weigh
            # the policy, so they push under both: only the anticipating workers differ.
            if i in enthusiasts:
                chosen = max(chosen, min(capacity, RECORD * norm))
            varied = chosen * (ONE + NOISE * noise[month][i])
            outputs.append(min(capacity, varied))
        records = [y for y in outputs if y >= RECORD * norm]
        months.append(
            Month(
                policy,
                number,
                norm,
                _mean(outputs),
                _mean([pay(y, norm, model.tariff) for y in outputs]).quantize(CENT, ROUND_HALF_UP),
                _mean(capacities),
                len(records),
            )
        )
        if policy is RevisionPolicy.AFTER_RECORD and records:
            norm = max(norm, norm + PULL * (max(records) - norm))
        elif policy is RevisionPolicy.GOVERNED and studied > norm:
            # The study is announced in the change month; the next month's norm may move once
            # the notice has run since then and the interval since the last revision.
            following = number + 1
            due = (
                following >= model.change_month + notice and following - last_effective >= interval
            )
            if due:
                norm = min(studied, norm * (ONE + max_raise))
                last_effective = following
    return months


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def compare(model: Model) -> dict[RevisionPolicy, list[Month]]:
    return {policy: simulate(model, policy) for policy in RevisionPolicy}
