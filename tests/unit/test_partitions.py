"""A close computed in parts gives every slip of the whole close, once (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.partitions import part_ledger, parts_of
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.payslips import canonical
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.shifts import Shift
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from stakhanov.domain.workers import Worker
from tests.ledgers import crew
from tests.pay import AUGUST
from tests.unit.test_pay_properties import norms, scales

D = Decimal
PEOPLE = "ABCDEFGH"


@st.composite
def mines(draw: st.DrawFn) -> Ledger:
    """Several shifts whose crews overlap in random ways, some paid time of its own."""
    shifts, outputs, entries, time = [], [], [], []
    for number in range(draw(st.integers(1, 10))):
        shift_id = f"S{number:02d}"
        day = dt.date(1935, 8, draw(st.integers(1, 31)))
        hours = draw(st.decimals(D(1), D(8), places=1))
        shifts.append(Shift(shift_id, day, hours, "Mine/S1/B1"))
        outputs.append(MeasuredOutput(shift_id, "hewing", draw(st.decimals(0, 60, places=1)), "t"))
        hewers = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True))
        entries += [crew(h, hours=str(hours), shift_id=shift_id) for h in hewers]
        if draw(st.booleans()):
            others = [w for w in PEOPLE if w not in hewers]
            helper = draw(st.sampled_from(others))
            entries.append(crew(helper, "timbering", str(hours), shift_id=shift_id))
    for person in draw(st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True)):
        day = dt.date(1935, 8, draw(st.integers(1, 31)))
        time.append(TimeEntry(person, day, TimeKind.IDLE, "hewing", D(2)))
    return Ledger.of(
        workers=[Worker(w, f"W {w}", "Mine/S1/B1", grade="5") for w in PEOPLE],
        norms=[draw(norms())],
        shifts=shifts,
        outputs=outputs,
        crew=entries,
        time=time,
    )


@given(mines(), scales(), st.integers(1, 6))
@settings(max_examples=80, deadline=None)
def test_parts_pay_every_worker_once_as_the_whole_close_does(
    ledger: Ledger, scale: PayScale, count: int
) -> None:
    book = ScaleBook.of([scale])
    whole = compute_payroll(ledger, AUGUST, book)
    paid = {e.worker_id for e in ledger.crew} | {t.worker_id for t in ledger.time}
    parts = parts_of(ledger, paid, count)
    assert 1 <= len(parts) <= count
    owners = [w for p in parts for w in p.workers]
    assert sorted(owners) == sorted(paid)  # each worker in exactly one part
    slips, problems = [], set()
    for part in parts:
        own = {e.shift_id for e in ledger.crew if e.worker_id in part.workers}
        assert own <= part.shift_ids  # every shift of its workers, with its whole crew
        computed = compute_payroll(part_ledger(ledger, part), AUGUST, book)
        slips += [s for s in computed.slips if s.worker_id in part.workers]
        problems |= {str(p) for p in computed.problems}
    assert canonical(slips) == canonical(whole.slips)
    assert problems == {str(p) for p in whole.problems}


def test_co_workers_stay_in_one_part_while_it_is_small() -> None:
    day = dt.date(1935, 8, 1)
    ledger = Ledger.of(
        workers=[Worker(w, w, "Mine/S1/B1", grade="5") for w in "ABCD"],
        shifts=[Shift(s, day, D(6), "Mine/S1/B1") for s in ("S1", "S2")],
        outputs=[MeasuredOutput(s, "hewing", D(10), "t") for s in ("S1", "S2")],
        crew=[crew(w, shift_id="S1") for w in "AB"] + [crew(w, shift_id="S2") for w in "CD"],
    )
    parts = parts_of(ledger, "ABCD", 2)
    assert sorted(sorted(p.workers) for p in parts) == [["A", "B"], ["C", "D"]]
    assert all(len(p.shift_ids) == 1 for p in parts)
    one = parts_of(ledger, "ABCD", 1)
    assert len(one) == 1 and one[0].shift_ids == {"S1", "S2"}
