"""Norm revision proposals: the basis (technical change, time study, statistics), caps, rounding.

A statistical basis takes a percentile of fair fulfilment over a window and always leaves out
what would make a norm follow exceptional results instead of ordinary work: prepared shifts,
assisted results, results with an open or upheld pooled or implausible finding, and a worker's
own record. Every left-out result is listed with its reasons.

A worker's own record is a result whose fair fulfilment lies above the record fence computed
from the *other* workers' eligible results: Q3 + k x max(IQR, s), with k = 1.5 and s = 10
percentage points by default (quartiles by nearest rank). The fence is computed without the
worker themself, so that a prolific record-setter cannot raise it by the number of their shifts.

The figures are computed exactly (as fractions), so that a result at exactly 90% is 90%, a
result exactly at the fence is not above it, and 90% of a 7 t norm is 6.3 t, as by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.distribution import Distribution, Ranked, describe, percentile
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.fulfilment import Result
from stakhanov.domain.governance import StatisticalRules
from stakhanov.domain.norms import Norm, NormBook, NormKind
from stakhanov.domain.periods import Period
from stakhanov.domain.provenance import TimeStudy
from stakhanov.domain.rounding import as_decimal, percent, rounded
from stakhanov.domain.wording import say


class Basis(StrEnum):
    TECHNICAL = "technical"
    TIME_STUDY = "time study"
    STATISTICAL = "statistical"


class Reason(StrEnum):
    PREPARED = "prepared"
    ASSISTED = "assisted"
    FINDING = "finding"
    OWN_RECORD = "own record"


@dataclass(frozen=True)
class Observation:
    """One worker's result on one shift, as fair percent of the norm the proposal revises."""

    shift_id: str
    date: dt.date
    worker_id: str
    unit: str
    hours: Decimal
    exact: Fraction

    @property
    def percent(self) -> Decimal:
        return as_decimal(self.exact)


@dataclass(frozen=True)
class Exclusion:
    observation: Observation
    reasons: tuple[Reason, ...]
    message: str


@dataclass(frozen=True)
class StatisticalBasis:
    operation: str
    window: Period
    rules: StatisticalRules
    sample: tuple[Observation, ...]
    exclusions: tuple[Exclusion, ...]
    notes: tuple[str, ...]

    @property
    def distribution(self) -> Distribution | None:
        return describe([o.percent for o in self.sample]) if self.sample else None

    @property
    def value(self) -> Decimal | None:
        """The chosen percentile of the sample's fair fulfilment."""
        exact_value = self.exact_value
        return None if exact_value is None else as_decimal(exact_value)

    @property
    def exact_value(self) -> Fraction | None:
        if not self.sample:
            return None
        return percentile([o.exact for o in self.sample], self.rules.percentile)

    def excluded(self, reason: Reason) -> list[Exclusion]:
        return [e for e in self.exclusions if reason in e.reasons]


def rescaled_percent(result: Result, book: NormBook, current: Norm) -> Fraction | None:
    """The result's fair fulfilment measured against the current version of its norm."""
    then = book.in_force(result.operation, result.date)
    if result.fair_earned is None or then is None:
        return None
    fair = result.fair_earned / Fraction(result.hours) * 100
    return fair if then == current else fair * then.per_hour / current.per_hour


def statistical_basis(
    results: Sequence[Result],
    book: NormBook,
    current: Norm,
    window: Period,
    home_unit: Callable[[str], str],
    flagged: Mapping[tuple[str, str], Sequence[str]],
    rules: StatisticalRules,
    claimed: Mapping[tuple[str, str], Sequence[tuple[Reason, str]]] | None = None,
) -> StatisticalBasis:
    """Choose the sample for a statistical proposal and list everything left out, with why.

    `flagged` maps (shift_id, operation) to descriptions of its open or upheld pooled and
    implausible findings. `claimed` maps (shift_id, worker_id) to what the record claim made
    for that result says of it, as reasons with their descriptions: a verified or undecided
    claim is the worker's own record whatever the fence says; prepared resources declared for
    the attempt, or an auditor's finding that it was an assisted record, leave it out as
    prepared or assisted even where the ledger's shift reads standard.
    """
    eligible: list[Observation] = []
    exclusions: list[Exclusion] = []
    rescaled = False
    for result in results:
        if result.operation != current.operation or result.date not in window:
            continue
        value = rescaled_percent(result, book, current)
        if value is None:
            continue
        rescaled |= book.in_force(result.operation, result.date) != current
        observation = Observation(
            result.shift_id,
            result.date,
            result.worker_id,
            home_unit(result.worker_id),
            result.hours,
            value,
        )
        reasons: list[Reason] = []
        words: list[str] = []
        if result.prepared:
            reasons.append(Reason.PREPARED)
            words.append("prepared conditions (declared extra help or resources)")
        if result.assisted:
            reasons.append(Reason.ASSISTED)
            words.append("assisted (others did work its norm includes, or assisted)")
        for finding in flagged.get((result.shift_id, result.operation), ()):
            if Reason.FINDING not in reasons:
                reasons.append(Reason.FINDING)
            words.append(finding)
        for reason, text in (claimed or {}).get((result.shift_id, result.worker_id), ()):
            if reason not in reasons:
                reasons.append(reason)
            words.append(text)
        if reasons:
            exclusions.append(Exclusion(observation, tuple(reasons), "; ".join(words)))
        else:
            eligible.append(observation)
    sample, records, notes = _without_records(eligible, rules)
    exclusions += records
    if rescaled:
        notes.append(
            "results under earlier versions of the norm are measured against the current version"
        )
    exclusions.sort(key=lambda e: _order(e.observation))
    return StatisticalBasis(
        current.operation, window, rules, tuple(sample), tuple(exclusions), tuple(notes)
    )


