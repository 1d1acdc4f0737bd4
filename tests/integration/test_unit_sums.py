"""The unit sums kept by change (decision 0898) equal the domain's roll-up, on both databases,
after any writes and corrections; the overview's pages read from them equal the lists the
pages cut from the whole roll-up."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select, update

from stakhanov.domain.access import within_any
from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.hours import hours_text
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors
from stakhanov.services import dashboard, read_model, reports
from stakhanov.services import unit_sums as kept
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store import read_findings as stored_findings
from stakhanov.store.read_model_tables import (
    read_finding_counts,
    read_findings,
    read_unit_months,
    read_unit_total_days,
    read_unit_totals,
)
from tests.integration.helpers import write
from tests.integration.test_read_model import ACTIONS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage

OCTOBER = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31))
SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
YEAR = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))
UNIT_TABLES = (read_unit_months, read_unit_totals, read_unit_total_days)
SCOPES = (None, ["Mine/Section 1/Brigade 1"], ["Mine/Section 1"], ["Mine"], [])


def _values(engine: Engine) -> list[list[tuple[Any, ...]]]:
    """The unit sums held, by value (a decimal's scale may differ from a fresh roll-up's)."""
    found = []
    with engine.connect() as connection:
        for table in (*UNIT_TABLES, read_finding_counts, read_findings):
            rows = [dict(r._mapping) for r in connection.execute(select(table))]
            found.append(sorted((_value_of(r) for r in rows), key=repr))
    return found


def _value_of(row: dict[str, Any]) -> tuple[Any, ...]:
    values = []
    for name, value in sorted(row.items()):
        if name in ("row_id", "message"):
            continue
        if name in ("hours", "output", "normed_hours"):  # by value: 8.50 is 8.5
            value = Fraction(kept._number(value))
        values.append((name, str(value) if isinstance(value, dt.date) else value))
    return tuple(values)


def _unit_rows(engine: Engine, period: Period, within: list[str] | None) -> list[dict[str, Any]]:
    """The overview's table by unit and operation, whole: every row with a percentage."""
    rows = [r.as_dict() for r in dashboard.fulfilment(engine, period, Grouping.UNIT, within)]
    return [r for r in rows if r["percent"] is not None]


def _shown(found: list[dashboard.Total]) -> list[tuple[Any, ...]]:
    return [(t.key, t.hours, t.percent, t.fair_percent) for t in found]


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_the_unit_sums_kept_by_change_equal_a_roll_up_and_the_domain(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
) -> None:
    acted(loaded, actions)
    held = _values(loaded)
    assert all(held), "the mini ledger's units are summed and its findings counted"
    with loaded.begin() as connection:  # rolled up afresh from the home sums and findings
        for table in (*UNIT_TABLES, read_finding_counts):
            connection.execute(delete(table))
        connection.execute(update(read_findings).values(workplace=None))
    assert read_model.rebuild_if_stale(loaded)
    assert _values(loaded) == held
    read_model.rebuild(loaded)
    assert _values(loaded) == held
    ledger = reports.ledger_for(loaded, YEAR)
    home = reports.home_unit_of(ledger)
    for period in (OCTOBER, SEPTEMBER):
        for within in SCOPES:
            # The table by unit and operation: every row, in the service's order.
            page = dashboard.unit_operations(loaded, period, within, dashboard.Page(per_page=500))
            assert page is not None
            assert page.rows == _unit_rows(loaded, period, within), (period, within)
            assert page.total == len(page.rows)
            # The units over all their operations, and the trend per day, as the domain sums.
            results = reports.results_within(ledger, period, within)
            by_unit = dashboard.totals(
                results,
                lambda r, s=within: [u for u in ancestors(home(r.worker_id)) if within_any(u, s)],
            )
            units = dashboard.unit_page(loaded, period, within, dashboard.Page(per_page=500))
            assert units is not None
            assert [
                (u["unit"], u["hours"], u["percent"], u["fair_percent"]) for u in units.rows
            ] == (_shown(by_unit))
            by_day = dashboard.totals(results, lambda r: [r.date])
            assert _shown(dashboard.trend(loaded, period, within)) == _shown(by_day), within
    # The overview's tiles: findings per kind of whole months from the counts, as SQL counts
    # the stored findings at workplaces in scope.
    for period in (OCTOBER, SEPTEMBER, YEAR):
        for within in SCOPES:
            conditions = stored_findings.where(period.start, period.end, within, None, None)
            with loaded.connect() as connection:
                counted = stored_findings.counts(connection, conditions, "kind", None)
            assert dashboard.finding_counts(loaded, period, within) == Counter(counted)


