"""Through storage, on SQLite and PostgreSQL: the engine close equals the domain reference.

Each random ledger is written to a fresh database; the period is then computed by the engine
(frames read with the close's own connection) and by the reference path, and closed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine

from stakhanov.domain.exact import ExactHours
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.payslips import digest
from stakhanov.domain.periods import Period
from stakhanov.domain.work_orders import WorkOrder
from stakhanov.services import payroll
from stakhanov.services.payroll_engine import REFERENCE, Unsupported, computed_by, set_based
from stakhanov.services.scales import import_scales
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import PayStore
from stakhanov.store.records import (
    CREW,
    NORMS,
    OUTPUT,
    REJECTS,
    SHIFTS,
    TIME,
    WORK_ORDERS,
    WORKERS,
)
from tests.conftest import BACKENDS, _fresh_postgres
from tests.integration.helpers import write
from tests.paid_ledgers import PaidCase, paid_cases
from tests.unit.test_engine_close_work_orders import work_orders

pytestmark = pytest.mark.storage


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A factory of fresh migrated databases, one per hypothesis example."""
    if request.param == "sqlite":
        template = tmp_path / "template.db"
        upgrade(made := make_engine(f"sqlite:///{template}"))
        made.dispose()
        count = iter(range(10**6))

        @contextmanager
        def sqlite() -> Iterator[Engine]:
            path = tmp_path / f"example-{next(count)}.db"
            shutil.copy(template, path)
            engine = make_engine(f"sqlite:///{path}")
            yield engine
            engine.dispose()

        return sqlite
    name = request.getfixturevalue("pg_template")

    @contextmanager
    def postgres() -> Iterator[Engine]:
        urls = _fresh_postgres(name)
        engine = make_engine(next(urls))
        try:
            yield engine
        finally:
            engine.dispose()
            urls.close()

    return postgres


def store(engine: Engine, case: PaidCase, folder: Path, orders: Sequence[WorkOrder] = ()) -> None:
    ledger = case.ledger
    with engine.begin() as connection:
        ledger_store = LedgerStore(connection)
        batch = ledger_store.new_batch("import", "property", "test", None)
        units = [w.unit for w in ledger.workers.values()]
        ledger_store.ensure_units(
            units + [s.workplace for s in ledger.shifts.values()] + [o.unit for o in orders]
        )
        for kind, records in (
            (WORKERS, list(ledger.workers.values())),
            (NORMS, list(ledger.norms.norms)),
            (SHIFTS, list(ledger.shifts.values())),
            (OUTPUT, list(ledger.outputs.values())),
            (CREW, list(ledger.crew)),
            (TIME, list(ledger.time)),
            (REJECTS, list(ledger.faults)),
            (WORK_ORDERS, list(orders)),
        ):
            ledger_store.append(kind, batch, records)
    paths = [write(folder, f"scale{i}.toml", text) for i, text in enumerate(case.texts)]
    import_scales(engine, paths)


def holds_thirds(case: PaidCase) -> bool:
    """Whether a crew row of the period has hours no decimal holds (the engine steps aside)."""
    shifts = case.ledger.shifts
    return any(
        isinstance(e.hours, ExactHours) and shifts[e.shift_id].date in case.period
        for e in case.ledger.crew
    )


def bonuses_of(case: PaidCase):  # type: ignore[no-untyped-def]
    def source(_: Connection, period: Period) -> list[ExternalBonus]:
        return [b for b in case.bonuses if b.date in period]

    return source


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(paid_cases(known_workers=True))
def test_engine_close_equals_the_reference_through_storage(
    fresh, tmp_path_factory: pytest.TempPathFactory, case: PaidCase
) -> None:  # type: ignore[no-untyped-def]
    closes_as_the_reference(fresh, tmp_path_factory, case)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(paid_cases(known_workers=True, whole=True))
def test_work_taken_whole_closes_as_the_reference_through_storage(
    fresh, tmp_path_factory: pytest.TempPathFactory, case: PaidCase
) -> None:  # type: ignore[no-untyped-def]
    """Scales of the benchmark's kind: their piece work is taken whole from the SQL lines."""
    closes_as_the_reference(fresh, tmp_path_factory, case)


def closes_as_the_reference(
    fresh, tmp_path_factory: pytest.TempPathFactory, case: PaidCase
) -> None:  # type: ignore[no-untyped-def]
    sources = (bonuses_of(case),)
    with fresh() as engine:
        store(engine, case, tmp_path_factory.mktemp("scales"))
        with engine.connect() as connection:
            ours = payroll.compute(connection, case.period, sources)
            with computed_by(REFERENCE):
                reference = payroll.compute(connection, case.period, sources)
        assert ours.slips == reference.slips
        assert ours.problems == reference.problems
        for slip in reference.slips[:3]:  # one worker's slip, read from his shifts alone
            with engine.connect() as connection:
                alone = payroll.compute(connection, case.period, sources, [slip.worker_id])
            assert alone.slips == (slip,)
        with engine.connect() as connection:  # and it was the engine that computed them
            book = payroll.scale_book(PayStore(connection))
            bonuses = payroll.external_bonuses(connection, case.period, sources)
            direct = set_based(connection, case.period, book, bonuses, {})
        # ... unless a crew row holds thirds of an hour: then the reference computed them alike
        assert (direct is None) == holds_thirds(case)
        assert direct is None or direct.slips == reference.slips
        if reference.problems:
            return
        for size in (1, 2):  # read a worker or two at a time, as a large period is read
            with engine.connect() as connection:
                found = payroll.parts(connection, case.period, sources, read_workers=size)
                try:
                    parted = tuple(s for part in found for s in part.slips)
                except Unsupported:  # found in a later read: the close takes the reference
                    assert holds_thirds(case)
                    continue
            assert parted == reference.slips
        report = payroll.close(engine, case.period, sources=sources)
        assert report.digest == digest(reference.slips)
        assert payroll.slips(engine, case.period).slips == list(reference.slips)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_work_orders_leave_the_engine_close_as_the_reference(
    fresh, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:  # type: ignore[no-untyped-def]
    """A period with work orders is computed by the engine, without the work they cover."""
    case = data.draw(paid_cases(known_workers=True))
    orders = data.draw(work_orders(case))
    sources = (bonuses_of(case),)  # the funds' shares are another source: not paid here
    with fresh() as engine:
        store(engine, case, tmp_path_factory.mktemp("scales"), orders)
        with engine.connect() as connection:
            book = payroll.scale_book(PayStore(connection))
            bonuses = payroll.external_bonuses(connection, case.period, sources)
            direct = set_based(connection, case.period, book, bonuses, {})
            with computed_by(REFERENCE):
                reference = payroll.compute(connection, case.period, sources)
        if direct is None:  # thirds of an hour in the period (or covered work): the reference
            assert holds_thirds(case)
            return
        assert direct.slips == reference.slips
        assert direct.problems == reference.problems
