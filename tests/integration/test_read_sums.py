"""The read model's month sums kept by every write equal a rebuild and the domain's sums."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, Table, select

from stakhanov.domain.access import within_any
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors
from stakhanov.engine import stored
from stakhanov.services import dashboard, plans, read_model, read_sums, reports
from stakhanov.services.read_sums import whole_months
from stakhanov.store import read_sums as sums_store
from stakhanov.store.frames import NotMicro
from stakhanov.store.read_model_tables import (
    read_days,
    read_home_days,
    read_home_months,
    read_months,
    read_output_days,
    read_unit_day_shifts,
    read_unit_shifts,
    read_worker_days,
)
from tests.integration.test_read_model import ACTIONS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage

YEAR = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))
OCTOBER = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31))
INSIDE = Period(dt.date(1935, 10, 5), dt.date(1935, 11, 20))
SCOPES = (None, ["Mine/Section 1/Brigade 1"], ["Mine/Section 1"], ["Mine"], [])


def sums(engine: Engine) -> list[list[tuple[str, ...]]]:
    found = []
    with engine.connect() as connection:
        tables = (read_months, read_unit_shifts, read_days, read_output_days)
        more = (read_worker_days, read_unit_day_shifts, read_home_months, read_home_days)
        for table in (*tables, *more):
            columns = [c for c in table.c if c.name != "row_id"]
            rows = connection.execute(select(*columns)).all()
            found.append(sorted(tuple(str(v) for v in r) for r in rows))
    return found


def shown(found: list[dashboard.Total]) -> list[tuple[Any, ...]]:
    return [(t.key, str(t.hours), t.percent, t.fair_percent) for t in found]


def made(production: list[Any]) -> dict[tuple[Any, ...], str]:
    """Measured output summed per day, workplace, operation and unit, as text (the scale too)."""
    sums: dict[tuple[Any, ...], Any] = {}
    for p in production:
        key = (p.date, p.workplace, p.operation, p.unit)
        sums[key] = sums.get(key, 0) + p.quantity
    return {k: str(v) for k, v in sums.items()}


def reference(
    engine: Engine, period: Period, grouping: Grouping, within: list[str] | None
) -> list[Any]:
    """The domain's fulfilment from the ledger: results of the scope, summed by `aggregate`."""
    ledger = reports.ledger_for(engine, period)
    keys = key_function(grouping, reports.home_unit_of(ledger))
    return aggregate(reports.results_within(ledger, period, within), keys)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_month_sums_equal_a_rebuild_and_the_domain(loaded: Engine, actions: list[Any]) -> None:  # noqa: F811
    acted(loaded, actions)
    kept = sums(loaded)
    assert kept[0], "the mini ledger's months are summed"
    read_model.rebuild(loaded)
    assert kept == sums(loaded)
    for period in (YEAR, OCTOBER):
        assert whole_months(period) is not None  # the month sums answer these periods
        for grouping in (Grouping.WORKER, Grouping.UNIT):
            for within in SCOPES:
                found = [r.fulfilment for r in reports.fulfilment(loaded, period, grouping, within)]
                assert found == reference(loaded, period, grouping, within), (grouping, within)
    for worker in ("H1", "T1"):
        found = [
            r.fulfilment for r in reports.fulfilment(loaded, YEAR, Grouping.WORKER, None, worker)
        ]
        expected = [
            f for f in reference(loaded, YEAR, Grouping.WORKER, None) if f.group == (worker,)
        ]
        assert found == expected
    # The daily trend from the day sums is the domain's sum of the scope's results per day.
    ledger = reports.ledger_for(loaded, YEAR)
    home = reports.home_unit_of(ledger)
    for period in (YEAR, INSIDE):
        for within in SCOPES:
            results = reports.results_within(ledger, period, within)
            by_day = dashboard.totals(results, lambda r: [r.date])
            assert shown(dashboard.trend(loaded, period, within)) == shown(by_day), within
            by_unit = dashboard.totals(
                results,
                lambda r, s=within: [u for u in ancestors(home(r.worker_id)) if within_any(u, s)],
            )
            assert shown(dashboard.unit_totals(loaded, period, within)) == shown(by_unit)
        # The plans' actuals read output per day and workplace: the ledger's, summed so.
        assert made(plans.measured_of(loaded, period)) == made(
            [p for p in plans.production(ledger) if p.date in period]
        )


