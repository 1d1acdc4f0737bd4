"""Pay slips checked line by line against hand calculation (to the kopeck)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.payroll import Adjustments, ExternalBonus
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from tests.ledgers import DAY, crew, hewing_norm, one_shift, shift, stakhanov_shift, worker
from tests.pay import AUGUST, amounts, graded, pay, scale

D = Decimal


def test_stakhanov_on_the_stated_percent() -> None:
    # Piece rate 2.00 x 6 h / 7 t = 12/7 per t. 102 t x 12/7 = 174.857 -> 174.86.
    # Above 100% (7 t): 95 t x 12/7 x 0.5 = 81.43; above 150% (10.5 t): 91.5 t x 6/7 = 78.43.
    payroll = pay(graded(stakhanov_shift()), scale())
    assert amounts(payroll, "AS") == {
        "piece:S1:hewing": D("174.86"),
        "tier-100:S1:hewing": D("81.43"),
        "tier-150:S1:hewing": D("78.43"),
    }
    slip = payroll.slip("AS")
    assert slip is not None and slip.gross == D("334.72") and slip.currency == "RUB"
    assert "102 - 7 = 95 t x 1.714286 x (1.5 - 1)" in slip.lines[1].explain


def test_stakhanov_on_the_fair_percent() -> None:
    # Fair 364.3%: the crew's norm share is 4 x 7 = 28 t. Above 100%: 74 t x 6/7 = 63.43;
    # above 150% (42 t): 60 t x 6/7 = 51.43. Gross 174.86 + 63.43 + 51.43 = 289.72.
    for rule in ("auto", "fair"):
        payroll = pay(graded(stakhanov_shift()), scale(percent=rule))
        assert amounts(payroll, "AS") == {
            "piece:S1:hewing": D("174.86"),
            "tier-100:S1:hewing": D("63.43"),
            "tier-150:S1:hewing": D("51.43"),
        }
        slip = payroll.slip("AS")
        assert slip is not None and slip.gross == D("289.72")
        assert "fair 364.3%" in slip.lines[1].explain and "28 t" in slip.lines[1].explain


def test_a_pooled_result_says_which_percent_the_tiers_count() -> None:
    # 16 t on an 8 t norm for two hewers of 6 h: 15.5 t pooled onto A (193.75% stated), B
    # credited 0.5 t (6.25%). The crew's fair percent is 100%: no tier, and the piece line
    # says why. Percents are rounded half-up: 193.8 and 6.3.
    ledger = graded(
        one_shift(
            "16", crew("A", credited="15.5"), crew("B", credited="0.5"), norm=hewing_norm("8")
        )
    )
    auto = pay(ledger, scale(percent="auto"))
    a, b = auto.slip("A"), auto.slip("B")
    assert a is not None and b is not None
    assert [line.code for line in a.lines] == ["piece"]
    assert a.lines[0].amount == D("23.25")  # 15.5 t x 2.00 x 6 / 8 = 23.25
    note = "pooled: the tiers count the fair 100% of the norm, not the stated"
    assert f"{note} 193.8%" in a.lines[0].explain
    assert f"{note} 6.3%" in b.lines[0].explain
    stated = pay(ledger, scale()).slip("A")
    assert stated is not None and "pooled" not in stated.lines[0].explain
    assert "193.8% of the 8 t norm for 6 h" in stated.lines[1].explain


def test_helpers_are_paid_only_by_a_time_work_section() -> None:
    ledger = graded(stakhanov_shift(), grade="4")
    # Without [time_work] the helper still gets a slip that says why the hours are unpaid.
    unpaid = pay(ledger, scale()).slip("T1")
    assert unpaid is not None and unpaid.gross == D("0.00")
    assert amounts(pay(ledger, scale()), "T1") == {"time:S1:timbering": D("0.00")}
    assert "6 h, not paid as time work (test (1935-01-01) has no [time_work])" in (
        unpaid.lines[0].explain
    )
    assert unpaid.as_dict()["lines"][0]["amount"] == "0.00"
    # ... and the week's minimum wage for those hours: 6 h x 1.11 = 6.66.
    floor = pay(ledger, scale('[minimum_wage]\nhourly = "1.11"\n'))
    assert amounts(floor, "T1") == {
        "time:S1:timbering": D("0.00"),
        "minimum-wage:1935-08-26": D("6.66"),
    }
    payroll = pay(ledger, scale('[time_work]\nfraction = "0.9"\n'))
    # 6 h x 1.70 x 0.9 = 9.18
    assert amounts(payroll, "T1") == {"time:S1:timbering": D("9.18")}
    assert amounts(payroll, "KP") == {"time:S1:assist": D("9.18")}


def test_exactly_the_norm_earns_exactly_the_tariff() -> None:
    payroll = pay(graded(one_shift("7", crew("A", credited="7"))), scale())
    assert amounts(payroll, "A") == {"piece:S1:hewing": D("12.00")}
    slip = payroll.slip("A")
    assert slip is not None
    document = slip.as_dict()  # no deductions: money still written to the kopeck
    assert (document["gross"], document["total_deductions"], document["net"]) == (
        "12.00",
        "0.00",
        "12.00",
    )


def test_a_time_norm() -> None:
    # 3 standard minutes per part at 1.70/h: 0.085 per part. 200 parts = 17.00, 10 standard
    # hours in 8 h = 125%: 40 parts above the norm x 0.085 x 0.5 = 1.70.
    norm = Norm("turning", "part", NormKind.TIME, D(3), None, dt.date(1935, 1, 1))
    ledger = Ledger.of(
        workers=[worker("L1")],
        norms=[norm],
        shifts=[shift(hours="8")],
        outputs=[MeasuredOutput("S1", "turning", D(200), "part", D(4))],
        crew=[crew("L1", "turning", "8", "200")],
    )
    payroll = pay(graded(ledger, "4"), scale())
    assert amounts(payroll, "L1") == {
        "piece:S1:turning": D("17.00"),
        "tier-100:S1:turning": D("1.70"),
    }
    slip = payroll.slip("L1")
    assert slip is not None and "4 part rejected on this shift is not paid" in slip.lines[0].explain


def two_shifts() -> Ledger:
    days = (dt.date(1935, 8, 5), dt.date(1935, 8, 6))
    return graded(
        Ledger.of(
            workers=[worker("A")],
            norms=[hewing_norm()],
            shifts=[shift("S1", day=days[0]), shift("S2", day=days[1])],
            outputs=[
                MeasuredOutput("S1", "hewing", D(6), "t"),
                MeasuredOutput("S2", "hewing", D(9), "t"),
            ],
            crew=[crew("A", credited="6", shift_id="S1"), crew("A", credited="9", shift_id="S2")],
        )
    )


def test_tiers_per_shift_against_per_period() -> None:
    # Pieces: 6 t x 12/7 = 10.29, 9 t x 12/7 = 15.43.
    # Per shift: only S2 is above the norm, 2 t x 6/7 = 1.71.
    per_shift = amounts(pay(two_shifts(), scale()), "A")
    assert per_shift == {
        "piece:S1:hewing": D("10.29"),
        "piece:S2:hewing": D("15.43"),
        "tier-100:S2:hewing": D("1.71"),
    }
    # Per period: 15 t in 12 h is 90/7 norm-hours, 12 of them at 100%: 6/7 norm-h x 2.00 x
    # 0.5 = 0.86.
    per_period = amounts(pay(two_shifts(), scale(basis="period")), "A")
    period_tier = next(k for k in per_period if k.startswith("tier-100"))
    assert per_period[period_tier] == D("0.86")
    assert sum(per_period.values()) == D("26.58")


def test_period_tiers_on_the_fair_percent_say_what_they_count() -> None:
    # Stakhanov's 102 t in 6 h: 102 x 6 / 7 = 87.428571 norm-hours earned. Assisted, so the
    # tiers count the crew's fair percent: 102 t against 28 t is 21.857143 norm-hours in 6 h
    # (364.3%). 100% is 87.428571 x 6 / 21.857143 = 24 norm-h (the crew's 28 t): 63.428571
    # norm-h x 2.00 x 0.5 = 63.43; 150% is 36 norm-h: 51.428571 x 2.00 x 0.5 = 51.43, as on
    # the per-shift basis.
    payroll = pay(graded(stakhanov_shift()), scale(percent="auto", basis="period"))
    slip = payroll.slip("AS")
    assert slip is not None
    tiers = [line for line in slip.lines if line.code.startswith("tier-")]
    assert [t.amount for t in tiers] == [D("63.43"), D("51.43")]
    counted = "fair percent: 21.857143 norm-hours in 6 h = 364.3%"
    assert all(counted in t.explain for t in tiers)
    assert "above 100% (24 norm-h = 87.428571 x 6 / 21.857143): 87.428571 - 24" in tiers[0].explain
    assert "above 150% (36 norm-h = 87.428571 x 6 / 21.857143 x 150%)" in tiers[1].explain


def test_work_no_scale_pays_is_shown_unpaid_on_the_slip() -> None:
    # The only scale takes effect on 6 August: S1 of 5 August is paid by none. It is shown at
    # 0.00 with the reason (its 6 h count in the week's minimum wage, so they are explained);
    # S2 pays 9 t x 12/7 = 15.43 and 2 t x 6/7 = 1.71 above the norm.
    later = replace(scale(), effective_from=dt.date(1935, 8, 6))
    payroll = pay(two_shifts(), later)
    assert amounts(payroll, "A") == {
        "piece:S1:hewing": D("0.00"),
        "piece:S2:hewing": D("15.43"),
        "tier-100:S2:hewing": D("1.71"),
    }
    slip = payroll.slip("A")
    assert slip is not None
    assert slip.lines[0].explain == (
        "1935-08-05 shift S1, hewing: 6 h, 6 t accepted: not paid (no single scale covers "
        "hewing on 1935-08-05)"
    )
    # A worker whom no scale pays at all gets no slip (there is no currency to pay in).
    assert pay(two_shifts(), replace(scale(), effective_from=dt.date(1935, 9, 1))).slips == ()


def test_a_new_version_within_the_period_is_still_one_scale() -> None:
    # The tariff rises from 2.00 to 2.40 on 6 August. S1 (6 t, v1) pays 6 x 12/7 = 10.29 and
    # earns 36/7 norm-h; S2 (9 t, v2) pays 9 x 2.40 x 6/7 = 18.51 and earns 54/7 norm-h.
    # Over the period 90/7 norm-h in 12 h = 107.14%: the threshold is 14/15 of each version's
    # norm-hours, so v1 pays 12/35 norm-h x 2.00 x 0.5 = 0.34 and v2 18/35 x 2.40 x 0.5 = 0.62.
    # The period bonuses are paid once: 5.00, and 10% of 29.76 = 2.98.
    bonuses = (
        '[[bonuses]]\ncode = "month"\nper = "period"\namount = "5.00"\n'
        '[[bonuses]]\ncode = "share"\nper = "period"\npercent = "10"\n'
    )
    first = scale(bonuses, basis="period")
    second = replace(
        first,
        effective_from=dt.date(1935, 8, 6),
        grades=(("5", D("2.40")), ("4", D("1.70"))),
    )
    payroll = pay(two_shifts(), first, second)
    found = amounts(payroll, "A")
    period = "1935-08-01..1935-08-31"
    assert found == {
        "piece:S1:hewing": D("10.29"),
        "piece:S2:hewing": D("18.51"),
        f"tier-100:{period} under test (1935-01-01)": D("0.34"),
        f"tier-100:{period} under test (1935-08-06)": D("0.62"),
        f"month:{period}": D("5.00"),
        f"share:{period}": D("2.98"),
    }
    slip = payroll.slip("A")
    assert slip is not None and slip.gross == D("37.74")
    tier = next(line for line in slip.lines if line.key.endswith("(1935-08-06)"))
    assert "over the period 12.857143 norm-hours in 12 h, 107.1% counted" in tier.explain


def test_minimum_wage_make_up_is_rounded_up() -> None:
    # 3 t in 5.75 h: 3 x 12/7 = 5.14. Minimum 5.75 h x 1.11 = 6.3825; make-up 1.2425 -> 1.25.
    ledger = graded(one_shift("3", crew("A", hours="5.75", credited="3")))
    payroll = pay(ledger, scale('[minimum_wage]\nhourly = "1.11"\n'))
    found = amounts(payroll, "A")
    assert found["minimum-wage:1935-08-26"] == D("1.25")
    slip = payroll.slip("A")
    assert slip is not None and slip.gross == D("6.39") >= D("6.3825")


def test_idle_rest_and_nonproductive_time() -> None:
    entries = [
        TimeEntry("AS", dt.date(1935, 8, 30), TimeKind.IDLE, "hewing", D("1.5")),
        TimeEntry("AS", dt.date(1935, 8, 30), TimeKind.REST, "hewing", D(1)),
        TimeEntry("AS", dt.date(1935, 8, 29), TimeKind.NONPRODUCTIVE, "hewing", D("0.5")),
    ]
    ledger = graded(stakhanov_shift(), time=entries)
    extra = '[guarantee]\nfraction = "0.6667"\n[rest]\npay = "average"\n'
    found = amounts(pay(ledger, scale(extra)), "AS")
    # Idle: 1.5 h x 2.00 x 0.6667 = 2.0001 -> 2.00.
    assert found["idle:1935-08-30:hewing"] == D("2.00")
    # The week's piece earnings 334.72 over 6 piece hours = 55.786667 per hour.
    assert found["rest:1935-08-30:hewing"] == D("55.79")
    assert found["nonproductive:1935-08-29:hewing"] == D("27.89")  # 27.893333
    # At the tariff instead, and unpaid without the sections:
    tariff = amounts(pay(ledger, scale('[rest]\npay = "tariff"\n')), "AS")
    assert tariff["rest:1935-08-30:hewing"] == D("2.00")
    assert tariff["idle:1935-08-30:hewing"] == D("0")


def test_bonuses_per_shift_and_per_period() -> None:
    extra = """
