"""Query parameters shared by the reports: the period, as docs/contract.md writes it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

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
