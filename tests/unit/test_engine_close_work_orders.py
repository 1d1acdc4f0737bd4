"""The engine close leaves out the work that work orders pay, as the reference does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.payslips import digest
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.work_order_pay import covered_pairs, without
from stakhanov.domain.work_orders import SplitRule, WorkOrder
from stakhanov.engine.close import close_payroll
from stakhanov.engine.frames import frames_of, without_pairs
from tests.paid_ledgers import PaidCase, paid_cases
from tests.unit.test_engine_close import without_crew


@st.composite
def work_orders(draw: st.DrawFn, case: PaidCase) -> list[WorkOrder]:
    """One or two work orders over some of the case's shifts and operations."""
    ledger = case.ledger
    places = sorted({s.workplace for s in ledger.shifts.values()})
    units = places + sorted({p.rsplit("/", 1)[0] for p in places if "/" in p})
    operations = sorted(
        {e.operation for e in ledger.crew} | {o.operation for o in ledger.outputs.values()}
    )
    if not units or not operations:
        return []
    found = []
    for number in range(draw(st.integers(1, 2))):
        start = case.period.start + dt.timedelta(days=draw(st.integers(0, 2)))
        end = max(start, case.period.end - dt.timedelta(days=draw(st.integers(0, 2))))
        found.append(
            WorkOrder(
                f"N-{number}",
                draw(st.sampled_from(units)),
                start,
                end,
                tuple(draw(st.lists(st.sampled_from(operations), min_size=1, unique=True))),
                None,
                None,
                Decimal("100.00"),
                SplitRule.KTU,
                "RUB",
                Decimal("0.01"),
                None,
                None,
                None,
            )
        )
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_engine_leaves_out_covered_work_as_the_reference(data: st.DataObject) -> None:
    case = data.draw(paid_cases(exact_hours=False))
    orders = data.draw(work_orders(case))
    book = ScaleBook.of(case.scales)
    period = case.period
    reference = compute_payroll(without(case.ledger, orders), period, book, bonuses=case.bonuses)
    pairs = covered_pairs(orders, case.ledger.shifts.values())
    frames = without_pairs(frames_of(case.ledger, period.start, period.end), pairs)
    lookups = without(without_crew(case.ledger), orders)
    ours = close_payroll(frames, lookups, period, book, case.bonuses)
    assert ours.slips == reference.slips
    assert ours.problems == reference.problems
    assert digest(ours.slips) == digest(reference.slips)