SORTS = st.sampled_from(["", "unit", "hours", "percent", "fair_percent"])
OPERATION_SORTS = st.sampled_from(
    ["", "unit", "operation", "shifts", "hours", "output", "percent", "fair_percent"]
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=2, max_size=6),
    sort=SORTS,
    operation_sort=OPERATION_SORTS,
    descending=st.booleans(),
    search=st.sampled_from(["", "brigade", "SECTION 1", "hew", "mine tim", "nothing"]),
    per_page=st.integers(1, 3),
    page=st.integers(1, 4),
)
def test_a_page_of_units_in_sql_is_the_page_cut_from_the_whole_list(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    sort: str,
    operation_sort: str,
    descending: bool,
    search: str,
    per_page: int,
    page: int,
) -> None:
    """Searched, sorted (missing values last either way, ties in the order of the list) and
    cut in SQL, as web/listing.py's `paged` cuts the whole list in Python."""
    from stakhanov.web.listing import Listing, paged

    acted(loaded, actions)
    asked = dashboard.Page(search, sort, descending, page, per_page)
    chosen = Listing("/", (), (), search, sort, descending, page, per_page)
    units = [
        {"unit": t.key, "hours": t.hours, "percent": t.percent, "fair_percent": t.fair_percent}
        for t in dashboard.unit_totals(loaded, OCTOBER, None)
    ]
    keys = {n: itemgetter(n) for n in ("unit", "hours", "percent", "fair_percent")}
    expected = paged(units, chosen, keys, lambda u: str(u["unit"]))
    found = dashboard.unit_page(loaded, OCTOBER, None, asked)
    assert found is not None
    assert (found.rows, found.total) == (expected.rows, expected.total)
    rows = _unit_rows(loaded, OCTOBER, None)
    names = ("unit", "operation", "shifts", "hours", "output", "percent", "fair_percent")
    keys = {n: itemgetter(n) for n in names}
    chosen = Listing("/", (), (), search, operation_sort, descending, page, per_page)
    expected = paged(rows, chosen, keys, lambda r: f"{r['unit']} {r['operation']}")
    asked = dashboard.Page(search, operation_sort, descending, page, per_page)
    found = dashboard.unit_operations(loaded, OCTOBER, None, asked)
    assert found is not None
    assert (found.rows, found.total) == (expected.rows, expected.total)


def test_a_period_other_than_one_whole_month_is_not_paged_from_the_unit_sums(
    loaded: Engine,  # noqa: F811
) -> None:
    for period in (YEAR, Period(dt.date(1935, 10, 2), dt.date(1935, 10, 31))):
        assert dashboard.unit_page(loaded, period, None, dashboard.Page()) is None
        assert dashboard.unit_operations(loaded, period, None, dashboard.Page()) is None


def test_hours_no_decimal_holds_and_zero_are_written_as_the_home_sums_write_them() -> None:
    total = kept._Sum()
    total.add(1, 1, {"hours": kept._number("1/3"), "earned": None})
    total.add(1, 1, {"hours": Decimal("2.50")})
    assert hours_text(total.get("hours")) == "17/6"
    total.add(-1, -1, {"hours": kept._number("1/3")})
    assert total.get("hours") == Decimal("2.5")
    total.add(-1, -1, {"hours": Decimal("2.50")})
    assert hours_text(total.get("hours")) == "0"
    assert (total.homes, total.normed) == (0, 0)


NAMES = ("Mine/Section 1/brigade b", "Mine/Section 1/Brigade C", "Mine/Section 1/Бригада а")


def test_units_named_in_any_case_and_alphabet_sort_as_python_sorts_them(
    loaded: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    """By code point on both databases (PostgreSQL's own collation would put `brigade b`
    before `Brigade C`), as the lists cut in Python order them."""
    workers = "".join(f"N{i},Named {i},{unit},hewer,5\n" for i, unit in enumerate(NAMES))
    shifts = "".join(f"U{i},1935-10-0{i + 1},6,{unit},standard,\n" for i, unit in enumerate(NAMES))
    files = {
        "workers.csv": "worker_id,name,unit,trade,grade\n" + workers,
        "shifts.csv": "shift_id,date,hours,workplace,conditions,note\n" + shifts,
        "output.csv": "shift_id,operation,quantity,unit,rejected\n"
        + "".join(f"U{i},hewing,{10 + i},t,\n" for i in range(len(NAMES))),
        "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient\n"
        + "".join(f"U{i},N{i},hewing,6,,\n" for i in range(len(NAMES))),
    }
    for name, body in files.items():
        write(tmp_path, name, body)
    import_batch(loaded, read_source(tmp_path, set(FORMATS)))
    for descending in (False, True):
        found = dashboard.unit_page(
            loaded, OCTOBER, None, dashboard.Page(sort="unit", descending=descending)
        )
        assert found is not None
        units = [row["unit"] for row in found.rows]
        assert set(NAMES) <= set(units)
        assert units == sorted(units, reverse=descending)
        from stakhanov.web.listing import Listing, paged

        names = ("unit", "operation", "shifts", "hours", "output", "percent", "fair_percent")
        chosen = Listing("/", (), (), "", "unit", descending, 1, 500)
        expected = paged(
            _unit_rows(loaded, OCTOBER, None),
            chosen,
            {n: itemgetter(n) for n in names},
            lambda r: f"{r['unit']} {r['operation']}",
        )
        operations = dashboard.unit_operations(
            loaded, OCTOBER, None, dashboard.Page(sort="unit", descending=descending, per_page=500)
        )
        assert operations is not None and operations.rows == expected.rows