# Periods with whole months inside and days around them (the mini ledger: 30 August to
# 3 September; the actions' shifts: October).
AROUND = (
    Period(dt.date(1935, 8, 31), dt.date(1935, 10, 15)),
    Period(dt.date(1935, 8, 30), dt.date(1935, 11, 1)),
    Period(dt.date(1935, 9, 2), dt.date(1935, 10, 31)),
    Period(dt.date(1935, 9, 1), dt.date(1935, 10, 20)),
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=5))
def test_the_whole_months_of_a_period_from_the_sums_and_its_days_around_equal_the_domain(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
) -> None:
    acted(loaded, actions)
    for period in AROUND:
        months, around = read_sums.split(period)
        assert months is not None and around  # both parts answer it
        for grouping in (Grouping.WORKER, Grouping.UNIT):
            for within in SCOPES:
                found = [r.fulfilment for r in reports.fulfilment(loaded, period, grouping, within)]
                assert found == reference(loaded, period, grouping, within), (period, within)
        for worker in ("H1", "T1"):
            found = [
                r.fulfilment
                for r in reports.fulfilment(loaded, period, Grouping.WORKER, None, worker)
            ]
            expected = reference(loaded, period, Grouping.WORKER, None)
            assert found == [f for f in expected if f.group == (worker,)]
        with loaded.connect() as connection:  # a caller's connection reads every part
            on_it = read_model.fulfilment(connection, period, Grouping.UNIT)
        assert on_it == reference(loaded, period, Grouping.UNIT, None)


def test_a_period_is_split_into_its_whole_months_and_the_days_around_them() -> None:
    day = dt.date
    assert read_sums.split(Period(day(1935, 8, 31), day(1935, 10, 15))) == (
        (day(1935, 9, 1), day(1935, 9, 1)),
        [Period(day(1935, 8, 31), day(1935, 8, 31)), Period(day(1935, 10, 1), day(1935, 10, 15))],
    )
    assert read_sums.split(Period(day(1935, 9, 2), day(1935, 11, 30))) == (
        (day(1935, 10, 1), day(1935, 11, 1)),
        [Period(day(1935, 9, 2), day(1935, 9, 30))],
    )
    assert read_sums.split(OCTOBER) == ((day(1935, 10, 1), day(1935, 10, 1)), [])
    for inside in (INSIDE, Period(day(1935, 10, 2), day(1935, 10, 31))):
        assert read_sums.split(inside) == (None, [inside])
    for edge in (Period(day(9999, 12, 5), day(9999, 12, 31)), Period(day(1, 1, 1), day(1, 1, 5))):
        assert read_sums.split(edge) == (None, [edge])


def test_a_period_inside_a_month_is_not_answered_by_the_sums() -> None:
    assert whole_months(Period(dt.date(1935, 10, 2), dt.date(1935, 10, 31))) is None
    assert whole_months(Period(dt.date(1935, 10, 1), dt.date(1935, 10, 30))) is None
    assert whole_months(Period(dt.date(1935, 11, 1), dt.date(1936, 2, 29))) == (
        dt.date(1935, 11, 1),
        dt.date(1936, 2, 1),
    )
    ever = Period(dt.date(1, 1, 1), dt.date(9999, 12, 31))
    assert whole_months(ever) == (dt.date(1, 1, 1), dt.date(9999, 12, 1))


def test_a_database_without_month_sums_is_filled_on_upgrade(loaded: Engine) -> None:  # noqa: F811
    kept = sums(loaded)
    with loaded.begin() as connection:
        connection.execute(read_months.delete())
        connection.execute(read_unit_shifts.delete())
    assert read_model.rebuild_if_stale(loaded)
    assert sums(loaded) == kept
    assert not read_model.rebuild_if_stale(loaded)
    with loaded.begin() as connection:  # a database from before the day sums (0039)
        connection.execute(read_days.delete())
        connection.execute(read_output_days.delete())
    assert read_model.rebuild_if_stale(loaded)
    assert sums(loaded) == kept
    assert not read_model.rebuild_if_stale(loaded)
    with loaded.begin() as connection:  # a database from before the worker day sums (0045)
        connection.execute(read_worker_days.delete())
        connection.execute(read_unit_day_shifts.delete())
    assert read_model.rebuild_if_stale(loaded)
    assert sums(loaded) == kept
    assert not read_model.rebuild_if_stale(loaded)
    with loaded.begin() as connection:  # a database from before the home sums (0047)
        connection.execute(read_home_months.delete())
        connection.execute(read_home_days.delete())
    assert read_model.rebuild_if_stale(loaded)
    assert sums(loaded) == kept
    assert not read_model.rebuild_if_stale(loaded)