def record_fence(peer_values: Sequence[Fraction], rules: StatisticalRules) -> Fraction:
    """Q3 + k x max(IQR, minimum spread) of the other workers' results."""
    q1 = percentile(peer_values, Decimal(25))
    q3 = percentile(peer_values, Decimal(75))
    return _fence(q1, q3, rules)


def record_fence_without(
    sample: Ranked[Fraction], own: Sequence[Fraction], rules: StatisticalRules
) -> Fraction:
    """`record_fence` of the sample less one worker's own results, sorted once for all."""
    q1 = sample.percentile_without(own, Decimal(25))
    q3 = sample.percentile_without(own, Decimal(75))
    return _fence(q1, q3, rules)


def _fence(q1: Fraction, q3: Fraction, rules: StatisticalRules) -> Fraction:
    spread = max(q3 - q1, Fraction(rules.record_min_spread))
    return q3 + Fraction(rules.record_fence) * spread


def _without_records(
    eligible: list[Observation], rules: StatisticalRules
) -> tuple[list[Observation], list[Exclusion], list[str]]:
    kept: list[Observation] = []
    records: list[Exclusion] = []
    notes: list[str] = []
    untested = []
    by_worker: dict[str, list[Observation]] = {}
    for observation in eligible:
        by_worker.setdefault(observation.worker_id, []).append(observation)
    sample = Ranked(o.exact for o in eligible)
    for worker_id in sorted(by_worker):
        own = by_worker[worker_id]
        if len(own) == len(eligible):  # no peer
            untested.append(worker_id)
            kept += own
            continue
        fence = record_fence_without(sample, [o.exact for o in own], rules)
        for observation in own:
            if observation.exact > fence:
                message = (
                    f"{worker_id}'s own record: {percent(observation.exact)}% is above the "
                    f"record fence of {percent(fence)}% (Q3 + {rules.record_fence} x "
                    f"max(IQR, {rules.record_min_spread}) of the "
                    "other workers' results); a worker's own record is never a ground for "
                    "revision"
                )
                records.append(Exclusion(observation, (Reason.OWN_RECORD,), message))
            else:
                kept.append(observation)
    if untested:
        notes.append(
            f"no own-record test for {', '.join(untested)}: no result of another worker "
            "to compare with"
        )
    kept.sort(key=_order)
    return kept, records, notes


def _order(o: Observation) -> tuple[dt.date, str, str]:
    return (o.date, o.shift_id, o.worker_id)


def exact_raise(current: Norm, revised: Norm) -> Fraction:
    """How much more output per hour the revised norm asks for, in percent, exactly."""
    return (revised.per_hour / current.per_hour - 1) * 100


def raise_percent(current: Norm, revised: Norm) -> Decimal:
    """How much more output per hour the revised norm asks for, in percent (negative: less)."""
    return as_decimal(exact_raise(current, revised))


def _to_step(value: Fraction, precision: Decimal, up: bool) -> Decimal:
    """`value` rounded down (or up) to a multiple of `precision`, exactly."""
    return rounded(value, precision, ROUND_CEILING if up else ROUND_FLOOR)


def with_rate(current: Norm, factor: Decimal | Fraction, precision: Decimal) -> Norm:
    """The current norm asking `factor` times its output per hour, rounded in the worker's favour.

    An output norm's quantity is rounded down and a time norm's minutes are rounded up, so the
    rounding never asks for more than the basis supports.
    """
    if current.kind is NormKind.OUTPUT:
        value = _to_step(Fraction(current.norm) * Fraction(factor), precision, up=False)
    else:
        value = _to_step(Fraction(current.norm) / Fraction(factor), precision, up=True)
    if value <= 0:
        raise InvalidValue("norm", value, say("the revised norm must be more than 0"))
    return dataclasses.replace(current, norm=value, origin=None)


def from_time_study(current: Norm, study: TimeStudy, precision: Decimal) -> Norm:
    """The norm a time study supports: standard minutes per unit, or units per norm_hours."""
    minutes = Fraction(study.standard_minutes)
    if current.kind is NormKind.TIME:
        value = _to_step(minutes, precision, up=True)
    else:
        assert current.norm_hours is not None
        value = _to_step(Fraction(current.norm_hours) * 60 / minutes, precision, up=False)
    return dataclasses.replace(current, norm=value, origin=None)


def capped(current: Norm, revised: Norm, max_raise: Decimal, precision: Decimal) -> Norm:
    """The revised norm, held to the policy's largest raise; lowering a norm is never capped."""
    if exact_raise(current, revised) <= Fraction(max_raise):
        return revised
    return with_rate(current, 1 + Fraction(max_raise) / 100, precision)
