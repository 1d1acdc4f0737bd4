"""Fulfilment by unit of a whole month, before and after decision 0904, and of days (a week
inside the month, the month's days), before and after decision 0907, side by side in one run.

Whole month: `before` rolls every unit up from the home sums (`read_sums.rolled_up`, what
`fulfilment --by unit` and `GET /api/fulfilment?by=unit` without `page_size` read before);
`after` reads the unit sums kept by change. Days: `before` rolls every unit up from the home
day sums in Python (`rolled_up(..., days=True)`), `after` sums them set-based
(`read_sums.unit_days`). Each is timed as the command prints it (`--json`) and as the API
answers it (its models, then JSON), for the whole enterprise and one section, on the database
given (a copy: an upgrade may run on first open), the latest month. The printed texts must be
equal.

    PYTHONPATH=src python benchmarks/by_unit.py --db /tmp/copy.db --repeat 5
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from side_by_side import alternated, database, p50
from sqlalchemy import func, select

from stakhanov.api import convert
from stakhanov.cli.jsonout import dumps
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors
from stakhanov.services import read_sums, unit_sums
from stakhanov.services.reports import FulfilmentRow
from stakhanov.store.db import reading
from stakhanov.store.read_model_tables import read_home_months
from stakhanov.store.types import stored_date


def _rows(engine: Any, month: Any, within: Sequence[str] | None, kept: bool) -> list[Any]:
    with reading(engine) as connection:
        if kept:
            found = unit_sums.months_fulfilment(connection, month, month, within)
        else:
            found = read_sums.rolled_up(connection, (month, month), within)
    return [FulfilmentRow(Grouping.UNIT, f) for f in found]


def _day_rows(engine: Any, days: Any, within: Sequence[str] | None, summed: bool) -> list[Any]:
    with reading(engine) as connection:
        if summed:
            found = read_sums.unit_days(connection, days, within)
        else:
            found = read_sums.rolled_up(connection, days, within, days=True)
    return [FulfilmentRow(Grouping.UNIT, f) for f in found]


def _summed(rows: list[Any]) -> str:
    """The Fulfilment list itself, every field exactly (its repr), not yet written out."""
    return repr([r.fulfilment for r in rows])


def _printed(rows: list[Any]) -> str:
    return dumps([r.as_dict() for r in rows])


def _answered(rows: list[Any]) -> str:
    return "[" + ",".join(m.model_dump_json() for m in convert.fulfilment(rows)) + "]"


def main() -> None:
    args, engine = database()
    with engine.connect() as connection:
        month = stored_date(connection.scalar(select(func.max(read_home_months.c.month))))
        home = connection.execute(
            select(read_home_months.c.home).where(read_home_months.c.month == month).limit(1)
        ).scalar_one()
        homes = connection.scalar(select(func.count()).where(read_home_months.c.month == month))
    section = ancestors(home)[1] if len(ancestors(home)) > 2 else home
    period = Period(month, read_sums.month_end(month))
    print(f"month {period.start}..{period.end}: {homes} home sums; section {section}")
    print(f"{'call':44} {'rows':>6} {'before s':>9} {'after s':>9} {'ratio':>7}")
    for scope in (None, [section]):
        for name, edge in (("--json", _printed), ("API", _answered)):
            before = lambda s=scope, e=edge: e(_rows(engine, month, s, False))  # noqa: E731
            after = lambda s=scope, e=edge: e(_rows(engine, month, s, True))  # noqa: E731
            assert before() == after(), (scope, name)
            rows = len(_rows(engine, month, scope, True))
            old, new = p50(before, args.repeat), p50(after, args.repeat)
            label = f"{'everything' if scope is None else 'a section'}, {name}"
            print(f"{label:44} {rows:>6} {old:>9.3f} {new:>9.3f} {old / new:>6.1f}x")
    week = (month + dt.timedelta(days=7), month + dt.timedelta(days=13))  # Monday to Sunday
    for days in (week, (period.start, period.end)):
        with reading(engine) as connection:
            held = read_sums.store.home_days_frame(connection, days, None).num_rows
        print(f"days {days[0]}..{days[1]}: {held} home day sums (decision 0907)")
        for scope in (None, [section]):
            for name, edge in (("the sums", _summed), ("--json", _printed), ("API", _answered)):
                before = lambda d=days, s=scope, e=edge: e(_day_rows(engine, d, s, False))  # noqa: E731
                after = lambda d=days, s=scope, e=edge: e(_day_rows(engine, d, s, True))  # noqa: E731
                assert before() == after(), (days, scope, name)
                rows = len(_day_rows(engine, days, scope, True))
                old, new = alternated(before, after, args.repeat)
                label = f"{'everything' if scope is None else 'a section'}, {name}"
                print(f"{label:44} {rows:>6} {old:>9.3f} {new:>9.3f} {old / new:>6.1f}x")


if __name__ == "__main__":
    main()
