"""Set-based piece pay equals the domain payroll's piece and per-shift tier lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from stakhanov.engine.frames import frames_of
from stakhanov.engine.pay import piece_pay
from stakhanov.engine.session import session
from tests.ledgers import ledgers, stakhanov_shift
from tests.pay import graded as with_grade
from tests.pay import scale

TIERED = ("piece", "tier-")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ledgers(),
    st.sampled_from(["stated", "fair", "auto"]),
    st.lists(st.sampled_from(["4", "5", "9"]), min_size=6, max_size=6),
)
def test_piece_and_tier_amounts_equal_the_domain_payroll(
    case: tuple[Ledger, dt.date, dt.date], percent: str, grades: list[str]
) -> None:
    ledger, start, end = case
    graded = Ledger.of(
        workers=[
            replace(w, grade=grades[i % len(grades)])
            for i, w in enumerate(sorted(ledger.workers.values(), key=lambda w: w.worker_id))
        ],
        norms=ledger.norms,
        shifts=ledger.shifts.values(),
        outputs=ledger.outputs.values(),
        crew=ledger.crew,
    )
    book = ScaleBook.of([scale(percent=percent)])
    payroll = compute_payroll(graded, Period(start, end), book)
    expected = {
        (slip.worker_id, line.key): line.amount
        for slip in payroll.slips
        for line in slip.lines
        if line.code.startswith(TIERED)
    }
    frames = frames_of(graded, start, end)
    with session(frames) as db:
        found = piece_pay(db, frames, book)
    ours: dict[tuple[str, str], Decimal] = {}
    for pay in found:
        where = f"{pay.shift_id}:{pay.operation}"
        ours[(pay.worker_id, f"piece:{where}")] = pay.piece
        for code, amount in pay.tiers:
            ours[(pay.worker_id, f"{code}:{where}")] = amount
    assert ours == expected


def test_the_engine_leaves_other_plan_kinds_and_rate_cards_to_the_domain() -> None:
    # A scale with a rate card (or of another plan kind, tests/unit/test_pay_plans.py) is not
    # engine-computable: the engine pays none of its results, the domain path pays them all.
    ledger = with_grade(stakhanov_shift())
    carded = scale(
        '[[rates]]\noperation = "hewing"\nrate = "0.76"\nper = "t"\nfrom = "1935-01-01"\n'
    )
    assert scale().engine_computable and not carded.engine_computable
    day = dt.date(1935, 8, 31)
    frames = frames_of(ledger, day, day)
    with session(frames) as db:
        assert piece_pay(db, frames, ScaleBook.of([carded])) == []
    with session(frames) as db:
        assert piece_pay(db, frames, ScaleBook.of([scale()]))  # the marginal scale is paid
    payroll = compute_payroll(ledger, Period(day, day), ScaleBook.of([carded]))
    slip = payroll.slip("AS")
    assert slip is not None and slip.lines[0].amount == Decimal("77.52")  # 102 t x 0.76
