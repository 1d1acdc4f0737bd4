"""Ordinary work tallied set-based equals the domain's tally_by(ordinary_work(...)) on random
ledgers: rejects (a zero quantity too), incidents on a shift or a day, doubtful results."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov.domain.fulfilment import results
from stakhanov.domain.honour import (
    HonourRules,
    ranked_tallies,
    ranked_work,
    team_board,
    team_entries,
    worker_board,
    worker_entries,
)
from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.performance import Tally, merged, ordinary_work, rejected_hours_of, tally_by
from stakhanov.domain.periods import Period
from stakhanov.engine import Unsupported, ordinary
from stakhanov.services.ordinary import by_operation
from stakhanov.services.parsing import parse_hours_text
from stakhanov.services.read_model import _row
from tests.ledgers import DAY, START, WORKERS, ledgers, one_shift

REJECTED = st.sampled_from([None, None, "0", "1", "2.5", "0.125", "40"])


THRESHOLDS = (Fraction(0), Fraction(100), Fraction(250, 3), Fraction(110), Fraction(1000))


def plain(tally: Tally) -> dict[str, Any]:
    """A tally's numbers, its results' percentages as the multiset share_at_least reads."""
    found = dataclasses.asdict(tally)
    found["shift_percents"] = sorted(tally.shift_percents)
    found["hours"] = str(tally.hours)  # written alike: the sum keeps its terms' longest scale
    return found


def counted(tally: Tally, asked: Any) -> dict[str, Any]:
    """A tally's numbers with its distinct shifts and the share of its results reaching each
    threshold asked, not their lists: how a tally that lists them and one that counts compare."""
    found = plain(tally)
    del found["shift_percents"], found["reached"], found["shift_ids"], found["shift_count"]
    found["shifts"] = tally.shifts
    found["shares"] = [tally.share_at_least(t) for t in asked]
    return found


def frame(ledger: Ledger, start: dt.date, end: dt.date) -> pa.Table:
    """The period's normed results of standard shifts as read_model.ordinary_frame reads
    their stored rows: text."""
    homes = {w.worker_id: w.unit for w in ledger.workers.values()}
    rows = [
        _row(r, homes.get(r.worker_id, "(unknown)"))
        for r in results(ledger, start, end)
        if r.earned is not None and not r.prepared
    ]
    names = ["shift_id", "date", "worker_id", "home", "operation", "hours", "output", "unit"]
    names += [f"{n}_{p}" for n in ("norm_output", "earned", "fair") for p in ("num", "den")]
    columns: dict[str, Any] = {"entry_id": pa.array(range(len(rows)), pa.int64())}
    for name in [*names, "assisted", "pooled", "prepared"]:
        values = [row[name] for row in rows]
        if name in ("assisted", "pooled", "prepared"):
            values = ["true" if v else "false" for v in values]
        columns[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.table(columns)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Ledger, Period, list[Incident], frozenset[Any]]:
    ledger, start, end = draw(ledgers(exact_hours=False))
    outputs = []
    for output in ledger.outputs.values():
        rejected = draw(REJECTED)
        quantity = Decimal(0) if draw(st.integers(0, 5)) == 0 else output.quantity
        outputs.append(
            MeasuredOutput(
                output.shift_id,
                output.operation,
                quantity,
                output.unit,
                None if rejected is None else Decimal(rejected),
            )
        )
    ledger = dataclasses.replace(
        Ledger.of(
            ledger.workers.values(), ledger.norms, ledger.shifts.values(), outputs, ledger.crew
        )
    )
    shifts = sorted(ledger.shifts)
    incidents = [
        Incident(
            f"I{i}",
            START + dt.timedelta(days=draw(st.integers(0, 6))),
            draw(st.sampled_from([None, *shifts])),
            tuple(draw(st.lists(st.sampled_from(WORKERS), min_size=1, max_size=2, unique=True))),
            "minor",
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    keys = sorted({(r.shift_id, r.operation, r.worker_id) for r in results(ledger, start, end)})
    doubtful = frozenset(draw(st.lists(st.sampled_from(keys), max_size=3)) if keys else [])
    return ledger, Period(start, end), incidents, doubtful


def set_based(
    ledger: Ledger,
    period: Period,
    incidents: list[Incident],
    doubtful: frozenset[Any],
    thresholds: Any = None,
    per_worker: bool = False,
) -> dict[tuple[str, str], Tally]:
    checked = [o for o in ledger.outputs.values() if o.rejected is not None]
    empty = {(o.shift_id, o.operation) for o in checked if not o.quantity and o.rejected}
    zero = {
        (r.shift_id, r.operation, r.worker_id): rejected_hours_of(ledger, r)
        for r in results(ledger, period.start, period.end)
        if (r.shift_id, r.operation) in empty and r.earned is not None
    }
    rows = frame(ledger, period.start, period.end)
    return ordinary.tallies(rows, checked, doubtful, incidents, zero, thresholds, per_worker)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_set_based_tallies_equal_the_domain(
    case: tuple[Ledger, Period, list[Incident], frozenset[Any]],
) -> None:
    ledger, period, incidents, doubtful = case
    works = ordinary_work(ledger, period, incidents, doubtful)
    expected = by_operation(works)
    got = set_based(ledger, period, incidents, doubtful)
    assert {k: plain(t) for k, t in got.items()} == {k: plain(t) for k, t in expected.items()}
    # Merged per worker, they are the worker's tally of all his work, every number equal.
    per_worker = tally_by(works, lambda w: w.worker_id)
    for worker_id, tally in per_worker.items():
        mine = merged(t for (w, _), t in got.items() if w == worker_id)
        assert plain(mine) == plain(tally)
        for percent in (Fraction(0), Fraction(100), Fraction(250, 3)):
            assert mine.share_at_least(percent) == tally.share_at_least(percent)
        assert mine.reject_share == tally.reject_share
        assert mine.quality_adjusted_percent == tally.quality_adjusted_percent
        assert mine.safety_gated_percent == tally.safety_gated_percent


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.lists(st.sampled_from(THRESHOLDS), unique=True))
def test_counted_thresholds_equal_the_listed_percentages(
    case: tuple[Ledger, Period, list[Incident], frozenset[Any]], asked: list[Fraction]
) -> None:
    """Tallies that count the results reaching each threshold (what titles ask) hold no
    result's percentage, and give every share_at_least asked as the domain's list does, per
    worker and operation and merged per worker; a threshold not counted is refused."""
    ledger, period, incidents, doubtful = case
    works = ordinary_work(ledger, period, incidents, doubtful)
    got = set_based(ledger, period, incidents, doubtful, frozenset(asked))
    expected = by_operation(works)
    assert set(got) == set(expected)
    for key, tally in got.items():
        assert tally.shift_percents == []
        assert tally.results == len(expected[key].shift_percents)
        for percent in asked:
            assert tally.share_at_least(percent) == expected[key].share_at_least(percent)
    for worker_id, tally in tally_by(works, lambda w: w.worker_id).items():
        mine = merged(t for (w, _), t in got.items() if w == worker_id)
        assert mine.results == tally.results == len(tally.shift_percents)
        assert {p: mine.share_at_least(p) for p in asked} == {
            p: tally.share_at_least(p) for p in asked
        }
        missing = [t for t in THRESHOLDS if t not in asked]
        if missing and mine.results:
            with pytest.raises(ValueError):
                mine.share_at_least(missing[0])
    # One tally per worker (what titles ask): every number of the worker's merged tally, his
    # distinct shifts counted, not listed; such tallies are never merged with another.
    whole = set_based(ledger, period, incidents, doubtful, frozenset(asked), per_worker=True)
    per_worker = tally_by(works, lambda w: w.worker_id)
    assert set(whole) == {(w, "") for w in per_worker}
    for (worker_id, _), tally in whole.items():
        assert tally.shift_ids == set()
        assert counted(tally, asked) == counted(per_worker[worker_id], asked)
        assert counted(merged([tally, Tally()]), asked) == counted(tally, asked)
        if len(whole) > 1:
            with pytest.raises(ValueError):
                merged(whole.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.booleans(), st.integers(1, 3), st.booleans())
def test_boards_of_tallies_equal_boards_of_work(
    case: tuple[Ledger, Period, list[Incident], frozenset[Any]],
    masked: bool,
    least: int,
    trade_rules: bool,
) -> None:
    ledger, period, incidents, doubtful = case
    works = ordinary_work(ledger, period, incidents, doubtful)
    got = set_based(ledger, period, incidents, doubtful)
    homes = {w.worker_id: w.unit for w in ledger.workers.values()}
    names = {w.worker_id: "Same Name" for w in ledger.workers.values()}  # ties on masked names
    trades = dict.fromkeys(homes, "hewer")
    rules = HonourRules(least, {"hewer": frozenset({"hewing"})} if trade_rules else {})
    hidden = {WORKERS[0]}
    expected = worker_board(ranked_work(works, rules, trades), names, homes, hidden, masked, least)
    ranked = ranked_tallies(got, rules, trades)
    shown = {w: t for w, t in ranked.items() if w not in hidden}
    assert worker_entries(shown, names, homes, masked, least) == expected
    teams: dict[str, list[Tally]] = {}
    for (worker_id, _), tally in got.items():
        if worker_id in homes:
            teams.setdefault(homes[worker_id], []).append(tally)
    merged_teams = {team: merged(t) for team, t in teams.items()}
    assert team_entries(merged_teams, least) == team_board(works, homes.get, least)


def test_hours_no_micro_unit_holds_are_left_to_the_reference() -> None:
    """A third of an hour is exact only as a fraction: the engine refuses, the service then
    tallies by the domain (services.ordinary.tallies)."""
    ledger, start, end = one_third()
    with pytest.raises(Unsupported):
        ordinary.tallies(frame(ledger, start, end), [])


def one_third() -> tuple[Ledger, dt.date, dt.date]:
    twenty_minutes = parse_hours_text("20min", "hours")
    return one_shift("7", CrewEntry("S1", "W1", "hewing", twenty_minutes, None, None)), DAY, DAY
