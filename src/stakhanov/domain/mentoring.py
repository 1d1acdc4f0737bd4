"""Mentoring: masters and their apprentices, judged against the historical rule.

The rule of the movement: a master (at least twice the norm) brings on five workers, each
expected to double their output. Output is compared as fair fulfilment, so a changed norm, a
shorter shift or a helper does not pass for progress: an apprentice's fair fulfilment on
ordinary shifts after the link is set against the same before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.performance import Tally
from stakhanov.domain.periods import Period

EXPECTED_APPRENTICES = 5
EXPECTED_GAIN = Decimal(2)
IMPROVED = Decimal("1.1")  # a tenth better than before
WORSE = Decimal("0.9")
MIN_SHIFTS = 3


@dataclass(frozen=True)
class Mentorship:
    link_id: int
    master_id: str
    apprentice_id: str
    start: dt.date
    end: dt.date | None = None

    def overlaps(self, period: Period) -> bool:
        return self.start <= period.end and (self.end is None or self.end >= period.start)

    def windows(self, before_days: int, as_of: dt.date) -> tuple[Period, Period | None]:
        """The days before the link, and the link's days up to as_of (None if not begun)."""
        before = Period(self.start - dt.timedelta(days=before_days), self.start - dt.timedelta(1))
        last = as_of if self.end is None else min(self.end, as_of)
        return before, Period(self.start, last) if last >= self.start else None


class Outcome(StrEnum):
    DOUBLED = "doubled"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"
    TOO_EARLY = "too few shifts"


@dataclass(frozen=True)
class Progress:
    mentorship: Mentorship
    before: Tally
    after: Tally

    @property
    def ratio(self) -> Fraction | None:
        """After over before, exactly: doubling is a ratio of exactly 2."""
        before, after = self.before.fair_percent, self.after.fair_percent
        if before is None or after is None or before == 0:
            return None
        return after / before

    @property
    def outcome(self) -> Outcome:
        ratio = self.ratio
        if self.before.shifts < MIN_SHIFTS or self.after.shifts < MIN_SHIFTS or ratio is None:
            return Outcome.TOO_EARLY
        if ratio >= EXPECTED_GAIN:
            return Outcome.DOUBLED
        if ratio >= IMPROVED:
            return Outcome.IMPROVED
        return Outcome.WORSE if ratio <= WORSE else Outcome.UNCHANGED


class Verdict(StrEnum):
    MET_THE_RULE = "met the historical rule"  # five apprentices doubled
    WORKED = "worked"  # most assessed apprentices improved
    DID_NOT_WORK = "did not work"
    TOO_EARLY = "too early to tell"


@dataclass(frozen=True)
class MasterReport:
    master_id: str
    progress: tuple[Progress, ...]

    def count(self, *outcomes: Outcome) -> int:
        return sum(1 for p in self.progress if p.outcome in outcomes)

    @property
    def verdict(self) -> Verdict:
        assessed = len(self.progress) - self.count(Outcome.TOO_EARLY)
        if self.count(Outcome.DOUBLED) >= EXPECTED_APPRENTICES:
            return Verdict.MET_THE_RULE
        if not assessed:
            return Verdict.TOO_EARLY
        better = self.count(Outcome.DOUBLED, Outcome.IMPROVED)
        return Verdict.WORKED if better * 2 > assessed else Verdict.DID_NOT_WORK


def by_master(progress: Iterable[Progress]) -> list[MasterReport]:
    groups: dict[str, list[Progress]] = {}
    for item in progress:
        groups.setdefault(item.mentorship.master_id, []).append(item)
    return [MasterReport(master, tuple(items)) for master, items in sorted(groups.items())]
