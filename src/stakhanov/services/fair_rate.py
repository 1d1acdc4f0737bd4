"""The UK fair piece rate check on the ledger (rated output work, NMW Regulations 2015).

The mean hourly output is the workforce's own: the output credited on the operation in the
period over the hours worked on it, summed set-based by the engine (the same sums as
`fulfilment --by worker`), optionally within units (the relevant subset of the workforce).
The rates actually paid come from the piece lines of the closed periods within the dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.fair_rate import (
    RateCheck,
    fair_piece_rate,
    hours_treated_as_worked,
    least_payable,
    mean_hourly_output,
)
from stakhanov.domain.fulfilment import Fulfilment, Grouping
from stakhanov.domain.norms import ASSIST
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import shown
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.wording import say
from stakhanov.services import reports
from stakhanov.services.scales import stored_scales
from stakhanov.store.pay_exports import PaidRate, piece_rates

MINOR_UNIT = Decimal("0.01")


@dataclass(frozen=True)
class WorkerOutput:
    worker_id: str
    hours: Decimal
    output: Decimal
    treated: Fraction  # hours treated as worked for this output


@dataclass(frozen=True)
class FairRate:
    operation: str
    period: Period
    unit: str | None
    minimum_wage: Decimal
    minor_unit: Decimal
    output: Decimal
    hours: Decimal
    mean: Fraction
    fair: Fraction
    workers: list[WorkerOutput]
    paid: list[tuple[PaidRate, RateCheck]]

    @property
    def least(self) -> Decimal:
        return least_payable(self.fair, self.minor_unit)

    def as_dict(self) -> dict[str, Any]:
        """The check with the keys docs/exports.md lists; numbers as the edges write them."""
        return {
            "operation": self.operation,
            "from": self.period.start,
            "to": self.period.end,
            "unit": self.unit,
            "minimum_wage": self.minimum_wage,
            "output": self.output,
            "hours": self.hours,
            "mean_hourly_output": shown(self.mean),
            "fair_rate": shown(self.fair),
            "least_rate": self.least,
            "workers": [
                {
                    "worker_id": w.worker_id,
                    "hours": w.hours,
                    "output": w.output,
                    "hours_treated_as_worked": shown(w.treated),
                }
                for w in self.workers
            ],
            "rates": [
                {
                    "currency": paid.currency or None,
                    "unit": paid.unit,
                    "rate": paid.rate,
                    "lines": paid.lines,
                    "quantity": paid.quantity,
                    "fair": checked.fair_enough,
                    "shortfall": shown(checked.shortfall),
                }
                for paid, checked in self.paid
            ],
        }


class NoOutput(Refused):
    kind = Refusal.NOT_FOUND


def _scale_terms(engine: Engine, operation: str, period: Period) -> tuple[Decimal | None, Decimal]:
    """The minimum wage and minor unit of the scale that pays the operation at the period's end."""
    covering = ScaleBook.of(stored_scales(engine)).covering(operation, period.end)
    with_wage = [s for s in covering if s.minimum_wage is not None]
    if with_wage:
        return with_wage[0].minimum_wage, with_wage[0].minor_unit
    return None, covering[0].minor_unit if covering else MINOR_UNIT


def _shares(
    engine: Engine, operation: str, period: Period, within: str | None
) -> tuple[list[Fulfilment], Decimal]:
    """The results on the operation, by shift and worker, and the hours of those who helped
    with it: on work its norm includes, or assisting, in the shifts that measured it."""
    rows = [r.fulfilment for r in reports.fulfilment(engine, period, Grouping.SHIFT, within)]
    doers = [f for f in rows if f.operation == operation]
    norm = next((n for n in reports.norms(engine, period.end) if n.operation == operation), None)
    included = {*(norm.includes if norm else ()), ASSIST}
    shifts = {f.group[0] for f in doers if f.output > 0}
    helped = sum(
        (f.hours for f in rows if f.operation in included and f.group[0] in shifts), Decimal(0)
    )
    return doers, helped


def check(
    engine: Engine,
    operation: str,
    period: Period,
    minimum_wage: Decimal | None = None,
    within: str | None = None,
    rate: Decimal | None = None,
) -> FairRate:
    """The fair rate for the operation from the period's output, and the rates paid against it."""
    wage, minor = _scale_terms(engine, operation, period)
    wage = minimum_wage if minimum_wage is not None else wage
    if wage is None:
        raise Refused(
            say(
                "no scale paying %(operation)r on %(end)s states a [minimum_wage]: give the "
                "minimum wage",
                operation=operation,
                end=period.end,
            ),
            field="minimum_wage",
        )
    doers, helped = _shares(engine, operation, period, within)
    output = sum((f.output for f in doers), Decimal(0))
    hours = sum((f.hours for f in doers), Decimal(0)) + helped
    if not doers or output <= 0 or hours <= 0:
        raise NoOutput(
            say(
                "no output of %(operation)r in %(period)s within %(within)s: the mean hourly"
                " output needs work to measure",
                operation=operation,
                period=period,
                within=within,
            )
            if within
            else say(
                "no output of %(operation)r in %(period)s: the mean hourly output needs work to"
                " measure",
                operation=operation,
                period=period,
            ),
            field="operation",
        )
    mean = mean_hourly_output(output, hours)
    fair = fair_piece_rate(wage, mean)
    per_worker: dict[str, tuple[Decimal, Decimal]] = {}
    for f in doers:
        worked, made = per_worker.get(f.group[1], (Decimal(0), Decimal(0)))
        per_worker[f.group[1]] = (worked + f.hours, made + f.output)
    workers = [
        WorkerOutput(w, worked, made, hours_treated_as_worked(made, mean))
        for w, (worked, made) in sorted(per_worker.items())
    ]
    if rate is not None:
        unit = doers[0].unit or ""
        paid = [PaidRate("", unit, rate, 0, Decimal(0))]
    else:
        with engine.connect() as connection:
            paid = piece_rates(connection, operation, period.start, period.end)
    return FairRate(
        operation,
        period,
        doers[0].unit,
        wage,
        minor,
        output,
        hours,
        mean,
        fair,
        workers,
        [(p, RateCheck(p.rate, fair)) for p in paid],
    )
