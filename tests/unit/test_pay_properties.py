"""Properties of pay, probed with random scales and ledgers (hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.payroll import Adjustments
from stakhanov.domain.payslips import PayLine, total
from stakhanov.domain.piecework import piece_rate, progressive_pay
from stakhanov.domain.scales import (
    Basis,
    Bonus,
    BonusPer,
    Deduction,
    PayScale,
    PercentRule,
    ScaleBook,
    Tier,
)
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.whatif import replay
from tests.ledgers import crew, worker
from tests.pay import AUGUST, amounts, pay

D = Decimal
money = st.decimals(D("0.10"), D("30"), places=2)
multipliers = st.decimals(D("0.5"), D("4"), places=2)


@st.composite
def tier_lists(draw: st.DrawFn, rising: bool = False) -> tuple[Tier, ...]:
    aboves = sorted(set(draw(st.lists(st.integers(100, 400), max_size=4))))
    values = [draw(multipliers) for _ in aboves]
    if rising:
        values = sorted(v + 1 for v in values)
    return tuple(Tier(D(a), m) for a, m in zip(aboves, values, strict=True))


@st.composite
def norms(draw: st.DrawFn) -> Norm:
    if draw(st.booleans()):
        return Norm(
            "hewing",
            "t",
            NormKind.OUTPUT,
            draw(st.decimals(D("0.5"), D(40), places=1)),
            draw(st.decimals(D(1), D(12), places=2)),
            dt.date(1935, 1, 1),
            ("timbering",),
        )
    minutes = draw(st.integers(1, 30)) * 3
    return Norm("hewing", "t", NormKind.TIME, D(minutes), None, dt.date(1935, 1, 1))


@st.composite
def scales(draw: st.DrawFn, rising: bool = True) -> PayScale:
    extras = {}
    if draw(st.booleans()):
        extras["minimum_wage"] = draw(money)
    if draw(st.booleans()):
        extras["bonuses"] = (
            Bonus("record", "record", BonusPer.SHIFT, amount=draw(money), conditions="prepared"),
            Bonus("month", "month", BonusPer.PERIOD, percent=draw(money)),
        )
    if draw(st.booleans()):
        extras["deductions"] = (
            Deduction("dues", "dues", percent=D(1)),
            Deduction("loan", "loan", amount=draw(money), cap_percent=D(10)),
            Deduction("fine", "fine", amount=draw(money)),  # no cap of its own
        )
        if draw(st.booleans()):
            extras["deduction_cap"] = D(20)
    return PayScale(
        "random",
        dt.date(1935, 1, 1),
        "RUB",
        (("5", draw(money)),),
        draw(tier_lists(rising)),
        basis=draw(st.sampled_from(Basis)),
        percent=draw(st.sampled_from(PercentRule)),
        time_work=draw(st.sampled_from((None, D(1)))),
        **extras,  # type: ignore[arg-type]
    )


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    norm = draw(norms())
    shifts, outputs, entries = [], [], []
    for number in range(draw(st.integers(1, 5))):
        shift_id = f"S{number}"
        day = dt.date(1935, 8, draw(st.integers(1, 31)))
        hours = draw(st.decimals(D(1), D(8), places=1))
        prepared = draw(st.booleans())
        conditions = Conditions.PREPARED if prepared else Conditions.STANDARD
        shifts.append(Shift(shift_id, day, hours, "Mine/S1/B1", conditions))
        quantity = draw(st.decimals(D(0), D(60), places=1))
        outputs.append(MeasuredOutput(shift_id, "hewing", quantity, "t"))
        hewers = draw(st.sampled_from((["A"], ["A", "B"], ["B"])))
        entries += [crew(h, hours=str(hours), shift_id=shift_id) for h in hewers]
        if draw(st.booleans()):
            entries.append(crew("T", "timbering", str(hours), shift_id=shift_id))
    return Ledger.of(
        workers=[worker(w).__class__(w, f"W {w}", "Mine/S1/B1", grade="5") for w in "ABT"],
        norms=[norm],
        shifts=shifts,
        outputs=outputs,
        crew=entries,
    )


@given(tier_lists(), money, st.fractions(0, 500), st.fractions(0, 500), st.fractions(1, 500))
def test_pay_never_falls_as_output_rises(
    tiers: tuple[Tier, ...], rate: Decimal, a: Fraction, b: Fraction, norm: Fraction
) -> None:
    low, high = sorted((a, b))
    assert progressive_pay(Fraction(rate), tiers, low, low / norm * 100) <= progressive_pay(
        Fraction(rate), tiers, high, high / norm * 100
    )


@given(tier_lists(), money, st.fractions(1, 100), st.integers(1, 10**6))
def test_pay_is_continuous_at_tier_boundaries(
    tiers: tuple[Tier, ...], rate: Decimal, norm: Fraction, scale: int
) -> None:
    epsilon = Fraction(1, scale * 1000)
    steepest = Fraction(rate) * max([Fraction(1), *(Fraction(t.multiplier) for t in tiers)])

    def paid(quantity: Fraction) -> Fraction:
        return progressive_pay(Fraction(rate), tiers, quantity, quantity / norm * 100)

    for tier in tiers:
        boundary = norm * Fraction(tier.above) / 100
        assert abs(paid(boundary + epsilon) - paid(boundary)) <= steepest * epsilon
        assert abs(paid(boundary) - paid(boundary - epsilon)) <= steepest * epsilon


@given(scales(), ledgers(), st.integers(1, 5))
@settings(max_examples=60, deadline=None)
def test_rounded_pay_never_falls_as_output_rises(
    scale: PayScale, ledger: Ledger, factor: int
) -> None:
    more = Ledger.of(
        workers=ledger.workers.values(),
        norms=ledger.norms,
        shifts=ledger.shifts.values(),
        outputs=[
            MeasuredOutput(o.shift_id, o.operation, o.quantity * factor, o.unit)
            for o in ledger.outputs.values()
        ],
        crew=ledger.crew,
    )
    before, after = pay(ledger, scale), pay(more, scale)
    for slip in before.slips:
        richer = after.slip(slip.worker_id)
        assert richer is not None and richer.gross >= slip.gross


@given(norms(), money, st.integers(1, 40), st.booleans())
def test_exactly_100_percent_earns_exactly_the_tariff(
    norm: Norm, tariff: Decimal, units: int, stated: bool
) -> None:
    if norm.kind is NormKind.TIME:
        quantity = D(units)
        hours = quantity * norm.norm / 60
    else:
        assert norm.norm_hours is not None
        hours = norm.norm_hours
        quantity = norm.norm
    if not D(0) < hours <= 24:
        return
    ledger = Ledger.of(
        workers=[worker("A").__class__("A", "A", "Mine/S1/B1", grade="5")],
        norms=[norm],
        shifts=[Shift("S1", dt.date(1935, 8, 5), hours, "Mine/S1/B1")],
        outputs=[MeasuredOutput("S1", "hewing", quantity, "t")],
        crew=[crew("A", hours=str(hours), credited=str(quantity))],
    )
    tiers = (Tier(D(100), D(2)), Tier(D(150), D(3)))
    rule = PercentRule.STATED if stated else PercentRule.AUTO
    scale = PayScale("s", dt.date(1935, 1, 1), "RUB", (("5", tariff),), tiers, percent=rule)
    slip = pay(ledger, scale).slip("A")
    assert slip is not None
    assert [line.code for line in slip.lines] == ["piece"]
    exact = piece_rate(norm, tariff) * Fraction(quantity)
    assert exact == Fraction(tariff) * Fraction(hours)
    assert slip.gross == (tariff * hours).quantize(D("0.01"), ROUND_HALF_UP)


@given(scales(rising=False), ledgers())
@settings(max_examples=80, deadline=None)
def test_slips_add_up_and_period_totals_are_the_sum_of_slips(
    scale: PayScale, ledger: Ledger
) -> None:
    payroll = pay(ledger, scale)
    assert payroll.problems == ()
    for slip in payroll.slips:
        assert slip.gross == total(slip.lines)
        assert slip.deducted == total(slip.deductions)
        assert slip.net == slip.gross - slip.deducted
        for line in (*slip.lines, *slip.deductions):
            assert line.amount == line.amount.quantize(D("0.01"))
        if scale.deduction_cap is not None:
            assert slip.deducted <= max(slip.gross, D(0)) * scale.deduction_cap / 100
        assert slip.net >= 0  # deductions never take more than the earnings
    assert payroll.gross == sum((s.gross for s in payroll.slips), D(0))
    assert payroll.net == sum((s.net for s in payroll.slips), D(0))


@given(scales(rising=False), ledgers())
@settings(max_examples=40, deadline=None)
def test_replay_with_the_unchanged_scale_and_norms_changes_nothing(
    scale: PayScale, ledger: Ledger
) -> None:
    book = ScaleBook.of([scale])
    report = replay(ledger, AUGUST, book, scale, list(ledger.norms.norms))
    assert report.change == 0 and report.losers == 0
    assert all(w.change == 0 and w.old_percent == w.new_percent for w in report.workers)
    assert report.make_up(False) == report.make_up(True)
    assert report.old_total == pay(ledger, scale).gross


@given(scales(rising=False), ledgers(), st.integers(2, 31))
@settings(max_examples=60, deadline=None)
def test_a_new_version_with_the_same_terms_changes_no_pay(
    scale: PayScale, ledger: Ledger, day: int
) -> None:
    """A scale version taking effect mid-period with unchanged terms pays the same: per-shift
    lines and period bonuses exactly, period tiers (split per version) to a cent per tier."""
    same = replace(scale, effective_from=dt.date(1935, 8, day))
    once, split = pay(ledger, scale), pay(ledger, scale, same)
    assert split.problems == ()
    for slip in once.slips:
        other = split.slip(slip.worker_id)
        assert other is not None
        if scale.basis is Basis.SHIFT:
            assert amounts(split, slip.worker_id) == amounts(once, slip.worker_id)
            assert (other.gross, other.net) == (slip.gross, slip.net)
        else:
            rounding = D("0.01") * len(scale.tiers)
            assert abs(other.gross - slip.gross) <= rounding
            codes = [line.code for line in slip.lines if not line.code.startswith("tier-")]
            assert [line.code for line in other.lines if not line.code.startswith("tier-")] == (
                codes
            )


@given(scales(rising=False), ledgers(), st.lists(money, max_size=3))
@settings(max_examples=60, deadline=None)
def test_adjustments_of_earlier_periods_change_no_deduction_of_this_one(
    scale: PayScale, ledger: Ledger, corrections: list[Decimal]
) -> None:
    """Paying corrections of an earlier period (whose own deductions are adjusted with it)
    leaves this period's deductions as they were, and adds exactly their amounts to gross."""
    plain = pay(ledger, scale)
    lines = tuple(
        PayLine("adjustment", f"adjustment:p:{i}", D(1), "correction", a, a, "c", f"p:{i}")
        for i, a in enumerate(corrections)
    )
    adjusted = pay(
        ledger,
        scale,
        adjustments={s.worker_id: Adjustments("RUB", lines) for s in plain.slips},
    )
    for slip in plain.slips:
        other = adjusted.slip(slip.worker_id)
        assert other is not None
        assert other.gross == slip.gross + sum(corrections, D(0))
        assert [(d.key, d.amount) for d in other.deductions] == [
            (d.key, d.amount) for d in slip.deductions
        ]
