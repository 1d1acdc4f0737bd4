"""Whom an open period pays: from the worker month sums where the runs are whole months, the
same workers as from the month's crew rows (which answer runs of part of a month)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from stakhanov.domain.slip_lists import Paying
from stakhanov.store import slip_pages
from stakhanov.store.records import WORKERS
from tests.integration.helpers import mini_loaded

pytestmark = pytest.mark.storage

SEPTEMBER = (dt.date(1935, 9, 1), dt.date(1935, 9, 30))


def _paid(engine: Engine, runs: list[Paying]) -> set[str]:
    worker = WORKERS.table.c.worker_id
    with engine.connect() as connection:
        found = select(worker).where(slip_pages._worked(runs, worker))
        return set(connection.scalars(found))


@pytest.mark.parametrize("operations", [None, frozenset({"hewing"}), frozenset({"nothing"})])
def test_whole_months_pay_the_workers_their_crew_rows_name(
    engine: Engine, tmp_path: Path, operations: frozenset[str] | None
) -> None:
    mini_loaded(engine, tmp_path)
    first, last = SEPTEMBER
    middle = dt.date(1935, 9, 15)
    whole = _paid(engine, [Paying(first, last, operations)])  # the month sums
    after = middle + dt.timedelta(days=1)
    halves = _paid(  # runs of part of the month: the crew rows
        engine, [Paying(first, middle, operations), Paying(after, last, operations)]
    )
    assert whole == halves
    assert bool(whole) == (operations != frozenset({"nothing"}))
    late = _paid(engine, [Paying(dt.date(1935, 9, 29), last, operations)])
    assert late <= whole
