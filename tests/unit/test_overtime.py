"""Overtime, guarantees and paid-time rules against published worked examples, to the cent.

29 CFR 778.111(a) and (b) (eCFR, Cornell LII), the California DIR's AB 1513 FAQ (Labor Code
226.2); each is recomputed by hand in docs/overtime.md and docs/rest-pay.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.payroll import Payroll, compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from stakhanov.domain.workers import Worker

D = Decimal
MONDAY = dt.date(2024, 6, 3)
JUNE = Period(dt.date(2024, 6, 1), dt.date(2024, 6, 30))
UNIT = "Plant/Line 1"


def us_scale(tariff: str, extra: str) -> PayScale:
    text = f"""
name = "us"
effective_from = "2024-01-01"
currency = "USD"
[grades]
"A" = "{tariff}"
{extra}
"""
    parsed, problems = parse_scale(text, "us.toml")
    assert parsed is not None, problems
    return parsed


def week(
    days: list[tuple[str, str]],
    tariff: str,
    time: Sequence[TimeEntry] = (),
    start: dt.date = MONDAY,
) -> Ledger:
    """Shifts from Monday: (hours, parts) each; the norm makes the piece rate 1.00 a part."""
    norm = Norm("sewing", "part", NormKind.OUTPUT, D(tariff), D(1), dt.date(2024, 1, 1))
    shifts, outputs, crew = [], [], []
    for index, (hours, parts) in enumerate(days):
        sid = f"S{index + 1}"
        day = start + dt.timedelta(days=index)
        shifts.append(Shift(sid, day, D(hours), UNIT, Conditions.STANDARD))
        outputs.append(MeasuredOutput(sid, "sewing", D(parts), "part"))
        crew.append(CrewEntry(sid, "P", "sewing", D(hours), D(parts), None))
    return Ledger.of(
        workers=[Worker("P", "Piece worker", UNIT, grade="A")],
        norms=[norm],
        shifts=shifts,
        outputs=outputs,
        crew=crew,
        time=list(time),
    )


def pay(ledger: Ledger, scale: PayScale) -> Payroll:
    return compute_payroll(ledger, JUNE, ScaleBook.of([scale]))


def lines(payroll: Payroll) -> dict[str, D]:
    slip = payroll.slip("P")
    assert slip is not None
    return {line.key: line.amount for line in slip.lines}


FLSA = '[overtime]\nbase = "regular"\nweek_hours = 40\n'
WAITING = '[rest]\nnonproductive = "tariff"\n'


def test_778_111_a_regular_rate_counts_waiting_time() -> None:
    # $491 at piece rates in 46 productive hours, 4 hours of waiting at $8.00: 50 hours.
    days = [("9.2", "98.2")] * 5
    wait = [TimeEntry("P", MONDAY + dt.timedelta(days=5), TimeKind.NONPRODUCTIVE, "sewing", D(4))]
    payroll = pay(week(days, "8.00", wait), us_scale("8.00", FLSA + WAITING))
    found = lines(payroll)
    assert found["nonproductive:2024-06-08:sewing"] == D("32.00")
    # Regular rate 523.00 / 50 h = 10.46; 10 overtime hours x 10.46 x 0.5 = 52.30.
    premium = found["overtime-1.5:2024-06-03"]
    assert premium == D("52.30")
    slip = payroll.slip("P")
    assert slip is not None and slip.gross == D("575.30")
    line = next(x for x in slip.lines if x.code == "overtime")
    assert "regular rate = straight-time pay 523.00 / 50" in line.explain
    assert "= 10.46" in line.explain and line.rate == D("5.23")


GUARANTEE_11 = '[[guarantees]]\nper = "week"\nhours = "productive"\nrate = "tariff"\n'


def test_778_111_b_weekly_guarantee_sets_the_regular_rate() -> None:
    # $491 at piece rates in 46 hours, guaranteed $11 an hour: made up to $506, then
    # 6 overtime hours at half the $11 regular rate: $33, $539 in all.
    days = [("9.2", "98.2")] * 5
    payroll = pay(week(days, "11.00"), us_scale("11.00", FLSA + GUARANTEE_11))
    found = lines(payroll)
    assert found["guarantee:week:productive:2024-06-03"] == D("15.00")
    assert found["overtime-1.5:2024-06-03"] == D("33.00")
    slip = payroll.slip("P")
    assert slip is not None and slip.gross == D("539.00")


def test_guarantee_per_shift_makes_up_each_short_day() -> None:
    # Tariff 11: Monday 8 h earns 80 (short by 8), Tuesday 8 h earns 100 (no make-up).
    extra = '[[guarantees]]\nper = "shift"\nrate = "tariff"\nfraction = "1"\n'
    payroll = pay(week([("8", "80"), ("8", "100")], "11.00"), us_scale("11.00", extra))
    found = lines(payroll)
    assert found == {
        "piece:S1:sewing": D("80.00"),
        "piece:S2:sewing": D("100.00"),
        "guarantee:shift:all:2024-06-03": D("8.00"),
    }
    # A weekly guarantee of the same rate pays nothing: 180 covers 16 h x 11 = 176.
    weekly = extra.replace('"shift"', '"week"')
    found = lines(pay(week([("8", "80"), ("8", "100")], "11.00"), us_scale("11.00", weekly)))
    assert not any(key.startswith("guarantee") for key in found)


def test_daily_overtime_bands_and_the_seventh_day() -> None:
    # California-like: over 8 h a day x1.5 for 4 h, then x2; over 40 h a week x1.5; the seventh
    # consecutive day's hours all in the bands. Tariff base: 12 x (factor - 1) per hour.
    extra = """
