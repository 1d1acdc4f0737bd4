"""Honour boards and title facts from the stored results (set-based) equal the domain's
reference path over the ledger, after random writes: rejects, prepared shifts, incidents,
implausible figures explained or upheld, transfers."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.errors import Refused
from stakhanov.domain.mentoring import Progress
from stakhanov.domain.periods import Period
from stakhanov.domain.scopes import Scope
from stakhanov.domain.titles import thresholds
from stakhanov.services import honour, mentoring, ordinary, reviews, titles
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store import read_model
from tests.integration.helpers import mini_loaded, write

pytestmark = pytest.mark.storage

PERIOD = Period(dt.date(1935, 9, 1), dt.date(1935, 10, 31))
WORKERS = st.sampled_from(["H1", "H2", "H3", "T1", "T2", "P1"])
UNITS = st.sampled_from(["Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2", "Mine"])
CREW = st.lists(
    st.tuples(
        WORKERS,
        st.sampled_from(["hewing", "timbering", "assist"]),
        st.sampled_from(["6", "4.5", "2"]),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda c: (c[0], c[1]),
)
ACTIONS = st.one_of(
    st.tuples(
        st.just("shift"),
        st.integers(1, 28),
        CREW,
        st.sampled_from(["0", "10", "25.5", "7000"]),
        st.sampled_from(["", "0", "2", "5.5"]),
        st.sampled_from(["standard", "prepared"]),
        UNITS,
    ),
    st.tuples(st.just("incident"), st.integers(1, 28), st.integers(-1, 6), WORKERS),
    st.tuples(st.just("review"), st.integers(0, 6), st.sampled_from(list(Decision))),
    st.tuples(st.just("move"), WORKERS, UNITS),
)
_numbers = itertools.count()


def _import(engine: Engine, files: dict[str, str], **options: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            write(folder, name, text)
        with contextlib.suppress(ImportRejected, Refused):
            import_batch(engine, read_source(folder, set(FORMATS)), **options)


def act(engine: Engine, action: tuple[Any, ...], shifts: list[str]) -> None:
    kind = action[0]
    if kind == "shift":
        _, day, crew, quantity, rejected, conditions, unit = action
        shift_id = f"O{next(_numbers)}"
        shifts.append(shift_id)
        _import(
            engine,
            {
                "shifts.csv": "shift_id,date,hours,workplace,conditions,note\n"
                f"{shift_id},1935-10-{day:02d},6,{unit},{conditions},\n",
                "output.csv": "shift_id,operation,quantity,unit,rejected\n"
                f"{shift_id},hewing,{quantity},t,{rejected}\n",
                "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient\n"
                + "".join(f"{shift_id},{w},{op},{h},,\n" for w, op, h in crew),
            },
        )
    elif kind == "incident":
        _, day, index, worker = action
        on = shifts[index % len(shifts)] if shifts and index >= 0 else ""
        date = f"1935-10-{day:02d}"
        _import(
            engine,
            {
                "incidents.csv": "incident_id,date,shift_id,worker_ids,severity,description\n"
                f"I{next(_numbers)},{date},{on},{worker},minor,slipped\n"
            },
        )
    elif kind == "review" and shifts:
        _, index, decision = action
        with contextlib.suppress(Refused):
            reviews.review(
                engine,
                FindingKind.IMPLAUSIBLE,
                shifts[index % len(shifts)],
                "hewing",
                decision,
                "checked on site",
                "auditor",
            )
    elif kind == "move":
        _, worker, unit = action
        _import(
            engine,
            {"workers.csv": f"worker_id,name,unit,trade,grade\n{worker},Moved,{unit},hewer,5\n"},
            correct=True,
            reason="transferred",
        )


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    return mini_loaded(engine, tmp_path)


def plain_facts(found: list[titles.Facts], asked: frozenset[Fraction]) -> list[dict[str, Any]]:
    """Facts with the share of results reaching each threshold the rules ask (share_at_least),
    where the reference lists every result's percentage and the stored path counts them."""
    rows = []
    for facts in found:
        row = dataclasses.asdict(facts)
        del row["tally"]["shift_percents"], row["tally"]["reached"]
        del row["tally"]["shift_ids"], row["tally"]["shift_count"]
        row["tally"]["shifts"] = facts.tally.shifts
        row["tally"]["shares"] = {p: facts.tally.share_at_least(p) for p in asked}
        row["tally"]["hours"] = str(facts.tally.hours)
        rows.append(row)
    return rows


