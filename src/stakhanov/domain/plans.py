"""Plans: targets per unit, operation and period; their cascade down the tree and their roll-up.

A unit's actual output is the measured accepted output of every shift whose workplace lies in
its subtree, converted to the plan's unit of measure: output measured at its source, so nothing
is counted twice and uncredited output still counts. Over-fulfilment is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.attribution import split_exact
from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.periods import Period
from stakhanov.domain.quantities import check_unit, conversion_factor
from stakhanov.domain.rounding import ratio_percent, rounded
from stakhanov.domain.units import ancestors, is_within, parse_path
from stakhanov.domain.values import require_positive, require_text
from stakhanov.domain.wording import say

FORECAST_QUANTUM = Decimal("0.001")


@dataclass(frozen=True)
class PlanTarget:
    unit: str
    operation: str
    period_start: dt.date
    period_end: dt.date
    target: Decimal
    unit_of_measure: str
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", parse_path(self.unit))
        object.__setattr__(self, "operation", require_text("operation", self.operation))
        object.__setattr__(self, "unit_of_measure", check_unit(self.unit_of_measure))
        require_positive("target", self.target)
        if self.period_end < self.period_start:
            raise InvalidValue("period_end", self.period_end, say("is before period_start"))

    @property
    def key(self) -> tuple[str, str, dt.date, dt.date]:
        return (self.unit, self.operation, self.period_start, self.period_end)

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


def granularity(period: Period) -> str:
    """five-year, year, quarter, month, ten-day or day; `custom` for any other span."""
    start, end = period.start, period.end
    if start == end:
        return "day"
    next_day = end + dt.timedelta(days=1)
    months = (next_day.year - start.year) * 12 + next_day.month - start.month
    named = {1: "month", 3: "quarter", 12: "year", 60: "five-year"}
    calendar_months = start.day == 1 and next_day.day == 1 and months in named
    aligned = months == 1 or (months == 3 and start.month % 3 == 1) or start.month == 1
    if calendar_months and aligned:
        return named[months]
    same_month = (start.year, start.month) == (end.year, end.month)
    first_or_second = start.day in (1, 11) and (end - start).days == 9
    third = start.day == 21 and next_day.day == 1
    if same_month and (first_or_second or third):
        return "ten-day"
    return "custom"


def _months_back(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def previous_period(period: Period) -> Period:
    """The period just before, of the same granularity: August for September, the second
    ten days for the third, Q2 for Q3, the previous day, year or five years; as many days just
    before for a custom span."""
    kind = granularity(period)
    before = period.start - dt.timedelta(days=1)
    if kind == "day":
        return Period(before, before)
    if kind == "ten-day":
        start = dt.date(before.year, before.month, 21 if period.start.day == 1 else before.day - 9)
        return Period(start, before)
    months = {"month": 1, "quarter": 3, "year": 12, "five-year": 60}.get(kind)
    if months is not None:
        return Period(_months_back(period.start, months), before)
    return Period(period.start - dt.timedelta(days=period.days), before)


@dataclass(frozen=True)
class Production:
    """Measured accepted output of one shift and operation, where and when it was produced."""

    workplace: str
    date: dt.date
    operation: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class PlanStatus:
    unit: str
    operation: str
    period: Period
    unit_of_measure: str
    target: Decimal
    actual: Decimal
    as_of: dt.date
    derived: bool
    """True where the target is the sum of the targets of the nearest planned units below."""

    @property
    def percent(self) -> Decimal:
        result = ratio_percent(self.actual, self.target)
        assert result is not None  # targets are positive
        return result

    @property
    def elapsed_days(self) -> int:
        if self.as_of < self.period.start:
            return 0
        return (min(self.as_of, self.period.end) - self.period.start).days + 1

    @property
    def exact_forecast(self) -> Fraction | None:
        """Actual output extrapolated to the period's end at the run rate per calendar day."""
        elapsed = self.elapsed_days
        if elapsed == 0:
            return None
        return Fraction(self.actual) * self.period.days / elapsed

    @property
    def forecast(self) -> Decimal | None:
        """The forecast as shown: half-up to a thousandth (the actual itself once elapsed)."""
        value = self.exact_forecast
        if value is None or self.elapsed_days == self.period.days:
            return None if value is None else self.actual
        return rounded(value, FORECAST_QUANTUM)

    @property
    def forecast_percent(self) -> Decimal | None:
        forecast = self.exact_forecast
        return None if forecast is None else ratio_percent(forecast, self.target)


def actual(
    unit: str,
    operation: str,
    period: Period,
    unit_of_measure: str,
    production: Iterable[Production],
) -> Decimal:
    """The measured output of the unit's subtree in the period, in the plan's unit."""
    total = Decimal(0)
    for item in production:
        if item.operation == operation and item.date in period and is_within(item.workplace, unit):
            total += item.quantity * conversion_factor(item.unit, unit_of_measure)
    return total


