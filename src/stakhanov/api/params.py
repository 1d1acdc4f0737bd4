"""Query parameters shared by the reports: the period, as docs/contract.md writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query

from stakhanov.api.errors import FieldError
from stakhanov.api.models import IsoDate
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period, parse_period

ALL_TIME = Period(dt.date(1, 1, 1), dt.date(9999, 12, 31))


def period(
    start: Annotated[
        IsoDate | None, Query(alias="from", description="First date (inclusive).")
    ] = None,
    end: Annotated[IsoDate | None, Query(alias="to", description="Last date (inclusive).")] = None,
    period: Annotated[
        str | None,
        Query(max_length=30, description="YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO."),
    ] = None,
) -> Period:
    """The period asked for: `period`, or `from`/`to`, or all time."""
    if period:
        if start or end:
            raise FieldError(["query", "period"], "give period or from/to, not both")
        try:
            return parse_period(period)
        except InvalidValue as err:
            raise FieldError(["query", "period"], err.reason) from err
    chosen_end = end or ALL_TIME.end
    chosen_start = start or ALL_TIME.start
    if chosen_end < chosen_start:
        raise FieldError(["query", "to"], "ends before from")
    return Period(chosen_start, chosen_end)


def bounded_period(chosen: Annotated[Period, Depends(period)]) -> Period:
    """A period with both ends, for what cannot run over all time (pay, titles)."""
    if chosen.start == ALL_TIME.start or chosen.end == ALL_TIME.end:
        raise FieldError(["query", "from"], "needs from and to (or period)")
    return chosen


Bounded = Annotated[Period, Depends(bounded_period)]


T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    """One page of a list: `size` rows from row (page - 1) x size; no size, every row."""

    page: int
    size: int | None

    @property
    def offset(self) -> int:
        return 0 if self.size is None else (self.page - 1) * self.size

    def of(self, rows: Sequence[T]) -> list[T]:
        if self.size is None:
            return list(rows)
        return list(rows[self.offset : self.offset + self.size])


def paging(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
    page_size: Annotated[
        int | None, Query(ge=1, le=5000, description="Rows per page (default: every row).")
    ] = None,
) -> Paging:
    return Paging(page, page_size)


Paged = Annotated[Paging, Depends(paging)]