def test_a_month_is_summed_a_slice_of_workers_at_a_time_where_the_engine_cannot(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = sums(loaded)  # kept by the import, set-based

    def inexact(*_: Any) -> None:
        raise NotMicro("as a value beyond the engine's integers would")

    monkeypatch.setattr(read_sums.stored, "worker_sums", inexact)
    monkeypatch.setattr(read_sums, "WORKERS_AT_ONCE", 1)
    read_model.rebuild(loaded)
    assert sums(loaded) == whole
    assert len({row[1] for row in whole[0]}) > 1  # several workers, so several slices


def _text(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for _, v in sorted(r.items())) for r in rows)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=5), part=st.integers(0, 5))
def test_the_set_based_month_sums_are_the_domain_s_to_the_written_scale(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    part: int,
) -> None:
    acted(loaded, actions)
    with loaded.connect() as connection:
        for month in sums_store.months_held(connection):
            end = read_sums.month_end(month)
            workers = sums_store.workers_of_month(connection, month, end)
            for chosen in (None, workers[:part]):
                rows = sums_store.month_frame(connection, month, end, chosen)
                found = stored.worker_sums(rows, chosen)
                python = sums_store.rows_of_worker_months(
                    connection, month, end, workers if chosen is None else chosen
                )
                expected = read_sums._worker_months(python)
                assert _text(_named(read_months, found["month"])) == _text(expected), month
                by_day = _named(read_worker_days, found["day"])
                assert _text(by_day) == _text(read_sums._worker_months(python, days=True))


