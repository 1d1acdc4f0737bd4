"""The ratchet simulation: seeded, and showing why after-record raises backfire."""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.sim.ratchet import Model, RevisionPolicy, choose, compare, pay

D = Decimal


def test_progressive_pay_by_hand() -> None:
    assert pay(D(1), D(1), D(100)) == 100
    assert pay(D("1.2"), D(1), D(100)) == 130  # 100 + 1.5 x 20
    assert pay(D("0.8"), D(1), D(100)) == 80


def test_an_anticipating_worker_stays_below_the_record_line() -> None:
    free = choose(D(2), D(1), D(100), anticipates_ratchet=False, months_left=12)
    held = choose(D(2), D(1), D(100), anticipates_ratchet=True, months_left=12)
    assert free >= D("1.5") > held


def test_seeded_runs_repeat_and_governed_revisions_hide_less() -> None:
    model = Model(seed=7, workers=12, months=14, change_month=4)
    first, second = compare(model), compare(model)
    assert first == second
    after = first[RevisionPolicy.AFTER_RECORD]
    governed = first[RevisionPolicy.GOVERNED]
    assert after[-1].norm > after[0].norm  # records raised the norm
    assert governed[-1].hidden < after[-1].hidden
    assert sum(m.output for m in governed) > sum(m.output for m in after)
    # Governed raises follow the new equipment in steps within the 10% cap.
    norms = sorted({m.norm for m in governed})
    assert norms[0] == 1 and all(b / a <= D("1.1") for a, b in itertools.pairwise(norms))
    assert norms[-1] == D("1.15")


def test_equipment_arrives_in_the_numbered_month_and_raises_follow_the_notice() -> None:
    """Equipment in month 4; 60 days' notice: 10% from month 6; 180 days later, 15% from 12."""
    model = Model(seed=3, workers=8, months=14, change_month=4)
    governed = compare(model)[RevisionPolicy.GOVERNED]
    assert governed[2].capacity == governed[0].capacity < governed[3].capacity
    assert [m.norm for m in governed] == [D(1)] * 5 + [D("1.1")] * 6 + [D("1.15")] * 3
    never = compare(Model(seed=3, workers=8, months=6, change_month=0))[RevisionPolicy.GOVERNED]
    assert {m.norm for m in never} == {D(1)}


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), workers=st.integers(4, 10))
def test_the_policies_differ_only_by_the_anticipating_workers(seed: int, workers: int) -> None:
    """Enthusiasts do not weigh the policy: in the first month (same norm under both) nobody
    produces more under after-record raises, and a workforce of enthusiasts works the same."""
    for share in (D("0.1"), D("0.5"), D(1)):
        model = Model(seed=seed, workers=workers, months=2, change_month=0, enthusiasts=share)
        runs = compare(model)
        after, governed = runs[RevisionPolicy.AFTER_RECORD], runs[RevisionPolicy.GOVERNED]
        assert after[0].norm == governed[0].norm == 1
        assert after[0].output <= governed[0].output
        if share == 1:
            assert after[0] == dataclasses.replace(governed[0], policy=after[0].policy)
