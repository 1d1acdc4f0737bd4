"""Overtime under summarised accounting (art. 104, 152) under the ru-labour-code pack.

Each example is recomputed by hand in docs/rule-packs.md: grade 5 at 200.00 roubles an hour,
time work (hours without measured output) so that each hour is paid 200.00 by its own line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.ledger import CrewEntry, Ledger
from stakhanov.domain.pay_rules import Band
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.payslips import PayLine
from stakhanov.domain.period_overtime import period_overtime
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.shifts import Shift
from stakhanov.domain.workers import Worker

D = Decimal
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
UNIT = "Mine/Section 1"
ARTICLE_152 = (Band(D("1.5"), D(2)), Band(D(2)))
# February 2026: 20 weekdays less 23 February = 19 working days x 8 h = 152 h.
SCALE = """
name = "mine"
effective_from = "2026-01-01"
accounting_periods = [{from = "2026-02-01", to = "2026-02-28", norm_hours = 152}]
[pack]
name = "ru-labour-code"
version = "2026.2"
[grades]
"5" = "200.00"
[time_work]
fraction = 1
"""


def ru_scale(text: str = SCALE) -> PayScale:
    parsed, problems = parse_scale(text, "mine.toml", pack_text)
    assert parsed is not None, problems
    return parsed


def worked(days: list[dt.date], hours: str = "12") -> Ledger:
    shifts = [Shift(f"S{d.isoformat()}", d, D(hours), UNIT) for d in days]
    return Ledger.of(
        workers=[Worker("P", "Operator", UNIT, grade="5")],
        shifts=shifts,
        crew=[CrewEntry(s.shift_id, "P", "watch", D(hours), None, None) for s in shifts],
    )


def weekdays(first: dt.date, last: dt.date, skip: tuple[dt.date, ...] = ()) -> list[dt.date]:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in skip]


def overtime(
    book: Ledger, period: Period = FEBRUARY, scale: PayScale | None = None, **history: PayHistory
) -> dict[str, PayLine]:
    payroll = compute_payroll(book, period, ScaleBook.of([scale or ru_scale()]), history=history)
    slip = payroll.slip("P")
    assert slip is not None, payroll.problems
    return {line.key: line for line in slip.lines if line.code == "overtime"}


def test_hours_over_the_period_s_norm_are_paid_two_at_one_and_a_half_then_double() -> None:
    # 13 weekday shifts of 12 h = 156 h and 12 h on 23 February, a holiday paid double:
    # 168 h worked, less 12 h paid double = 156 h; norm 152 h; 4 h of overtime.
    days = weekdays(dt.date(2026, 2, 2), dt.date(2026, 2, 18), (dt.date(2026, 2, 23),))
    found = overtime(worked([*days, dt.date(2026, 2, 23)]))
    first = found["overtime-1.5:2026-02-01..2026-02-28"]
    rest = found["overtime-2:2026-02-01..2026-02-28"]
    assert (first.quantity, first.amount) == (D(2), D("200.00"))  # 2 h x 200.00 x 0.5
    assert (rest.quantity, rest.amount) == (D(2), D("400.00"))  # 2 h x 200.00 x 1
    assert len(found) == 2  # no overtime by the day: a 12-hour shift is no overtime here
    assert "168 h worked less 12 h on days paid double under art. 153 (2026-02-23)" in first.explain
    assert "norm 152 h; overtime 4 h" in first.explain


def test_within_the_norm_there_is_no_overtime() -> None:
    # 12 shifts of 12 h = 144 h, within 152.
    assert overtime(worked(weekdays(dt.date(2026, 2, 2), dt.date(2026, 2, 17)))) == {}


def test_rostrud_s_year_eighteen_hours_are_two_at_one_and_a_half_and_sixteen_double() -> None:
    slices = period_overtime(Fraction(1700), Fraction(1682), ARTICLE_152)
    assert [(s.hours, s.factor) for s in slices] == [(2, D("1.5")), (16, D(2))]
    premium = sum(s.hours * 200 * (Fraction(s.factor) - 1) for s in slices)
    assert premium == 3400  # 2 x 200 x 0.5 + 16 x 200 x 1 = 200 + 3200


def test_a_quarter_counts_the_hours_of_its_earlier_months() -> None:
    # January and February held 300 h (the history), March 12 shifts of 12 h = 144 h: 444 h
    # against a norm of 440 h: 4 h of overtime, on the slip of March.
    text = SCALE.replace(
        '{from = "2026-02-01", to = "2026-02-28", norm_hours = 152}',
        '{from = "2026-01-01", to = "2026-03-31", norm_hours = 440}',
    )
    earlier = {dt.date(2026, 1, 12): D(150), dt.date(2026, 2, 2): D(150)}
    march = worked(weekdays(dt.date(2026, 3, 2), dt.date(2026, 3, 18), (dt.date(2026, 3, 9),)))
    found = overtime(march, MARCH, ru_scale(text), P=PayHistory(worked=earlier))
    assert found["overtime-1.5:2026-01-01..2026-03-31"].amount == D("200.00")
    assert found["overtime-2:2026-01-01..2026-03-31"].amount == D("400.00")
    # February's slip of the same quarter has no overtime yet: the quarter has not ended.
    february = worked(weekdays(dt.date(2026, 2, 2), dt.date(2026, 2, 27), (dt.date(2026, 2, 23),)))
    assert overtime(february, FEBRUARY, ru_scale(text)) == {}


def test_days_outside_accounting_periods_keep_the_day_rule() -> None:
    found = overtime(worked([dt.date(2026, 3, 3)], "11"), MARCH)
    assert found["overtime-1.5:2026-03-02"].amount == D("200.00")  # 2 h x 200.00 x 0.5
    assert found["overtime-2:2026-03-02"].amount == D("200.00")  # 1 h x 200.00 x 1


def test_accounting_periods_need_the_tariff_base_and_must_not_overlap() -> None:
    head = 'name = "s"\neffective_from = "2026-01-01"\ncurrency = "RUB"\n'
    periods = (
        'accounting_periods = [{from = "2026-01-01", to = "2026-03-31", norm_hours = 440},'
        ' {from = "2026-03-01", to = "2026-03-31", norm_hours = 160}]\n'
    )
    scale, problems = parse_scale(
        periods + head + '[grades]\n"5" = "1"\n[overtime]\nbase = "tariff"\nday_hours = 8\n',
        "s.toml",
    )
    assert scale is None and "overlaps the accounting period" in problems[0].message
    one = 'accounting_periods = [{from = "2026-01-01", to = "2026-03-31", norm_hours = 440}]\n'
    scale, problems = parse_scale(one + head + '[grades]\n"5" = "1"\n', "s.toml")
    assert scale is None and 'base = "tariff"' in problems[0].message


WORKED = st.fractions(0, 2000).map(lambda f: f.limit_denominator(60))
NORM = st.integers(1, 2000).map(Fraction)


@given(WORKED, NORM)
def test_the_period_s_overtime_split_sums_to_the_hours_over_the_norm(
    hours: Fraction, norm: Fraction
) -> None:
    slices = period_overtime(hours, norm, ARTICLE_152)
    assert sum((s.hours for s in slices), Fraction(0)) == max(Fraction(0), hours - norm)
    assert all(s.hours > 0 for s in slices)
    if slices:
        assert slices[0].factor == D("1.5") and slices[0].hours <= 2
        assert all(s.factor == 2 for s in slices[1:])


def _premium(hours: Fraction, norm: Fraction) -> Fraction:
    return sum(
        (s.hours * (Fraction(s.factor) - 1) for s in period_overtime(hours, norm, ARTICLE_152)),
        Fraction(0),
    )


@given(WORKED, WORKED, NORM)
def test_the_premium_rises_with_the_hours_worked(
    hours: Fraction, more: Fraction, norm: Fraction
) -> None:
    assert _premium(hours + more, norm) >= _premium(hours, norm)
