"""A list of pay slips as people read it: searched by worker, totalled per currency, paged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from stakhanov.domain.payslips import PaySlip


@dataclass(frozen=True)
class Totals:
    """The sums of one currency's slips (slips in different currencies are never added)."""

    currency: str
    count: int
    gross: Decimal
    deducted: Decimal
    net: Decimal


def matching(slips: Sequence[PaySlip], search: str | None) -> list[PaySlip]:
    """The slips whose worker id or name contains the text, case-insensitively."""
    text = (search or "").strip().casefold()
    if not text:
        return list(slips)
    return [s for s in slips if text in s.worker_id.casefold() or text in s.name.casefold()]


def totals(slips: Sequence[PaySlip]) -> list[Totals]:
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


def sorted_by(slips: Sequence[PaySlip], sort: str, descending: bool = False) -> list[PaySlip]:
    """The slips by worker id, name or one of their figures (money in each slip's own
    currency: slips are compared by figure only where they share one, currency first)."""
    by_worker = sorted(slips, key=lambda s: s.worker_id, reverse=descending)
    if sort == "worker":
        return by_worker
    if sort == "name":
        return sorted(by_worker, key=lambda s: s.name.casefold(), reverse=descending)
    figure = {"gross": "gross", "deducted": "deducted", "net": "net"}[sort]
    return sorted(by_worker, key=lambda s: (s.currency, getattr(s, figure)), reverse=descending)
