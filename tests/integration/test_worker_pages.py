"""A unit's workers read a page at a time from the worker month sums (decision 0900): the page
is the one web/listing.py's `paged` cuts from the whole list, on both databases."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, literal, select, union_all

from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import ratio_percent
from stakhanov.services import dashboard, reports
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.sort_keys import exact_sum, percent_key
from stakhanov.web.listing import Listing, paged
from stakhanov.web.overview import WORKER_SORTS, worker_text
from tests.integration.helpers import write
from tests.integration.test_read_model import ACTIONS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage

OCTOBER = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31))
UNITS = ("Mine", "Mine/Section 1", "Mine/Section 1/Brigade 1", "Mine/Section 2")
SORTS = st.sampled_from(["", *WORKER_SORTS])


def _whole(engine: Engine, period: Period, unit: str) -> list[dict[str, Any]]:
    """The unit's whole list as the view builds it for other periods: every worker's rows,
    named where the worker's home is in the unit now."""
    names = {w.worker_id: w.name for w in reports.workers(engine, unit)}
    rows = [r.as_dict() for r in dashboard.fulfilment(engine, period, Grouping.WORKER, None, unit)]
    return [{**r, "name": names.get(r["worker_id"], r["worker_id"])} for r in rows]


def _same_page(
    engine: Engine, unit: str, search: str, sort: str, descending: bool, page: int, size: int
) -> None:
    whole = _whole(engine, OCTOBER, unit)
    chosen = Listing("/units", (), (), search, sort, descending, page, size)
    expected = paged(whole, chosen, WORKER_SORTS, worker_text)
    found = dashboard.worker_page(
        engine, OCTOBER, unit, dashboard.Page(search, sort, descending, page, size)
    )
    assert found is not None
    assert (found.rows, found.total) == (expected.rows, expected.total)
    assert found.workers == len({r["worker_id"] for r in whole})


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=2, max_size=6),
    unit=st.sampled_from(UNITS),
    sort=SORTS,
    descending=st.booleans(),
    search=st.sampled_from(["", "h1", "MOVED", "hew", "t 2", "timbering h", "nothing", "%"]),
    size=st.integers(1, 4),
    page=st.integers(1, 6),
)
def test_a_page_of_a_units_workers_in_sql_is_the_page_cut_from_the_whole_list(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    unit: str,
    sort: str,
    descending: bool,
    search: str,
    size: int,
    page: int,
) -> None:
    """Searched, sorted (missing values last either way, ties in the order of the list),
    counted and cut in SQL, pages past the end giving the last; the API's page by worker is
    the whole list's slice."""
    acted(loaded, actions)
    _same_page(loaded, unit, search, sort, descending, page, size)
    rows = dashboard.fulfilment(loaded, OCTOBER, Grouping.WORKER, None, unit)
    offset = (page - 1) * size
    found = dashboard.worker_fulfilment_page(loaded, OCTOBER, None, unit, size, offset)
    assert found == rows[offset : offset + size]
    everyone = dashboard.fulfilment(loaded, OCTOBER, Grouping.WORKER, None)
    found = dashboard.worker_fulfilment_page(loaded, OCTOBER, None, None, size, offset)
    assert found == everyone[offset : offset + size]


NAMES = ("ivan", "Ivan", "Иван", "иван Б", "Émile", "émile", "Zoë", "zoe", "Ёж")


def test_workers_named_in_any_case_and_alphabet_sort_and_are_found_as_python_does(
    loaded: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Names by code point on both databases, searched case-insensitively in any alphabet;
    equal percentages and hours in the order of the list."""
    brigade = "Mine/Section 1/Brigade 1"
    files = {
        "workers.csv": "worker_id,name,unit,trade,grade\n"
        + "".join(f"N{i},{name},{brigade},hewer,5\n" for i, name in enumerate(NAMES)),
        "shifts.csv": "shift_id,date,hours,workplace,conditions,note\n"
        + "".join(f"U{i},1935-10-{i + 1:02d},6,{brigade},standard,\n" for i in range(3)),
        "output.csv": "shift_id,operation,quantity,unit,rejected\n"
        + "".join(f"U{i},hewing,{10 + 7 * i},t,\n" for i in range(3)),
        "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient\n"
        + "".join(f"U{i % 3},N{i},hewing,{6 - i % 2},,\n" for i in range(len(NAMES))),
    }
    for name, body in files.items():
        write(tmp_path, name, body)
    import_batch(loaded, read_source(tmp_path, set(FORMATS)))
    for descending in (False, True):
        for sort in ("name", "percent", "hours", ""):
            for search in ("", "иван", "IVAN", "ÉMI", "ё", "zo"):
                _same_page(loaded, brigade, search, sort, descending, 1, 50)
                _same_page(loaded, "Mine", search, sort, descending, 2, 3)


def test_a_period_other_than_one_whole_month_is_not_paged_from_the_month_sums(
    loaded: Engine,  # noqa: F811
) -> None:
    year, days = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31)), dt.date(1935, 10, 2)
    for period in (year, Period(days, OCTOBER.end)):
        assert dashboard.worker_page(loaded, period, "Mine", dashboard.Page()) is None
        assert dashboard.worker_fulfilment_page(loaded, period, None, "Mine", 5, 0) is None


TEXTS = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False).map(str),
    st.tuples(st.integers(0, 10**9), st.integers(1, 10**9)).map(lambda p: f"{p[0]}/{p[1]}"),
)
RATIOS = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 10**18), st.integers(1, 10**16)),
)
# Exact halves of a tenth, which a floating ratio would round either way.
HALVES = [((1999, 100), "20"), ((19999, 1000), "20"), ((1, 2000), "1"), ((3, 8), "0.75")]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.tuples(RATIOS, TEXTS), min_size=1, max_size=4)
    | st.sampled_from([[h] for h in HALVES] + [HALVES[:2]])
)
@example(parts=[((10**18, 7), "2/3")])  # n/d hours: numeric division keeps too few digits
def test_the_sort_keys_of_a_group_are_its_exact_sums_and_its_shown_percentage(
    engine: Engine, parts: list[tuple[tuple[int, int] | None, str]]
) -> None:
    """Each fraction as long as the data's (17 digits), hours as decimals or `n/d`."""
    selects = [
        select(
            literal(None if r is None else str(r[0])).label("num"),
            literal(None if r is None else str(r[1])).label("den"),
            literal(hours).label("hours"),
        )
        for r, hours in parts
    ]
    rows = union_all(*selects).subquery() if len(selects) > 1 else selects[0].subquery()
    query = select(percent_key(rows.c.num, rows.c.den, rows.c.hours), exact_sum(rows.c.hours))
    with engine.connect() as connection:
        key, total = connection.execute(query).one()
    hours = sum((Fraction(h) for _, h in parts), Fraction(0))
    ratios = [Fraction(*r) for r, _ in parts if r is not None]
    shown = ratio_percent(sum(ratios, Fraction(0)), hours) if ratios else None
    assert (None if key is None else int(key)) == (None if shown is None else shown * 10)
    if len(parts) == 1 and "/" not in parts[0][1]:  # a decimal: itself, or its nearest double
        assert float(total) == float(hours)
    assert float(total) == pytest.approx(float(hours), rel=1e-12)