def plain_progress(progress: Progress) -> dict[str, Any]:
    """A link's report and its apprentice's tallies, every number (no percentage listed)."""
    found = mentoring.progress_dict(progress)
    for side, tally in (("before", progress.before), ("after", progress.after)):
        numbers = dataclasses.asdict(tally)
        del numbers["shift_percents"], numbers["reached"], numbers["shift_ids"]
        del numbers["shift_count"]
        numbers["shifts"] = tally.shifts
        found[side] = numbers | {"hours": str(tally.hours)}
    return found


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(ACTIONS, min_size=2, max_size=8))
def test_boards_and_facts_equal_the_reference(loaded: Engine, actions: list[Any]) -> None:
    shifts: list[str] = []
    for action in actions:
        act(loaded, action, shifts)
    for unit in ("Mine", "Mine/Section 1/Brigade 1"):
        for options in (
            {"workers": True},
            {"workers": True, "masked": True, "min_shifts": 1, "operation": "hewing"},
            {"workers": False},
            {"workers": False, "min_shifts": 2, "operation": "timbering"},
            {"workers": False, "level": Scope.SECTION},
        ):
            got = honour.board(loaded, unit, PERIOD, **options)
            assert got == honour.board(loaded, unit, PERIOD, reference=True, **options)
    with loaded.connect() as connection:
        rulebook, got_facts = titles.facts(connection, PERIOD)
        _, expected = titles.facts(connection, PERIOD, reference=True)
        _, got_unit = titles.facts(connection, PERIOD, "Mine/Section 1")
        _, expected_unit = titles.facts(connection, PERIOD, "Mine/Section 1", reference=True)
    asked = thresholds(rulebook)
    assert asked  # the default rulebook asks share_at_least of some percentages
    assert all(f.tally.reached is not None for f in got_facts if f.tally.results)
    assert all(f.tally.shift_ids == set() for f in got_facts)  # counted, not listed
    assert plain_facts(got_facts, asked) == plain_facts(expected, asked)
    assert plain_facts(got_unit, asked) == plain_facts(expected_unit, asked)
    assert titles.evaluate(loaded, PERIOD) == titles.evaluate(loaded, PERIOD, reference=True)
    # Read and summed a few workers at a time, the tallies are the same.
    with loaded.connect() as connection:
        for unit, per_worker in ((None, False), ("Mine/Section 1", True)):
            whole = ordinary.tallies(
                connection, PERIOD, unit, (), (Fraction(100),), None, per_worker
            )
            with mock.patch.object(ordinary, "BATCH_ROWS", 3):
                batched = ordinary.tallies(
                    connection, PERIOD, unit, (), (Fraction(100),), None, per_worker
                )
            assert batched == whole
        batches = read_model.ordinary_batches(connection, PERIOD.start, PERIOD.end, None, 3)
        workers = {w for w, _ in whole}
        assert len(batches) > 1 or len(workers) <= 1
        assert all(first <= last for first, last in batches)
    # The apprentices' work before and under their masters, from their stored results alone.
    for master, apprentice, day in (("H1", "H2", 15), ("T1", "T2", 1), ("H1", "P1", 20)):
        start = dt.date(1935, 9 if day > 1 else 10, day)
        with contextlib.suppress(Refused):
            mentoring.link(loaded, master, apprentice, start, "chief")
    for as_of, before in ((PERIOD.end, 30), (dt.date(1935, 10, 10), 12)):
        got, masters = mentoring.report(loaded, as_of, before)
        expected_progress, expected_masters = mentoring.report(loaded, as_of, before, True)
        assert len(got) == 3
        assert [plain_progress(p) for p in got] == [plain_progress(p) for p in expected_progress]
        assert [mentoring.master_dict(m) for m in masters] == [
            mentoring.master_dict(m) for m in expected_masters
        ]