[overtime]
base = "tariff"
day_hours = 8
week_hours = 40
seventh_day = true
bands = [{hours = 4, factor = "1.5"}, {factor = "2"}]
"""
    # Mon 13 h (4 h x1.5, 1 h x2), Tue-Fri 8 h, Sat 4 h, Sun 3 h: 8+32 = 40 straight by Fri;
    # Saturday's 4 h are weekly overtime (x1.5); Sunday is the seventh day: 3 h x1.5.
    days = [("13", "1"), ("8", "1"), ("8", "1"), ("8", "1"), ("8", "1"), ("4", "1"), ("3", "1")]
    found = lines(pay(week(days, "12.00"), us_scale("12.00", extra)))
    assert found["overtime-1.5:2024-06-03"] == D("66.00")  # (4 + 4 + 3) h x 12 x 0.5
    assert found["overtime-2:2024-06-03"] == D("12.00")  # 1 h x 12 x 1


def test_piece_base_pays_the_output_of_the_overtime_hours() -> None:
    extra = '[overtime]\nbase = "piece"\nday_hours = 8\n'
    # 10 h earning 150: 2 overtime hours made 30 of it; premium 30 x 0.5 = 15.
    found = lines(pay(week([("10", "150")], "10.00"), us_scale("10.00", extra)))
    assert found["overtime-1.5:2024-06-03"] == D("15.00")


def test_dir_faq_rest_pay_average_of_all_pay() -> None:
    # DIR AB 1513 FAQ, a week of piece work only: 5 days of 8 h with two 10-minute rest
    # periods each, $500 at piece rates. 500 / (40 - 5/3) h = 13.043478 = $13.04/h.
    # Hours at six places (7 h 40 min = 7.666667 h) as the paid-time file holds them.
    days = [("7.666667", "100")] * 5
    rests = [
        TimeEntry("P", MONDAY + dt.timedelta(days=i), TimeKind.REST, "sewing", D("0.333333"))
        for i in range(5)
    ]
    scale = us_scale("10.00", '[rest]\nrest = "all_pay"\n[minimum_wage]\nhourly = "10.00"\n')
    payroll = pay(week(days, "10.00", rests), scale)
    slip = payroll.slip("P")
    assert slip is not None
    rest = [line for line in slip.lines if line.code == "rest"]
    assert {line.rate for line in rest} == {D("13.043478")}  # $13.04/h to the cent
    assert "average of all pay of the week 2024-06-03..2024-06-09 but rest pay" in rest[0].explain
    assert sum(line.amount for line in rest) == D("21.75")  # 5 x 0.333333 h x 13.043478


def test_rest_floor_and_minimum_wage_rules() -> None:
    # Piece earnings of 40 in 8 h average 5.00 an hour; 226.2 floors rest at the minimum
    # wage 16.00; non-productive time at the minimum wage itself.
    rests = [
        TimeEntry("P", MONDAY, TimeKind.REST, "sewing", D("0.5")),
        TimeEntry("P", MONDAY, TimeKind.NONPRODUCTIVE, "sewing", D("1")),
    ]
    extra = (
        '[rest]\nrest = "all_pay"\nnonproductive = "minimum_wage"\n'
        '[minimum_wage]\nhourly = "16.00"\n'
    )
    found = lines(pay(week([("8", "40")], "10.00", rests), us_scale("10.00", extra)))
    assert found["nonproductive:2024-06-03:sewing"] == D("16.00")
    assert found["rest:2024-06-03:sewing"] == D("8.00")  # 0.5 h x the 16.00 floor
    # An explicit floor applies to the piece average too.
    floor = '[rest]\npay = "average"\nfloor = "12.50"\n'
    found = lines(pay(week([("8", "40")], "10.00", rests), us_scale("10.00", floor)))
    assert found["rest:2024-06-03:sewing"] == D("6.25")


def test_hourly_work_is_paid_as_time_work_without_a_crew() -> None:
    hourly = [TimeEntry("P", MONDAY + dt.timedelta(days=1), TimeKind.HOURLY, "sewing", D(8))]
    extra = '[time_work]\nfraction = "1"\n' + FLSA
    found = lines(pay(week([("8", "80")], "10.00", hourly), us_scale("10.00", extra)))
    assert found["hourly:2024-06-04:sewing"] == D("80.00")
    without = lines(pay(week([("8", "80")], "10.00", hourly), us_scale("10.00", "")))
    assert without["hourly:2024-06-04:sewing"] == D("0.00")


def test_scales_without_the_new_keys_use_no_period_rules() -> None:
    assert not us_scale("10.00", '[rest]\npay = "average"\n').uses_period_rules
    assert us_scale("10.00", FLSA).uses_period_rules
    assert us_scale("10.00", GUARANTEE_11).uses_period_rules
    assert us_scale("10.00", '[rest]\nrest = "tariff"\n').uses_period_rules


def problems(extra: str) -> list[str]:
    head = 'name = "us"\neffective_from = "2024-01-01"\ncurrency = "USD"\n'
    text = f'{head}[grades]\n"A" = 8\n{extra}'
    parsed, found = parse_scale(text, "us.toml")
    assert parsed is None
    return [str(p).removeprefix("us.toml:") for p in found]


def test_bad_period_rules_are_errors_naming_key_and_line() -> None:
    assert problems('[overtime]\nbase = "regular"\n') == [
        "6:overtime: give week_hours, day_hours or seventh_day = true"
    ]
    assert problems('[overtime]\nbase = "weekly"\nweek_hours = 40\n') == [
        "7:overtime.base: must be one of: regular, piece, tariff"
    ]
    found = problems('[overtime]\nbase = "tariff"\nday_hours = 8\nbands = [{factor = 2}, {}]\n')
    assert found[0].startswith("9:overtime.bands: band 1: every band but the last")
    found = problems('[overtime]\nbase = "tariff"\nday_hours = 8\nbands = [{factor = "0.5"}]\n')
    assert found == ["9:overtime.bands: band 1: is a factor of at least 1 (1.5 is time and a half)"]
    found = problems('[[guarantees]]\nper = "shift"\nrate = "minimum_wage"\n')
    assert found == [
        "8:guarantees[1].rate: minimum_wage needs a [minimum_wage] section with its hourly rate"
    ]
    assert problems('[rest]\nrest = "minimum_wage"\n') == [
        "6:rest: paying at the minimum wage needs a [minimum_wage] section with its hourly rate"
    ]
    assert problems('[rest]\nfloor = "9"\n') == [
        "6:rest.pay: is required (or give rest and nonproductive)"
    ]


def test_the_seventh_day_has_bands_of_its_own() -> None:
    # California's shape: the seventh consecutive day's first 8 h x1.5, beyond x2.
    extra = """
[overtime]
base = "tariff"
day_hours = 8
seventh_day = true
bands = [{hours = 4, factor = "1.5"}, {factor = "2"}]
seventh_day_bands = [{hours = 8, factor = "1.5"}, {factor = "2"}]
"""
    days = [("8", "1")] * 6 + [("10", "1")]
    found = lines(pay(week(days, "12.00"), us_scale("12.00", extra)))
    assert found["overtime-1.5:2024-06-03"] == D("48.00")  # 8 h x 12 x 0.5
    assert found["overtime-2:2024-06-03"] == D("24.00")  # 2 h x 12 x 1
