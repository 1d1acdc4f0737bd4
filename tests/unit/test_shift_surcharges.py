"""Rest-day and holiday work (art. 153) and night work (art. 154) under the ru-labour-code pack.

Each example is recomputed by hand in docs/rule-packs.md: grade 5 at 200.00 roubles an hour, a
norm of 10 t an hour, so a piece rate of 20.00 a tonne.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.clock import in_window, parse_clock, span
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.shifts import Shift
from stakhanov.domain.workers import Worker

D = Decimal
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
UNIT = "Mine/Section 1"
DEFENDERS_DAY = dt.date(2026, 2, 23)  # a Monday, a non-working holiday
TUESDAY = dt.date(2026, 2, 24)
SATURDAY = dt.date(2026, 2, 28)


SCALE_HEAD = """
name = "mine"
effective_from = "2026-01-01"
[pack]
name = "ru-labour-code"
version = "2026"
[grades]
"5" = "200.00"
"""
OWN_HEAD = 'name = "own"\neffective_from = "2026-01-01"\ncurrency = "RUB"\n'


def ru_scale() -> PayScale:
    parsed, problems = parse_scale(SCALE_HEAD, "mine.toml", pack_text)
    assert parsed is not None, problems
    return parsed


def own_scale(calendar: str, rules: str) -> PayScale:
    """A scale without the pack: a top-level calendar, grade 5 at 200.00 and its rules."""
    text = f'{calendar}\n{OWN_HEAD}[grades]\n"5" = "200.00"\n{rules}'
    parsed, problems = parse_scale(text, "own.toml")
    assert parsed is not None, problems
    return parsed


def ledger(*shifts: tuple[Shift, str, str]) -> Ledger:
    """Shifts, each with the hours and tonnes of worker P on it (and Q on the rest of it)."""
    norm = Norm("hewing", "t", NormKind.OUTPUT, D(10), D(1), dt.date(2020, 1, 1))
    outputs, crew = [], []
    for shift, hours, tonnes in shifts:
        outputs.append(MeasuredOutput(shift.shift_id, "hewing", D(tonnes), "t"))
        crew.append(CrewEntry(shift.shift_id, "P", "hewing", D(hours), D(tonnes), None))
        if D(hours) < shift.hours:
            rest = shift.hours - D(hours)
            crew.append(CrewEntry(shift.shift_id, "Q", "hewing", rest, D(0), None))
    return Ledger.of(
        workers=[Worker("P", "Hewer", UNIT, grade="5"), Worker("Q", "Helper", UNIT, grade="5")],
        norms=[norm],
        shifts=[s for s, _, _ in shifts],
        outputs=outputs,
        crew=crew,
    )


def lines(book: Ledger, scale: PayScale) -> dict[str, tuple[D, D, str]]:
    slip = compute_payroll(book, FEBRUARY, ScaleBook.of([scale])).slip("P")
    assert slip is not None
    return {line.key: (line.quantity, line.amount, line.explain) for line in slip.lines}


def test_a_holiday_shift_is_paid_at_double_piece_rates() -> None:
    shift = Shift("H1", DEFENDERS_DAY, D(7), UNIT)
    found = lines(ledger((shift, "7", "77")), ru_scale())
    assert found["piece:H1:hewing"][1] == D("1540.00")  # 77 t x 20.00
    quantity, amount, explain = found["rest-day:2026-02-23"]
    assert (quantity, amount) == (D("1540.00"), D("1540.00"))
    assert "Defender of the Fatherland Day" in explain and "1540.00 x (2 - 1)" in explain


def test_a_working_day_pays_no_surcharge_and_a_saturday_does() -> None:
    tuesday = Shift("T1", TUESDAY, D(7), UNIT)
    saturday = Shift("S1", SATURDAY, D(7), UNIT)
    found = lines(ledger((tuesday, "7", "70"), (saturday, "7", "70")), ru_scale())
    assert "rest-day:2026-02-24" not in found
    assert found["rest-day:2026-02-28"][1] == D("1400.00")
    assert "weekly rest day (Saturday)" in found["rest-day:2026-02-28"][2]


def test_the_tariff_base_pays_the_hours_at_the_tariff() -> None:
    scale = own_scale("", '[rest_day_work]\nfactor = "2"\nbase = "tariff"\n')
    found = lines(ledger((Shift("S1", SATURDAY, D(7), UNIT), "7", "77")), scale)
    assert found["rest-day:2026-02-28"][:2] == (D(7), D("1400.00"))  # 7 h x 200.00 x (2 - 1)


def test_a_scale_cannot_give_the_pack_another_base() -> None:
    text = SCALE_HEAD + '[rest_day_work]\nbase = "tariff"\n'
    scale, problems = parse_scale(text, "mine.toml", pack_text)
    assert scale is None and "conflicts with rule pack ru-labour-code 2026" in problems[0].message


def test_night_hours_across_midnight_earn_twenty_percent_of_the_tariff() -> None:
    shift = Shift("N1", TUESDAY, D(8), UNIT, start_time="20:00", end_time="4:00")
    assert shift.end_time == "04:00"
    quantity, amount, explain = lines(ledger((shift, "8", "80")), ru_scale())["night:N1"]
    assert (quantity, amount) == (D(6), D("240.00"))  # 22:00-04:00: 6 h x 200.00 x 20%
    assert "20:00-04:00" in explain and "6 h x tariff 200.00 x 20% = 240" in explain


def test_a_worker_on_part_of_the_shift_gets_his_share_of_its_night_hours() -> None:
    shift = Shift("N1", TUESDAY, D(8), UNIT, start_time="20:00", end_time="04:00")
    quantity, amount, _ = lines(ledger((shift, "4", "40")), ru_scale())["night:N1"]
    assert (quantity, amount) == (D(3), D("120.00"))  # 6 x 4 / 8 = 3 h


def test_ten_minutes_past_the_hour_are_counted_exactly() -> None:
    # 21:50-06:10 is 8 h 20 min, all 8 night hours inside it; 8 h worked of 25/3 h: 7.68 h.
    shift = Shift("N1", TUESDAY, D(8), UNIT, start_time="21:50", end_time="06:10")
    quantity, amount, _ = lines(ledger((shift, "8", "80")), ru_scale())["night:N1"]
    assert (quantity, amount) == (D("7.68"), D("307.20"))


def test_a_night_shift_on_a_saturday_pays_both() -> None:
    shift = Shift("N1", SATURDAY, D(8), UNIT, start_time="22:00", end_time="06:00")
    found = lines(ledger((shift, "8", "80")), ru_scale())
    assert found["rest-day:2026-02-28"][1] == D("1600.00")
    assert found["night:N1"][1] == D("320.00")


def test_a_shift_without_clock_times_has_no_night_line() -> None:
    found = lines(ledger((Shift("N1", TUESDAY, D(8), UNIT), "8", "80")), ru_scale())
    assert not any(key.startswith("night:") for key in found)


def test_clock_times_are_checked_with_the_shift() -> None:
    with pytest.raises(InvalidValue, match="end_time"):
        Shift("N1", TUESDAY, D(8), UNIT, start_time="22:00")
    with pytest.raises(InvalidValue, match="HH:MM"):
        Shift("N1", TUESDAY, D(8), UNIT, start_time="24:00", end_time="06:00")
    with pytest.raises(InvalidValue, match="480 minutes"):
        Shift("N1", TUESDAY, D("8.5"), UNIT, start_time="22:00", end_time="06:00")


def test_scales_with_these_rules_are_paid_by_the_domain_only() -> None:
    scale = ru_scale()
    assert scale.reads_shifts and scale.uses_period_rules


def test_a_calendar_day_cannot_be_both_kinds() -> None:
    text = (
        'calendar = [{date = "2026-05-02", day = "working"}, {date = "2026-05-02"}]\n'
        f'{OWN_HEAD}[grades]\n"5" = "1"\n[rest_day_work]\nfactor = "2"\n'
    )
    scale, problems = parse_scale(text, "own.toml")
    assert scale is None and "as a holiday and working" in problems[0].message


def test_a_moved_working_saturday_pays_no_surcharge() -> None:
    scale = own_scale(
        'calendar = [{date = "2026-02-28", day = "working"}]', '[rest_day_work]\nfactor = "2"\n'
    )
    found = lines(ledger((Shift("S1", SATURDAY, D(7), UNIT), "7", "70")), scale)
    assert "rest-day:2026-02-28" not in found


def test_a_factor_of_one_is_refused() -> None:
    text = f'{OWN_HEAD}[grades]\n"5" = "1"\n[rest_day_work]\nfactor = "1"\n'
    scale, problems = parse_scale(text, "own.toml")
    assert scale is None and problems[0].column == "rest_day_work.factor"


CLOCKS = st.integers(0, 24 * 60 - 1)


@given(CLOCKS, CLOCKS)
def test_night_and_day_minutes_add_up_to_the_span(start: int, end: int) -> None:
    night = in_window(start, end, parse_clock("22:00"), parse_clock("06:00"))
    day = in_window(start, end, parse_clock("06:00"), parse_clock("22:00"))
    assert night + day == span(start, end)
    assert 0 <= night <= 8 * 60


@given(CLOCKS, CLOCKS, st.integers(1, 24 * 60 - 1))
def test_cutting_a_span_in_two_keeps_its_night_minutes(start: int, end: int, cut: int) -> None:
    length = span(start, end)
    cut = cut % length if length > 1 else 0
    if not cut:
        return
    middle = (start + cut) % (24 * 60)
    window = (parse_clock("22:00"), parse_clock("06:00"))
    whole = in_window(start, end, *window)
    assert in_window(start, middle, *window) + in_window(middle, end, *window) == whole
    assert Fraction(whole, 60) <= Fraction(length, 60)