def _named(table: Table, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Rows as the engine writes them (every column but row_id, in order), by name."""
    names = [c.name for c in table.columns if c.name != "row_id"]
    return [dict(zip(names, row, strict=True)) for row in rows]


# Any period the mini ledger and the actions' shifts can fall in: 25 August to 10 November.
DAYS_HELD = st.dates(dt.date(1935, 8, 25), dt.date(1935, 11, 10))


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=1, max_size=5),
    periods=st.lists(st.tuples(DAYS_HELD, DAYS_HELD), min_size=1, max_size=4),
)
def test_fulfilment_of_any_period_from_the_month_and_day_sums_equals_the_domain(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    periods: list[tuple[dt.date, dt.date]],
) -> None:
    acted(loaded, actions)
    assert sums(loaded)[4], "the day sums are kept"
    for first, last in periods:
        period = Period(min(first, last), max(first, last))
        for grouping in (Grouping.WORKER, Grouping.UNIT):
            for within in SCOPES:
                found = [r.fulfilment for r in reports.fulfilment(loaded, period, grouping, within)]
                assert found == reference(loaded, period, grouping, within), (period, within)
        for worker in ("H1", "T1"):
            found = [
                r.fulfilment
                for r in reports.fulfilment(loaded, period, Grouping.WORKER, None, worker)
            ]
            expected = reference(loaded, period, Grouping.WORKER, None)
            assert found == [f for f in expected if f.group == (worker,)], (period, worker)


def test_a_period_inside_a_month_reads_the_day_sums_not_the_rows(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unread(*_: Any) -> None:
        raise AssertionError("the rows are not read")

    week = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 3))
    groupings = (Grouping.WORKER, Grouping.UNIT)
    expected = [reference(loaded, week, grouping, None) for grouping in groupings]
    monkeypatch.setattr(read_model.store, "results_frame", unread)
    monkeypatch.setattr(read_model.store, "rows_of", unread)
    found = [[r.fulfilment for r in reports.fulfilment(loaded, week, g, None)] for g in groupings]
    assert found == expected and all(expected)


def _per_home(rows: list[dict[str, Any]], when: str) -> list[tuple[str, ...]]:
    """Sums per (month or day, home, operation, unit), as exact text: of home sums as stored,
    or of the worker sums of every worker at home there."""
    found: dict[tuple[str, ...], read_sums._Sum] = {}
    for row in rows:
        key = (str(row[when]), row["home"], row["operation"], str(row["unit"]))
        found.setdefault(key, read_sums._Sum()).add(row, shifts=False)
    return sorted(
        (
            *key,
            str(s.hours),
            str(s.output),
            str(s.normed_hours),
            *(str(s.ratio(name)) for name in ("norm_output", "earned", "fair")),
        )
        for key, s in found.items()
    )


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_the_home_sums_are_the_sums_of_their_workers_sums(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
) -> None:
    acted(loaded, actions)
    with loaded.connect() as connection:
        for table, homes, when in (
            (read_months, read_home_months, "month"),
            (read_worker_days, read_home_days, "date"),
        ):
            workers = [dict(r._mapping) for r in connection.execute(select(table))]
            kept = [dict(r._mapping) for r in connection.execute(select(homes))]
            assert workers and _per_home(kept, when) == _per_home(workers, when), table.name


def test_what_is_shown_by_unit_reads_the_home_sums_not_the_worker_sums(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    week = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 3))
    periods = (week, OCTOBER, AROUND[0])
    expected = {
        (p, str(w)): reference(loaded, p, Grouping.UNIT, w) for p in periods for w in SCOPES
    }
    ledger = reports.ledger_for(loaded, YEAR)
    home = reports.home_unit_of(ledger)
    totals = {}
    for period in (week, OCTOBER):
        for within in SCOPES:
            by_unit = dashboard.totals(
                reports.results_within(ledger, period, within),
                lambda r, s=within: [u for u in ancestors(home(r.worker_id)) if within_any(u, s)],
            )
            totals[(period, str(within))] = shown(by_unit)

    def unread(*_: Any, **__: Any) -> None:
        raise AssertionError("the worker sums and the rows are not read")

    monkeypatch.setattr(sums_store, "month_rows", unread)
    monkeypatch.setattr(read_model.store, "results_frame", unread)
    monkeypatch.setattr(read_model.store, "rows_of", unread)
    for period in periods:
        for within in SCOPES:
            found = [
                r.fulfilment for r in reports.fulfilment(loaded, period, Grouping.UNIT, within)
            ]
            assert found == expected[(period, str(within))], (period, within)
    for period in (week, OCTOBER):
        for within in SCOPES:
            found = shown(dashboard.unit_totals(loaded, period, within))
            assert found == totals[(period, str(within))], (period, within)
    assert any(expected.values()) and any(totals.values())


def _exact(found: read_sums.Sums) -> list[tuple[Any, ...]]:
    """The sums with the hours as text: their written scale too."""
    return [(key, str(hours), earned, fair) for key, hours, earned, fair in found]


def _set_based(call: Any, *args: Any) -> read_sums.Sums:
    """The call's sums where the Python path would fail the test if it were taken."""

    def unread(*_: Any, **__: Any) -> None:
        raise AssertionError("the engine summed these exactly; no Python fallback")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read_sums, "FEW_SUMS", 0)  # the mini ledger's sums are few
        patch.setattr(read_sums, "day_totals_in_python", unread)
        patch.setattr(read_sums, "unit_totals_in_python", unread)
        found: read_sums.Sums = call(*args)
    return found


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, min_size=1, max_size=5),
    periods=st.lists(st.tuples(DAYS_HELD, DAYS_HELD), min_size=1, max_size=3),
)
def test_the_trend_and_the_units_summed_set_based_equal_the_python_sums(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    periods: list[tuple[dt.date, dt.date]],
) -> None:
    acted(loaded, actions)
    with loaded.connect() as connection:
        for first, last in periods:
            period = Period(min(first, last), max(first, last))
            months = (read_sums.month_of(period.start), read_sums.month_of(period.end))
            for within in SCOPES:
                seen = [u for u in ("Mine", "Mine/Section 1") if within_any(u, within or ["Mine"])]
                by_unit = (ancestors, lambda h, s=seen: [u for u in ancestors(h) if u in s])
                for keys in (None, *by_unit):
                    expected = read_sums.day_totals_in_python(connection, period, within, keys)
                    found = _set_based(read_sums.day_totals, connection, period, within, keys)
                    assert _exact(found) == _exact(expected), (period, within, keys)
                for keys in by_unit:
                    expected = read_sums.unit_totals_in_python(connection, months, within, keys)
                    found = _set_based(read_sums.unit_totals, connection, months, within, keys)
                    assert _exact(found) == _exact(expected), (months, within, keys)


def test_the_trend_and_the_units_are_summed_in_python_where_the_engine_cannot(
    loaded: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    week = Period(dt.date(1935, 8, 25), dt.date(1935, 9, 10))
    months = (dt.date(1935, 8, 1), dt.date(1935, 9, 1))
    with loaded.connect() as connection:
        by_day = read_sums.day_totals_in_python(connection, week, None)
        by_unit = read_sums.unit_totals_in_python(connection, months, None, ancestors)

        def inexact(*_: Any) -> None:
            raise NotMicro("as a value beyond the engine's integers would")

        monkeypatch.setattr(read_sums.trend, "totals", inexact)
        monkeypatch.setattr(read_sums, "FEW_SUMS", 0)
        assert by_day and _exact(read_sums.day_totals(connection, week, None)) == _exact(by_day)
        found = read_sums.unit_totals(connection, months, None, ancestors)
        assert by_unit and _exact(found) == _exact(by_unit)
