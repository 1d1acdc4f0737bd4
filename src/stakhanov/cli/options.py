"""Options shared by many commands, declared once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period, parse_date, parse_period

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
CsvOption = Annotated[
    Path | None, typer.Option("--csv", help="Also write the rows to this CSV file.", dir_okay=False)
]
XlsxOption = Annotated[
    Path | None,
    typer.Option("--xlsx", help="Also write the rows to this Excel workbook.", dir_okay=False),
]
FromOption = Annotated[str | None, typer.Option("--from", help="First date (inclusive).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date (inclusive).")]
PeriodOption = Annotated[
    str | None, typer.Option("--period", help="YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO.")
]

ALL_TIME = Period(dt.date(1, 1, 1), dt.date(9999, 12, 31))


def period_of(period: str | None, start: str | None, end: str | None) -> Period:
    """The period a command covers; --period, or --from/--to, or all time."""
    try:
        if period:
            if start or end:
                raise typer.BadParameter("give --period or --from/--to, not both")
            return parse_period(period)
        return Period(
            parse_date(start, "--from") if start else ALL_TIME.start,
            parse_date(end, "--to") if end else ALL_TIME.end,
        )
    except InvalidValue as err:
        raise typer.BadParameter(f"{err.value!r} {err.reason}", param_hint=err.field) from err


def pay_period_of(period: str | None, start: str | None, end: str | None) -> Period:
    """A pay period: bounded on both sides (a close, an export, a check never runs on all time)."""
    chosen = period_of(period, start, end)
    if (start is None and end is None and period is None) or chosen == ALL_TIME:
        raise typer.BadParameter("give --from and --to (or --period)", param_hint="--from")
    if chosen.start == ALL_TIME.start or chosen.end == ALL_TIME.end:
        raise typer.BadParameter("a pay period needs both --from and --to", param_hint="--from")
    return chosen


def day_of(text: str | None, name: str) -> dt.date:
    """A date option; today when not given."""
    if not text:
        return dt.date.today()
    try:
        return parse_date(text, name)
    except InvalidValue as err:
        raise typer.BadParameter(f"{err.value!r} {err.reason}", param_hint=name) from err


def number_of(text: str | None, name: str) -> Decimal | None:
    """A decimal option, exact as written."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as err:
        raise typer.BadParameter(f"{text!r} is not a number", param_hint=name) from err
    if not value.is_finite():
        raise typer.BadParameter(f"{text!r} is not a finite number", param_hint=name)
    return value
