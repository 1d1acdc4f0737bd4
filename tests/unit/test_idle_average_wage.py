"""Idle time by its cause (Labour Code art. 157) under the ru-labour-code pack.

Each example is recomputed by hand in docs/rule-packs.md: grade 5 at 200.00 roubles an hour.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.average_wage import (
    PaidPeriod,
    PayHistory,
    accrued,
    average_wage,
    billing_window,
)
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import rounded
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.timesheets import IdleCause, TimeEntry, TimeKind
from stakhanov.domain.workers import Worker

D = Decimal
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
IDLE_DAY = dt.date(2026, 3, 10)
UNIT = "Mine/Section 1"
SCALE = """
name = "mine"
effective_from = "2026-01-01"
[pack]
name = "ru-labour-code"
version = "2026.2"
[grades]
"5" = "200.00"
"""


def ru_scale(text: str = SCALE) -> PayScale:
    parsed, problems = parse_scale(text, "mine.toml", pack_text)
    assert parsed is not None, problems
    return parsed


def month(year: int, number: int) -> Period:
    first = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(first, following - dt.timedelta(days=1))


def twelve_months(earned: str = "40000.00", hours: str = "160") -> tuple[PaidPeriod, ...]:
    """March 2025 to February 2026, each month accrued `earned` in `hours` h of work."""
    return tuple(
        PaidPeriod(month(2025 + (2 + i) // 12, (2 + i) % 12 + 1), D(earned), D(hours))
        for i in range(12)
    )


def idle_line(
    cause: IdleCause | None, hours: str = "8", history: PayHistory | None = None
) -> PayLine:
    book = Ledger.of(
        workers=[Worker("P", "Hewer", UNIT, grade="5")],
        time=[TimeEntry("P", IDLE_DAY, TimeKind.IDLE, "hewing", D(hours), None, cause)],
    )
    histories = {"P": history} if history is not None else None
    slip = compute_payroll(book, MARCH, ScaleBook.of([ru_scale()]), history=histories).slip("P")
    assert slip is not None
    (line,) = [line for line in slip.lines if line.code == "idle"]
    return line


def test_the_billing_window_is_the_twelve_calendar_months_before() -> None:
    assert billing_window(IDLE_DAY) == Period(dt.date(2025, 3, 1), dt.date(2026, 2, 28))
    assert billing_window(dt.date(2026, 1, 31), 1) == month(2025, 12)


def test_idle_through_the_employer_is_two_thirds_of_the_average_hourly_earnings() -> None:
    # 480000.00 accrued in 1920 h: 250.00 an hour; 8 h x 250.00 x 2/3 = 1333.333... = 1333.33.
    line = idle_line(IdleCause.EMPLOYER, history=PayHistory(twelve_months()))
    assert (line.quantity, line.amount) == (D(8), D("1333.33"))
    assert line.rate == D("166.666667")  # shown to six places, as every derived rate
    assert "accrued 480000.00 in 12 closed periods / 1920 h worked = 250" in line.explain
    assert "2025-03-01..2026-02-28" in line.explain
    assert "8 h x 250 x 2/3 = 1333.333333" in line.explain


def test_periods_outside_the_twelve_months_are_not_counted() -> None:
    older = PaidPeriod(month(2025, 2), D("99999.00"), D("1"))
    current = PaidPeriod(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 7)), D("1.00"), D("99"))
    history = PayHistory((older, *twelve_months(), current))
    assert idle_line(IdleCause.EMPLOYER, history=history).amount == D("1333.33")


def test_without_history_the_tariff_stands_for_the_average() -> None:
    # Nothing accrued in the 12 months: 8 h x tariff 200.00 x 2/3 = 1066.666... = 1066.67.
    line = idle_line(IdleCause.EMPLOYER)
    assert line.amount == D("1066.67")
    assert "nothing accrued or worked in 2025-03-01..2026-02-28" in line.explain
    assert "the tariff 200.00 stands for the average wage" in line.explain
    no_hours = PayHistory((PaidPeriod(month(2025, 12), D("500.00"), D(0)),))
    assert idle_line(IdleCause.EMPLOYER, history=no_hours).amount == D("1066.67")


def test_idle_beyond_both_parties_is_the_guarantee_share_of_the_tariff() -> None:
    # 8 h x 200.00 x 0.6667 = 1066.72 (never below 2/3 x 1600.00 = 1066.67).
    line = idle_line(IdleCause.NEITHER, history=PayHistory(twelve_months()))
    assert line.amount == D("1066.72")
    assert "beyond both parties' control (art. 157)" in line.explain


def test_idle_through_the_worker_s_fault_is_not_paid() -> None:
    line = idle_line(IdleCause.WORKER, history=PayHistory(twelve_months()))
    assert line.amount == D("0.00")
    assert "not paid (idle through the worker's own fault)" in line.explain


def test_idle_without_a_cause_is_paid_as_before() -> None:
    line = idle_line(None, history=PayHistory(twelve_months()))
    assert line.amount == D("1066.72")
    assert "not the worker's fault: guaranteed 8 h x tariff 200.00 x 0.6667" in line.explain


def test_an_employer_tariff_rule_pays_the_guarantee_share() -> None:
    scale = ru_scale(
        'name = "own"\neffective_from = "2026-01-01"\ncurrency = "RUB"\n[grades]\n"5" = "200.00"\n'
        '[guarantee]\nfraction = "0.7"\n[idle_time]\nemployer = "tariff"\n'
    )
    book = Ledger.of(
        workers=[Worker("P", "Hewer", UNIT, grade="5")],
        time=[TimeEntry("P", IDLE_DAY, TimeKind.IDLE, "hewing", D(10), None, IdleCause.EMPLOYER)],
    )
    slip = compute_payroll(book, MARCH, ScaleBook.of([scale])).slip("P")
    assert slip is not None and slip.lines[0].amount == D("1400.00")  # 10 x 200 x 0.7
    assert "the employer's fault (art. 157)" in slip.lines[0].explain


def test_a_cause_is_for_idle_time_only() -> None:
    with pytest.raises(InvalidValue, match="idle time only"):
        TimeEntry("P", IDLE_DAY, TimeKind.REST, "hewing", D(1), None, IdleCause.WORKER)


def test_the_share_is_written_exactly_or_refused() -> None:
    base = 'name = "s"\neffective_from = "2026-01-01"\ncurrency = "RUB"\n[grades]\n"5" = "1"\n'
    scale = ru_scale(base + '[idle_time]\nfraction = "3/4"\nmonths = 6\n')
    assert scale.idle_time is not None and scale.idle_time.fraction == Fraction(3, 4)
    assert scale.idle_time.months == 6
    for wrong, column in (('fraction = "4/3"', "fraction"), ("months = 13", "months")):
        parsed, problems = parse_scale(base + f"[idle_time]\n{wrong}\n", "s.toml")
        assert parsed is None and problems[0].column == f"idle_time.{column}"
    parsed, problems = parse_scale(base + '[idle_time]\nemployer = "tariff"\n', "s.toml")
    assert parsed is None and "[guarantee]" in problems[0].message


def test_accrued_pay_leaves_out_idle_lines() -> None:
    def line(code: str, amount: str) -> PayLine:
        return PayLine(code, code, D(1), "h", D(amount), D(amount), "")

    slip = PaySlip("P", "P", "RUB", MARCH, (line("piece", "100.00"), line("idle", "30.00")))
    assert accrued(slip) == D("100.00")


MONEY = st.decimals(D("0.01"), D("999999.99"), places=2)
HOURS = st.decimals(D("0.25"), D("300"), places=2)
IDLE = st.decimals(D("0.25"), D("4"), places=2)  # idle within a day's 8 h


@given(MONEY, HOURS, IDLE)
def test_two_thirds_of_the_average_is_exact_and_rounded_once(
    earned: Decimal, worked: Decimal, idle: Decimal
) -> None:
    paid = (PaidPeriod(month(2026, 1), earned, worked),)
    average = average_wage(paid, IDLE_DAY)
    assert average.hourly == Fraction(earned) / Fraction(worked)
    line = idle_line(IdleCause.EMPLOYER, str(idle), PayHistory(paid))
    exact = Fraction(earned) / Fraction(worked) * Fraction(idle) * Fraction(2, 3)
    assert line.amount == rounded(exact, D("0.01"))


@given(MONEY, HOURS, IDLE, IDLE)
def test_idle_pay_rises_with_the_idle_hours(
    earned: Decimal, worked: Decimal, idle: Decimal, more: Decimal
) -> None:
    history = PayHistory((PaidPeriod(month(2026, 2), earned, worked),))
    fewer = idle_line(IdleCause.EMPLOYER, str(idle), history).amount
    assert idle_line(IdleCause.EMPLOYER, str(idle + more), history).amount >= fewer