[[bonuses]]
code = "record"
name = "Record shift supplement"
per = "shift"
conditions = "prepared"
amount = "50.00"
[[bonuses]]
code = "high"
per = "period"
min_percent = 1000
percent = "10"
[[bonuses]]
code = "never"
per = "shift"
conditions = "standard"
amount = "1"
"""
    found = amounts(pay(graded(stakhanov_shift()), scale(extra)), "AS")
    assert found["record:S1:hewing"] == D("50.00")
    # 10% of the period's piece earnings 334.72 = 33.472 -> 33.47.
    assert found["high:1935-08-01..1935-08-31"] == D("33.47")
    assert not any(k.startswith("never") for k in found)


def test_external_bonus_becomes_a_named_line() -> None:
    bonus = ExternalBonus("AS", DAY, "title", D("25.005"), "RUB", "Stakhanovite title", "t:1")
    outside = ExternalBonus("AS", dt.date(1935, 9, 1), "title", D(1), "RUB", "later", "t:2")
    payroll = pay(graded(stakhanov_shift()), scale(), bonuses=[bonus, outside])
    slip = payroll.slip("AS")
    assert slip is not None
    line = slip.lines[-1]
    assert (line.code, line.amount, line.reference) == ("title", D("25.01"), "t:1")
    assert slip.gross == D("334.72") + D("25.01")


def test_deductions_within_their_caps() -> None:
    extra = """
