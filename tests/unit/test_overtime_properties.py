"""Properties of overtime, guarantees and paid-time rules, with random scales (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger
from stakhanov.domain.pay_rules import (
    Band,
    Guarantee,
    GuaranteeHours,
    GuaranteePer,
    GuaranteeRate,
    Overtime,
    OvertimeBase,
)
from stakhanov.domain.payslips import digest
from stakhanov.domain.scales import PayScale, RestPay, ScaleBook
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from stakhanov.domain.whatif import replay
from tests.unit.test_overtime import JUNE, MONDAY, pay, week

D = Decimal
quarters = st.integers(4, 56).map(lambda q: D(q) / 4)  # 1 to 14 hours
factors = st.sampled_from([D("1.25"), D("1.5"), D("2")])


@st.composite
def overtimes(draw: st.DrawFn) -> Overtime | None:
    if not draw(st.booleans()):
        return None
    week_hours = draw(st.sampled_from([None, D(40), D(20)]))
    day_hours = draw(st.sampled_from([None, D(8), D("7.5")]))
    seventh = draw(st.booleans()) or (week_hours is None and day_hours is None)
    first = draw(factors)
    bands = (Band(first, D(draw(st.integers(1, 4)))), Band(first + draw(st.sampled_from([0, 1]))))
    if draw(st.booleans()):
        bands = (Band(first),)
    return Overtime(
        draw(st.sampled_from(list(OvertimeBase))), week_hours, day_hours, seventh, bands
    )


@st.composite
def rule_scales(draw: st.DrawFn) -> PayScale:
    guarantees = tuple(
        Guarantee(
            draw(st.sampled_from(list(GuaranteePer))),
            draw(st.sampled_from(list(GuaranteeRate))),
            draw(st.sampled_from(list(GuaranteeHours))),
            draw(st.sampled_from([D(1), D("0.8")])),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    rules = st.sampled_from([None, *RestPay])
    return PayScale(
        "rules",
        dt.date(2024, 1, 1),
        "USD",
        (("A", draw(st.sampled_from([D("8.00"), D("11.00"), D("12.50")]))),),
        minimum_wage=draw(st.sampled_from([D("7.25"), D("16.00")])),
        rest=draw(st.sampled_from([RestPay.AVERAGE, RestPay.TARIFF])),
        rest_pay=draw(rules),
        nonproductive_pay=draw(rules),
        paid_time_floor=draw(st.sampled_from([None, D("9.00")])),
        time_work=D(1),
        overtime=draw(overtimes()),
        guarantees=guarantees,
    )


@st.composite
def weeks(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[TimeEntry]]:
    days = [
        (str(draw(quarters)), str(draw(st.integers(0, 200))))
        for _ in range(draw(st.integers(1, 7)))
    ]
    time = [
        TimeEntry("P", MONDAY + dt.timedelta(days=i), kind, "sewing", draw(quarters) / 4)
        for i in range(len(days))
        for kind in draw(st.lists(st.sampled_from(list(TimeKind)), unique=True, max_size=3))
    ]
    return days, time


def ledger_of(scale: PayScale, days: list[tuple[str, str]], time: list[TimeEntry]) -> Ledger:
    return week(days, str(scale.grades[0][1]), time)


@given(rule_scales(), weeks())
@settings(max_examples=80, deadline=None)
def test_slips_add_up_and_every_line_is_money(
    scale: PayScale, drawn: tuple[list[tuple[str, str]], list[TimeEntry]]
) -> None:
    slip = pay(ledger_of(scale, *drawn), scale).slip("P")
    assert slip is not None
    assert slip.gross == sum(line.amount for line in slip.lines)
    assert all(line.amount == line.amount.quantize(D("0.01")) for line in slip.lines)
    assert all(line.amount >= 0 for line in slip.lines)


@given(rule_scales(), weeks(), st.integers(0, 6), st.integers(1, 50))
@settings(max_examples=80, deadline=None)
def test_more_output_never_pays_less(
    scale: PayScale,
    drawn: tuple[list[tuple[str, str]], list[TimeEntry]],
    index: int,
    more: int,
) -> None:
    """Piece pay, guarantees' make-up, the regular rate and each overtime base all rise (or
    stay) with output, so the gross does too."""
    days, time = drawn
    index %= len(days)
    richer = list(days)
    richer[index] = (days[index][0], str(int(days[index][1]) + more))
    before = pay(ledger_of(scale, days, time), scale).slip("P")
    after = pay(ledger_of(scale, richer, time), scale).slip("P")
    assert before is not None and after is not None
    assert after.gross >= before.gross, (scale, days, time, before.lines, after.lines)


@given(rule_scales(), weeks())
@settings(max_examples=40, deadline=None)
def test_replay_with_the_unchanged_scale_changes_nothing(
    scale: PayScale, drawn: tuple[list[tuple[str, str]], list[TimeEntry]]
) -> None:
    ledger = ledger_of(scale, *drawn)
    report = replay(ledger, JUNE, ScaleBook.of([scale]), scale, list(ledger.norms.norms))
    assert report.change == 0 and report.losers == 0
    assert digest(pay(ledger, scale).slips) == digest(pay(ledger, scale).slips)
