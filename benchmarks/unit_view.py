"""The unit view's list of workers, before and after decision 0900, side by side in one run.

`before` is the path the view keeps for periods other than one whole month (every worker's
fulfilment of the unit, named, then searched, sorted and cut in Python); `after` reads the
page from the worker month sums in SQL. Both on the database given (a copy: an upgrade may
run on first open, at the database's head), for the root unit and one brigade, the latest month.

    PYTHONPATH=src python benchmarks/unit_view.py --db /tmp/copy.db --repeat 5
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from side_by_side import database, p50
from sqlalchemy import func, select

from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.services import dashboard, read_sums
from stakhanov.store.read_model_tables import read_home_months, read_months
from stakhanov.store.types import stored_date
from stakhanov.web.listing import Listing
from stakhanov.web.overview import every_worker

ASKED = {
    "first page": dashboard.Page(),
    "page 3 by percent, descending": dashboard.Page(sort="percent", descending=True, number=3),
    "page 2 by name": dashboard.Page(sort="name", number=2),
    "by hours, past the end": dashboard.Page(sort="hours", number=10_000),
    "search 'ivan' by fair percent": dashboard.Page("ivan", "fair_percent"),
}


def _before(engine: Any, period: Period, unit: str, page: dashboard.Page) -> Any:
    chosen = Listing(
        "/units", (), (), page.search, page.sort, page.descending, page.number, page.per_page
    )
    return every_worker(engine, period, unit, chosen)


def _calls(engine: Any, period: Period, unit: str) -> dict[str, tuple[Callable[[], Any], ...]]:
    calls: dict[str, tuple[Callable[[], Any], ...]] = {}
    for name, page in ASKED.items():
        calls[name] = (
            lambda page=page: _before(engine, period, unit, page),
            lambda page=page: dashboard.worker_page(engine, period, unit, page),
        )
    calls["API by=worker, page_size=50, page 3"] = (
        lambda: dashboard.fulfilment(engine, period, Grouping.WORKER, None, unit)[100:150],
        lambda: dashboard.worker_fulfilment_page(engine, period, None, unit, 50, 100),
    )
    return calls


def main() -> None:
    args, engine = database()
    with engine.connect() as connection:
        month = connection.scalar(select(func.max(read_months.c.month)))
        homes = connection.execute(
            select(read_home_months.c.home).where(read_home_months.c.month == month).limit(1)
        ).scalar_one()
        rows = connection.scalar(select(func.count()).where(read_months.c.month == month))
    first = stored_date(month)
    period = Period(first, read_sums.month_end(first))
    root = homes.split("/")[0]
    print(f"{args.db}: {period.start}..{period.end}, {rows} worker month sums")
    for unit in (root, homes):
        for name, (before, after) in _calls(engine, period, unit).items():
            found = after()
            old, new = p50(before, args.repeat), p50(after, args.repeat)
            shown = len(found.rows) if hasattr(found, "rows") else len(found)
            print(f"{unit} | {name} | {old:.3f} | {new:.3f} | {old / new:.0f}x | rows {shown}")


if __name__ == "__main__":
    main()