[rejects]
deduction = "0.5"
[[deductions]]
code = "loan"
amount = "100"
cap_percent = "10"
[[deductions]]
code = "union"
percent = "1"
[[deductions]]
code = "fine"
amount = "40"
[deduction_cap]
percent = "20"
"""
    ledger = stakhanov_shift()
    faulty = Ledger.of(
        workers=ledger.workers.values(),
        norms=ledger.norms,
        shifts=ledger.shifts.values(),
        outputs=[MeasuredOutput("S1", "hewing", D(102), "t", D("0.5"))],
        crew=ledger.crew,
    )
    fault = RejectFault("S1", "hewing", "AS", D("0.5"), "rock in the coal")
    found = amounts(pay(graded(faulty, faults=[fault]), scale(extra)), "AS")
    # Gross 334.72; all deductions at most 20% = 66.944 -> 66.94 (caps round down).
    assert found["reject-fault:S1:hewing"] == D("0.43")  # 0.5 t x 12/7 x 0.5 = 0.428571
    assert found["loan:1935-08-01..1935-08-31"] == D("33.47")  # its own cap: 10% = 33.472
    assert found["union:1935-08-01..1935-08-31"] == D("3.35")  # 1% of 334.72 = 3.3472
    assert found["fine:1935-08-01..1935-08-31"] == D("29.69")  # 66.94 - 0.43 - 33.47 - 3.35
    slip = pay(graded(faulty, faults=[fault]), scale(extra)).slip("AS")
    assert slip is not None and slip.deducted == D("66.94") and slip.net == D("267.78")


def test_deductions_never_take_more_than_the_earnings() -> None:
    # 3 t in 6 h: 3 x 12/7 = 5.14 earned. A canteen charge of 25.00 with no cap in the scale
    # takes 5.14 (not 25.00: the net pay would be -19.86); the dues then find nothing left.
    extra = '[[deductions]]\ncode = "canteen"\namount = "25.00"\n'
    extra += '[[deductions]]\ncode = "dues"\npercent = "1"\n'
    slip = pay(graded(one_shift("3", crew("A", credited="3"))), scale(extra)).slip("A")
    assert slip is not None and slip.gross == D("5.14")
    assert [(d.code, d.amount) for d in slip.deductions] == [
        ("canteen", D("5.14")),
        ("dues", D("0.00")),
    ]
    assert slip.net == D("0.00")
    assert "capped: deductions never take more than the gross 5.14" in slip.deductions[0].explain


def test_a_slip_of_deduction_adjustments_only_writes_money_to_the_minor_unit() -> None:
    # A scale's canteen charge for an earlier period is corrected from 25.00 to 30.00 after
    # it closed; the worker earns nothing in this one: gross 0.00, deductions 5.00.
    correction = PayLine(
        "adjustment",
        "adjustment:1935-07-01..1935-07-31:canteen",
        D(1),
        "correction",
        D("5.00"),
        D("5.00"),
        "correction",
        "1935-07-01..1935-07-31:canteen",
    )
    document = PaySlip("A", "A", "RUB", AUGUST, (), (correction,)).as_dict()
    assert (document["gross"], document["total_deductions"], document["net"]) == (
        "0.00",
        "5.00",
        "-5.00",
    )


def test_deductions_count_the_period_s_own_earnings_not_adjustments() -> None:
    # 7 t in 6 h earns exactly 12.00. The slip also pays +100.00 for an earlier period, whose
    # dues were corrected there (+1.00). Dues here: 1% of 12.00 = 0.12, not of 112.00; the
    # canteen is capped at 10% of 12.00 = 1.20. Counting the 100.00 again would charge its
    # dues twice.
    extra = (
        '[[deductions]]\ncode = "dues"\npercent = "1"\n'
        '[[deductions]]\ncode = "canteen"\namount = "3.00"\ncap_percent = "10"\n'
    )
    earlier = "1935-07-01..1935-07-31"

    def adjustment(key: str, amount: str) -> PayLine:
        return PayLine(
            "adjustment",
            f"adjustment:{earlier}:{key}",
            D(1),
            "correction",
            D(amount),
            D(amount),
            "correction",
            f"{earlier}:{key}",
        )

    carried = Adjustments(
        "RUB", (adjustment("piece:S0:hewing", "100.00"),), (adjustment("dues:x", "1.00"),)
    )
    ledger = graded(one_shift("7", crew("A", credited="7")))
    slip = pay(ledger, scale(extra), adjustments={"A": carried}).slip("A")
    assert slip is not None and slip.gross == D("112.00")
    found = {line.code: line for line in slip.deductions}
    assert found["dues"].amount == D("0.12")
    assert "1% of this period's earnings 12.00 (gross 112.00 less 100.00" in found["dues"].explain
    assert found["canteen"].amount == D("1.20")
    assert found["adjustment"].amount == D("1.00")
    assert slip.deducted == D("2.32") and slip.net == D("109.68")


def test_problems_name_the_worker_grade_and_conflicting_scales() -> None:
    ledger = graded(stakhanov_shift(), grade="9")
    payroll = pay(ledger, scale())
    assert any("grade '9'" in p.message for p in payroll.problems)
    other = scale().__class__(**{**scale().__dict__, "name": "other"})
    clash = pay(graded(stakhanov_shift()), scale(), other)
    assert any("more than one scale" in p.message for p in clash.problems)
