"""The read model kept by every write equals the one rebuilt from the ledger, on both databases."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from stakhanov.domain.access import within_any
from stakhanov.domain.errors import Refused
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function
from stakhanov.domain.periods import Period
from stakhanov.domain.units import ancestors
from stakhanov.services import dashboard, read_model, reports
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.corrections import void_shift
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.read_model_tables import read_results
from tests.commands import ok
from tests.integration.helpers import mini_loaded, write

pytestmark = pytest.mark.storage

PERIOD = Period(dt.date(1935, 1, 1), dt.date(1935, 12, 31))
WORKERS = st.sampled_from(["H1", "H2", "H3", "T1", "T2", "P1"])
UNITS = st.sampled_from(["Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2", "Mine"])


def writes(hours: list[str], quantities: list[str], norms: bool = True) -> Any:
    """Random writes: shifts (form or bulk) of crews with these hours and quantities, voids,
    corrections, norm versions (unless not asked) and moves of workers between units."""
    quantity = st.sampled_from(quantities)
    crew = st.lists(
        st.tuples(
            WORKERS, st.sampled_from(["hewing", "timbering", "assist"]), st.sampled_from(hours)
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda c: (c[0], c[1]),
    )
    norm = st.tuples(st.just("norm"), st.integers(1, 28), st.sampled_from(["7", "8", "9.5"]))
    return st.one_of(
        st.tuples(st.just("shift"), st.integers(1, 28), crew, quantity, st.booleans()),
        st.tuples(st.just("void"), st.integers(0, 6)),
        st.tuples(st.just("correct"), st.integers(0, 6), quantity),
        *([norm] if norms else []),
        st.tuples(st.just("move"), WORKERS, UNITS),
    )


ACTIONS = writes(["6", "4.5", "2", "7.25"], ["10", "31", "25.5", "7000"])
_numbers = itertools.count()


def rows(engine: Engine) -> list[tuple[Any, ...]]:
    columns = [c for c in read_results.c if c.name != "row_id"]
    with engine.connect() as connection:
        found = connection.execute(select(*columns)).all()
    return sorted((tuple(str(v) for v in r) for r in found), key=str)


def _import(engine: Engine, files: dict[str, str], bulk: bool = False, **options: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            write(folder, name, text)
        try:
            if bulk:
                import_directory(engine, folder, **options)
            else:
                import_batch(engine, read_source(folder, set(FORMATS)), **options)
        except (ImportRejected, Refused):
            pass  # a refused write writes nothing: the property must hold all the same


def acted(engine: Engine, actions: list[Any]) -> list[str]:
    """The random writes done in order; the shifts they wrote."""
    shifts: list[str] = []
    for action in actions:
        act(engine, action, shifts)
    return shifts


def act(engine: Engine, action: tuple[Any, ...], shifts: list[str]) -> None:
    kind = action[0]
    if kind == "shift":
        _, day, crew, quantity, bulk = action
        shift_id = f"R{next(_numbers)}"
        shifts.append(shift_id)
        date = f"1935-10-{day:02d}"
        _import(
            engine,
            {
                "shifts.csv": "shift_id,date,hours,workplace,conditions,note\n"
                f"{shift_id},{date},6,Mine/Section 1/Brigade 1,standard,\n",
                "output.csv": f"shift_id,operation,quantity,unit,rejected\n"
                f"{shift_id},hewing,{quantity},t,\n",
                "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient\n"
                + "".join(f"{shift_id},{w},{op},{h},,\n" for w, op, h in crew),
            },
            bulk=bulk,
        )
    elif kind == "void" and shifts:
        with contextlib.suppress(Refused):  # already void
            void_shift(engine, shifts[action[1] % len(shifts)], "entered by mistake")
    elif kind == "correct" and shifts:
        shift_id = shifts[action[1] % len(shifts)]
        _import(
            engine,
            {
                "output.csv": f"shift_id,operation,quantity,unit,rejected\n"
                f"{shift_id},hewing,{action[2]},t,\n"
            },
            correct=True,
            reason="reweighed",
        )
    elif kind == "norm":
        _, day, norm = action
        _import(
            engine,
            {
                "norms.csv": "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,"
                f"method,source\nhewing,t,output,{norm},6,timbering,40,1935-10-{day:02d},decree,t\n"
            },
            correct=True,
            reason="revised",
        )
    elif kind == "move":
        _, worker, unit = action
        _import(
            engine,
            {
                "workers.csv": "worker_id,name,unit,trade,grade\n"
                f"{worker},Moved {worker},{unit},hewer,5\n"
            },
            correct=True,
            reason="transferred",
        )


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    return mini_loaded(engine, tmp_path)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_incremental_read_model_equals_a_rebuild(loaded: Engine, actions: list[Any]) -> None:
    acted(loaded, actions)
    kept = rows(loaded)
    read_model.rebuild(loaded)
    assert kept == rows(loaded)
    # And it holds the domain's results: the reports read from it are the reference's.
    ledger = reports.ledger_for(loaded, PERIOD)
    stored = read_model.stored_results(loaded, PERIOD)
    assert sorted(stored, key=repr) == sorted(reports.results_within(ledger, PERIOD), key=repr)
    # Row for row, the text the engine wrote is the domain's results as stored.
    home_of = reports.home_unit_of(ledger)
    names = [c.name for c in read_results.c if c.name != "row_id"]
    python = [
        read_model._row(r, home_of(r.worker_id)) for r in reports.results_within(ledger, PERIOD)
    ]
    assert kept == sorted((tuple(str(r[n]) for n in names) for r in python), key=str)
    for grouping in (Grouping.WORKER, Grouping.UNIT):
        keys = key_function(grouping, reports.home_unit_of(ledger))
        assert aggregate(stored, keys) == aggregate(reports.results_within(ledger, PERIOD), keys)
    # The pages' daily and per-unit sums, set-based over the stored rows, are the domain's.
    home = reports.home_unit_of(ledger)
    for subtrees in (None, ["Mine/Section 1/Brigade 1"]):
        found = reports.results_within(ledger, PERIOD, subtrees)
        by_day = dashboard.totals(found, lambda r: [r.date])
        assert shown(dashboard.trend(loaded, PERIOD, subtrees)) == shown(by_day)
        by_unit = dashboard.totals(
            found,
            lambda r, s=subtrees: [u for u in ancestors(home(r.worker_id)) if within_any(u, s)],
        )
        assert shown(dashboard.unit_totals(loaded, PERIOD, subtrees)) == shown(by_unit)


def shown(found: list[dashboard.Total]) -> list[tuple[Any, ...]]:
    return [(t.key, str(t.hours), t.percent, t.fair_percent) for t in found]


def test_a_void_removes_the_shift_s_rows_and_a_correction_replaces_them(loaded: Engine) -> None:
    before = read_model.stored_results(loaded, PERIOD)
    assert {r.shift_id for r in before} == {"S1", "S2", "S3", "S4", "S5"}
    void_shift(loaded, "S5", "entered by mistake")
    assert {r.shift_id for r in read_model.stored_results(loaded, PERIOD)} == {
        "S1",
        "S2",
        "S3",
        "S4",
    }
    _import(
        loaded,
        {"output.csv": "shift_id,operation,quantity,unit,rejected\nS2,hewing,16000,kg,500\n"},
        correct=True,
        reason="reweighed",
    )
    s2 = [r for r in read_model.stored_results(loaded, PERIOD) if r.shift_id == "S2"]
    assert sum(r.output for r in s2) == 16  # tonnes: the corrected output, conserved
    one = read_model.stored_results(loaded, PERIOD, ["Mine/Section 1/Brigade 2"])
    assert {r.worker_id for r in one} == {"H3"}
    assert {r.worker_id for r in read_model.stored_results(loaded, PERIOD, worker_id="H1")} == {
        "H1"
    }


def test_the_rebuild_command_restores_a_lost_read_model(loaded: Engine, db_url: str) -> None:
    kept = rows(loaded)
    with loaded.begin() as connection:
        connection.execute(read_results.delete())
    assert read_model.rebuild_if_stale(loaded)
    assert rows(loaded) == kept
    assert ok(db_url, "rebuild-read-model") == {"rows": len(kept)}
    assert rows(loaded) == kept
    assert not read_model.rebuild_if_stale(loaded)  # filled: nothing to do
