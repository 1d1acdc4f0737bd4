"""Hours no six-place decimal holds (20min, 1/3 h) computed exactly: sums, pay and rounding
(domain/hours.py, docs/decisions/0463)."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.exact import Exact, ExactHours, rounded_to
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function, results
from stakhanov.domain.hours import ledger_hours, parse_hours
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.numbers import text
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import rounded
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from tests.ledgers import hewing_norm, stakhanov_shift, worker
from tests.pay import graded, pay, scale

THIRD = ledger_hours(Fraction(1, 3))
MONEY = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
PARTS = st.integers(1, 60)


def test_three_twenty_minute_rest_periods_are_exactly_one_hour() -> None:
    twenty = ledger_hours(parse_hours("20min"))
    assert isinstance(twenty, ExactHours) and str(twenty) == "1/3"
    for total in (twenty + twenty + twenty, sum([twenty] * 3), 3 * twenty, twenty * 3):
        assert total == 1 and type(total) is Decimal and str(total) == "1"
    assert Decimal("6.5") + twenty + twenty + twenty == Decimal("7.5")
    assert text(twenty + Decimal(6)) == "19/3"  # JSON and tables write the fraction


@given(PARTS, st.integers(1, 180))
def test_a_sum_of_parts_of_an_hour_is_exact(parts: int, count: int) -> None:
    part = ledger_hours(Fraction(1, parts))
    total = sum([part] * count, Decimal(0))
    assert Fraction(total) == Fraction(count, parts)
    if count % parts == 0:  # whole hours are a plain Decimal again
        assert type(total) is Decimal and total == count // parts
    assert total - part * count == 0


@given(MONEY, PARTS, st.integers(1, 180))
def test_money_from_thirds_is_the_exact_product_rounded_once(
    tariff: Decimal, parts: int, count: int
) -> None:
    hours = ledger_hours(Fraction(count, parts))
    exact = Fraction(tariff) * Fraction(count, parts)
    for mode in (ROUND_HALF_UP, ROUND_FLOOR, ROUND_CEILING, ROUND_DOWN, ROUND_UP):
        cent = Decimal("0.01")
        assert (tariff * hours).quantize(cent, rounding=mode) == rounded_to(exact, cent, mode)
    assert rounded(tariff * hours, Decimal("0.01")) == rounded(exact, Decimal("0.01"))
    assert (tariff * hours < tariff * hours + Decimal("0.000001")) is True
    if isinstance(hours, Exact):  # a quotient of thirds is exact too
        assert Fraction(hours / tariff) == Fraction(count, parts) / Fraction(tariff)


@given(st.fractions(min_value=-50, max_value=50, max_denominator=60), MONEY)
def test_comparisons_and_hashes_agree_with_the_fraction(value: Fraction, other: Decimal) -> None:
    hours = ledger_hours(value) if value > 0 else Exact(value)
    assert (hours < other) == (value < other) and (hours >= other) == (value >= other)
    assert (other < hours) == (other < value) and (hours == other) == (value == other)
    assert hash(hours) == hash(value) and hours == value
    assert pickle.loads(pickle.dumps(hours)) == hours


MONDAY = dt.date(1935, 8, 5)
AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))


def worked(parts: list[Decimal]) -> Ledger:
    """One worker's week: a shift a part, on the first six days, no output (nothing earned)."""
    shifts, crew, outputs = [], [], []
    for i, hours in enumerate(parts):
        day = MONDAY + dt.timedelta(days=i % 6)
        workplace = "Mine/Section 1/Brigade 1"
        shifts.append(Shift(f"S{i}", day, Decimal(8), workplace, Conditions.STANDARD))
        crew.append(CrewEntry(f"S{i}", "P", "hewing", hours))
        outputs.append(MeasuredOutput(f"S{i}", "hewing", Decimal(0), "t"))
    return graded(Ledger.of([worker("P")], [hewing_norm()], shifts, outputs, crew))


@given(MONEY, st.integers(1, 12), st.integers(1, 12))
def test_pay_of_thirds_is_the_pay_of_the_same_hours_in_one_piece(
    hourly: Decimal, parts: int, count: int
) -> None:
    """The week's minimum-wage make-up counts the hours summed exactly: `count` parts of 1/parts
    h pay as one entry of count/parts h (whole hours where parts divides count). Six-place
    decimals would drift: 3 x 0.333333 h is 0.999999 h."""
    book = ScaleBook.of([scale(f'[minimum_wage]\nhourly = "{hourly}"\n')])
    split = compute_payroll(worked([ledger_hours(Fraction(1, parts))] * count), AUGUST, book)
    whole = compute_payroll(worked([ledger_hours(Fraction(count, parts))]), AUGUST, book)
    (ours,), (theirs,) = split.slips, whole.slips
    owed = rounded(Fraction(hourly) * Fraction(count, parts), Decimal("0.01"), ROUND_CEILING)
    assert ours.gross == theirs.gross == owed  # a make-up is rounded up, to the worker
    made_up = [line.quantity for line in ours.lines if line.code == "minimum-wage"]
    assert made_up == [Fraction(count, parts)]


def test_fulfilment_of_three_twenty_minute_shares_is_of_one_hour() -> None:
    ledger = worked([THIRD] * 3)
    (found,) = aggregate(
        results(ledger, AUGUST.start, AUGUST.end), key_function(Grouping.WORKER, lambda _: "")
    )
    assert found.hours == 1 and type(found.hours) is Decimal


def test_a_slip_writes_thirds_as_fractions_and_pays_them_exactly() -> None:
    """6 h of hewing and 20 min of rest on a day of 6 h: 1/3 h of overtime, not 0.333333."""
    day = dt.date(1935, 8, 31)
    ledger = graded(stakhanov_shift(), time=[TimeEntry("AS", day, TimeKind.REST, "hewing", THIRD)])
    extra = '[rest]\npay = "tariff"\n[overtime]\nbase = "tariff"\nday_hours = 6\n'
    (slip,) = [s for s in pay(ledger, scale(extra)).slips if s.worker_id == "AS"]
    lines = {line.code: line for line in slip.lines}
    assert lines["rest"].quantity == THIRD and "1/3 h x 2 (tariff 2.00)" in lines["rest"].explain
    assert lines["rest"].amount == Decimal("0.67")  # 2.00 / 3, rounded once
    overtime = lines["overtime"]
    assert str(overtime.quantity) == "1/3" and overtime.explain.startswith(
        "week 1935-08-26..1935-08-31: 1/3 h of overtime"
    )
    assert overtime.amount == Decimal("0.33")  # 1/3 h x 2.00 x (1.5 - 1)
    assert overtime.as_dict()["quantity"] == "1/3"