def roll_up(
    targets: Sequence[PlanTarget],
    production: Sequence[Production],
    as_of: dt.date,
    units_of: Mapping[str, str] | None = None,
) -> list[PlanStatus]:
    """Every planned unit, and every unit above planned ones, with actual against target.

    An ancestor without a target of its own gets the sum of the targets of its nearest planned
    descendants for the same operation and period, converted to one unit of measure (theirs
    when they agree, else the operation's unit in `units_of`), and its actual is the sum of
    their actuals: target and actual cover the same units.
    """
    statuses = []
    groups: dict[tuple[str, dt.date, dt.date], dict[str, PlanTarget]] = {}
    for plan in targets:
        groups.setdefault((plan.operation, plan.period_start, plan.period_end), {})[plan.unit] = (
            plan
        )
    for (operation, start, end), planned in groups.items():
        period = Period(start, end)
        counted = Period(start, min(end, as_of)) if as_of >= start else None
        wanted: dict[str, tuple[Decimal, str, bool]] = {
            u: (p.target, p.unit_of_measure, False) for u, p in planned.items()
        }
        for unit in planned:
            for above in ancestors(unit)[:-1]:
                if above not in planned and above not in wanted:
                    preferred = (units_of or {}).get(operation)
                    wanted[above] = (*_derived_target(above, planned, preferred), True)
        made = _per_workplace(operation, counted, production) if counted else []
        for unit, (target, measure, derived) in wanted.items():
            # A derived target covers only its nearest planned units, so its actual is theirs.
            measured = _nearest(unit, planned) if derived else [unit]
            done = sum(
                (actual(u, operation, counted, measure, made) for u in measured if counted),
                Decimal(0),
            )
            statuses.append(
                PlanStatus(unit, operation, period, measure, target, done, as_of, derived)
            )
    statuses.sort(key=lambda s: (s.operation, s.period.start, -s.period.days, s.unit))
    return statuses


def _per_workplace(
    operation: str, period: Period, production: Sequence[Production]
) -> list[Production]:
    """The operation's output in the period summed per workplace and unit of measure: what
    `actual` adds up for every unit, read once instead of once per unit (exact sums)."""
    sums: dict[tuple[str, str], Decimal] = {}
    for item in production:
        if item.operation == operation and item.date in period:
            key = (item.workplace, item.unit)
            sums[key] = sums.get(key, Decimal(0)) + item.quantity
    return [Production(w, period.start, operation, q, u) for (w, u), q in sums.items()]


def _derived_target(
    unit: str, planned: Mapping[str, PlanTarget], preferred: str | None
) -> tuple[Decimal, str]:
    nearest = _nearest(unit, planned)
    measures = {planned[u].unit_of_measure for u in nearest}
    measure = (
        measures.pop() if len(measures) == 1 else preferred or planned[nearest[0]].unit_of_measure
    )
    total = sum(
        (
            planned[u].target * conversion_factor(planned[u].unit_of_measure, measure)
            for u in nearest
        ),
        Decimal(0),
    )
    return total, measure


def _nearest(unit: str, planned: Mapping[str, PlanTarget]) -> list[str]:
    """The planned units below `unit` with no planned unit between them and it."""
    below = [u for u in planned if u != unit and is_within(u, unit)]
    return [u for u in below if not any(v != u and is_within(u, v) for v in below)]


@dataclass(frozen=True)
class Allocation:
    unit: str
    target: Decimal
    capacity: Fraction  # norm output of the reference hours, exact
    overridden: bool


def cascade(
    target: Decimal,
    children: Sequence[str],
    capacity: Mapping[str, Fraction],
    overrides: Mapping[str, Decimal],
) -> list[Allocation]:
    """Split a target over child units by capacity; overridden children keep their figure.

    What the overrides leave is split exactly (largest remainder, at the precision the target
    is written with) over the other children in proportion to their capacity in norm output.
    """
    unknown = sorted(set(overrides) - set(children))
    if unknown:
        raise InvalidValue("override", unknown[0], say("is not a child of the unit being split"))
    fixed = sum(overrides.values(), Decimal(0))
    rest = target - fixed
    if rest < 0:
        raise InvalidValue(
            "override", fixed, say("the overrides add up to more than %(target)s", target=target)
        )
    free = [c for c in children if c not in overrides]
    weights = [capacity.get(c, Fraction(0)) for c in free]
    if free and rest > 0 and not any(weights):
        raise InvalidValue(
            "capacity", "0", say("no capacity recorded for the units to split over; give overrides")
        )
    parts = split_exact(rest, weights) if free and any(weights) else [Decimal(0)] * len(free)
    shares = dict(zip(free, parts, strict=True))
    return [
        Allocation(
            c,
            overrides[c] if c in overrides else shares[c],
            capacity.get(c, Fraction(0)),
            c in overrides,
        )
        for c in children
    ]
