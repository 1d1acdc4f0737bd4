"""A list of pay slips as people read it: searched by worker, totalled per currency, paged;
and which work can earn a slip at all (what an open period's list is read by)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook

ONE_DAY = dt.timedelta(days=1)


class Listed(Protocol):
    """What a slip list shows of a slip: a whole slip or its stored head."""

    @property
    def worker_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def gross(self) -> Decimal: ...
    @property
    def deducted(self) -> Decimal: ...
    @property
    def net(self) -> Decimal: ...


S = TypeVar("S", bound=Listed)


@dataclass(frozen=True)
class SlipHead:
    """A slip as its list shows and exports it: the figures and how many earning lines."""

    worker_id: str
    name: str
    currency: str
    gross: Decimal
    deducted: Decimal
    net: Decimal
    lines: int

    @classmethod
    def of(cls, slip: PaySlip) -> SlipHead:
        return cls(
            slip.worker_id,
            slip.name,
            slip.currency,
            slip.gross,
            slip.deducted,
            slip.net,
            len(slip.lines),
        )


@dataclass(frozen=True)
class Totals:
    """The sums of one currency's slips (slips in different currencies are never added)."""

    currency: str
    count: int
    gross: Decimal
    deducted: Decimal
    net: Decimal


def matching(slips: Sequence[S], search: str | None) -> list[S]:
    """The slips whose worker id or name contains the text, case-insensitively."""
    text = (search or "").strip().casefold()
    if not text:
        return list(slips)
    return [s for s in slips if text in s.worker_id.casefold() or text in s.name.casefold()]


def totals(slips: Sequence[Listed]) -> list[Totals]:
    """One line per currency, in currency order; exact sums of the slips' own figures."""
    found = []
    for currency in sorted({s.currency for s in slips}):
        mine = [s for s in slips if s.currency == currency]
        found.append(
            Totals(
                currency,
                len(mine),
                sum((s.gross for s in mine), start=Decimal(0)),
                sum((s.deducted for s in mine), start=Decimal(0)),
                sum((s.net for s in mine), start=Decimal(0)),
            )
        )
    return found


@dataclass(frozen=True)
class Page:
    slips: list[PaySlip]
    number: int  # 1-based
    pages: int
    size: int


def paged(slips: Sequence[PaySlip], number: int, size: int) -> Page:
    """The page of slips with that number, clamped to the pages there are."""
    pages = max(1, -(-len(slips) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(list(slips[start : start + size]), number, pages, size)


SORTS = ("worker", "name", "gross", "deducted", "net")
"""What a slip list may be sorted by; slips of one figure stay in worker order."""


def sorted_by(slips: Sequence[S], sort: str, descending: bool = False) -> list[S]:
    """The slips by worker id, name or one of their figures (money in each slip's own
    currency: slips are compared by figure only where they share one, currency first)."""
    by_worker = sorted(slips, key=lambda s: s.worker_id, reverse=descending)
    if sort == "worker":
        return by_worker
    if sort == "name":
        return sorted(by_worker, key=lambda s: s.name.casefold(), reverse=descending)
    figure = {"gross": "gross", "deducted": "deducted", "net": "net"}[sort]
    return sorted(by_worker, key=lambda s: (s.currency, getattr(s, figure)), reverse=descending)


@dataclass(frozen=True)
class Paying:
    """Days of a period on which the same operations are paid by some scale (None: every one):
    work on other operations earns no line, so a worker with no other gets no slip."""

    start: dt.date
    end: dt.date
    operations: frozenset[str] | None


def paying(book: ScaleBook, period: Period) -> list[Paying]:
    """The period cut into runs of days that scales pay the same operations on."""
    runs: list[Paying] = []
    day = period.start
    while day <= period.end:
        standing = book.standing(day)
        operations = (
            None
            if any(s.operations is None for s in standing)
            else frozenset(o for s in standing for o in s.operations or ())
        )
        if runs and runs[-1].operations == operations and runs[-1].end == day - ONE_DAY:
            runs[-1] = Paying(runs[-1].start, day, operations)
        else:
            runs.append(Paying(day, day, operations))
        day += ONE_DAY
    return [r for r in runs if r.operations is None or r.operations]
