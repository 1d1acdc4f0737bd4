"""Plan kinds besides marginal tiers: published worked examples to the cent, and properties.

Sources (the rules and figures; every figure is recomputed by hand in docs/plans.md):
- Halsey: catargettestprep.com, "Halsey Premium Plan" (standard 10 h, actual 8 h, 50/h);
  Halsey 40% and Rowan: studyx.ai homework 112907388 (standard 54 h, actual 40 h, 25/h).
- Emerson: yourarticlelibrary.com, "How to determine efficiency under Emerson's efficiency
  plan", illustration 1 (192 units in 12 h, 168 and 240 made, 0.75/h; 87% -> 7.56%).
- Task and bonus: scholarsclasses.com, "Gantt task and bonus plan" (5/h, 8 h task, 20%);
  tutorsglobe.com, "Gantt task and bonus system" (2/h, 10 h task, 20%).
- Differential: Merrick's bands (83% -> 110%, 100% -> 120%) as myz-vgb.ru states them; the
  page's own totals multiply the percent instead of the output, so the figures here are ours.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.pay_plans import Work, falls, plan_pay
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.rounding import rounded
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, PlanKind, ScaleBook
from stakhanov.domain.whatif import replay
from tests.ledgers import crew, ledgers, shift, worker
from tests.pay import amounts, graded, pay

D = Decimal
F = Fraction
CENT = D("0.01")


def plan_scale(tariff: str, extra: str) -> PayScale:
    text = (
        'name = "plan"\neffective_from = "1935-01-01"\ncurrency = "INR"\n'
        f'grades = {{ "5" = "{tariff}" }}\n{extra}'
    )
    parsed, problems = parse_scale(text, "plan.toml")
    assert parsed is not None, problems
    return parsed


def problems_of(extra: str) -> list[str]:
    text = 'name = "p"\neffective_from = "1935-01-01"\ncurrency = "INR"\n'
    parsed, problems = parse_scale(text + 'grades = { "5" = "2" }\n' + extra, "p.toml")
    assert parsed is None
    return [f"{p.source}: {p.column}: {p.message}" for p in problems]


def job(quantity: str, hours: str, norm: str, norm_hours: str, unit: str = "t") -> Ledger:
    """One worker, one shift: `quantity` made in `hours` on a norm of `norm` per `norm_hours`."""
    n = Norm("hewing", unit, NormKind.OUTPUT, D(norm), D(norm_hours), dt.date(1935, 1, 1))
    return graded(
        Ledger.of(
            workers=[worker("A")],
            norms=[n],
            shifts=[shift(hours=hours)],
            outputs=[MeasuredOutput("S1", "hewing", D(quantity), unit)],
            crew=[crew("A", hours=hours, credited=quantity)],
        )
    )


def paid(ledger: Ledger, scale: PayScale) -> Decimal:
    return amounts(pay(ledger, scale), "A")["piece:S1:hewing"]


def explain(ledger: Ledger, scale: PayScale) -> str:
    slip = pay(ledger, scale).slip("A")
    assert slip is not None
    return slip.lines[0].explain


HALSEY = 'plan = "halsey"\n[plan_terms]\nshare = "50"\n'
ROWAN = 'plan = "rowan"\n'
EMERSON = (
    'plan = "emerson"\n[plan_terms]\nbeyond = "1"\n'
    '[[efficiency]]\nat = "87"\nbonus = "7.56"\n[[efficiency]]\nat = "88"\nbonus = "8.32"\n'
    '[[efficiency]]\nat = "100"\nbonus = "20"\n'
)
GANTT = 'plan = "task-and-bonus"\n[plan_terms]\nbonus = "20"\n'
MERRICK = (
    'plan = "differential"\n[[tiers]]\nabove = 83\nmultiplier = "1.1"\n'
    '[[tiers]]\nabove = 100\nmultiplier = "1.2"\n'
)


def test_halsey_published_example() -> None:
    # Standard 10 h (10 units at 1 a hour) done in 8 h at 50/h: 8 x 50 + 50% x 2 x 50 = 450.
    scale = plan_scale("50", HALSEY)
    assert paid(job("10", "8", "1", "1"), scale) == D("450.00")
    assert "time saved 10 - 8 = 2 h x 50% x 50 = 50" in explain(job("10", "8", "1", "1"), scale)
    # Slower than standard: the time wage only.
    assert paid(job("6", "8", "1", "1"), scale) == D("400.00")


def test_halsey_forty_percent_and_rowan_published_example() -> None:
    # Standard 54 h, 40 h worked at 25/h: Halsey 40% 1000 + 0.4 x 14 x 25 = 1140;
    # Rowan 1000 + 1000 x 14 / 54 = 1259.259... -> 1259.26.
    work = Work(F(2160), F(0), F(54), F(40), D(25))
    assert rounded(plan_pay(plan_scale("25", HALSEY.replace("50", "40")), work).amount, CENT) == D(
        "1140.00"
    )
    assert rounded(plan_pay(plan_scale("25", ROWAN), work).amount, CENT) == D("1259.26")


def test_rowan_on_a_slip() -> None:
    # 8 h x 50 = 400 + 400 x 2 / 10 = 480.
    scale = plan_scale("50", ROWAN)
    assert paid(job("10", "8", "1", "1"), scale) == D("480.00")
    assert "+ 400 x time saved 2 h / standard 10 h = 80" in explain(job("10", "8", "1", "1"), scale)


def test_emerson_published_example() -> None:
    # 192 units is the 12 h standard. 168 made: 87.5%, the 87% step: 9.00 x 7.56% = 0.6804,
    # 9.6804 -> 9.68. 240 made: 125%: 20% + 25 x 1% = 45%: 9.00 x 1.45 = 13.05.
    scale = plan_scale("0.75", EMERSON)
    assert paid(job("168", "12", "192", "12"), scale) == D("9.68")
    assert paid(job("240", "12", "192", "12"), scale) == D("13.05")
    assert paid(job("120", "12", "192", "12"), scale) == D("9.00")  # 62.5%: no bonus


def test_task_and_bonus_published_examples() -> None:
    # Task 8 h at 5/h, 20%: 10 h -> 50 (time wage); 8 h and 6 h -> 8 x 5 x 1.2 = 48.
    scale = plan_scale("5", GANTT)
    assert [paid(job("1", h, "1", "8"), scale) for h in ("10", "8", "6")] == [
        D("50.00"),
        D("48.00"),
        D("48.00"),
    ]
    # Task 10 h at 2/h, 20%: 12 h -> 24; 10 h -> 24; 8 h -> 24.
    scale = plan_scale("2", GANTT)
    assert {paid(job("1", h, "1", "10"), scale) for h in ("12", "10", "8")} == {D("24.00")}
    assert "below task: guaranteed time wage 12 h x 2 = 24" in explain(
        job("1", "12", "1", "10"), scale
    )


def test_merrick_differential_applies_the_band_to_all_units() -> None:
    # 200 units a 8 h shift at 2.50/h: piece rate 0.10. 160 (80%) x 0.10 = 16.00;
    # 180 (90%) x 0.10 x 1.1 = 19.80; 220 (110%) x 0.10 x 1.2 = 26.40.
    scale = plan_scale("2.50", MERRICK)
    got = [paid(job(q, "8", "200", "8"), scale) for q in ("160", "180", "220")]
    assert got == [D("16.00"), D("19.80"), D("26.40")]
    assert "band x1.1 on all units: 180 x 0.1 x 1.1 = 19.8" in explain(
        job("180", "8", "200", "8"), scale
    )
    assert falls(scale) == []


def test_taylor_bands_below_100_and_below_one() -> None:
    scale = plan_scale(
        "2.50",
        'plan = "differential"\n[[tiers]]\nabove = 0\nmultiplier = "0.8"\n'
        '[[tiers]]\nabove = 100\nmultiplier = "1.25"\n',
    )
    assert paid(job("180", "8", "200", "8"), scale) == D("14.40")
    assert paid(job("200", "8", "200", "8"), scale) == D("25.00")


def test_falling_pay_is_refused_unless_allowed_with_a_reason() -> None:
    bands = 'plan = "differential"\n[[tiers]]\nabove = 83\nmultiplier = "0.9"\n'
    (message,) = problems_of(bands)
    assert message.startswith("p.toml:5: plan: pay falls at 83% of the norm")
    assert "up to 92.2%" in message  # 83 / 0.9: where the band catches up
    assert problems_of(bands + "[plan_terms]\nallow_falling = true\n") == [
        "p.toml:9: plan_terms.falling_reason: is required when allow_falling = true"
    ]
    allowed = plan_scale(
        "2", bands + '[plan_terms]\nallow_falling = true\nfalling_reason = "a penalty band"\n'
    )
    (fall,) = falls(allowed)
    assert (fall.at, fall.until) == (F(83), F(830, 9))
    emerson = 'plan = "emerson"\n[[efficiency]]\nat = 80\nbonus = 10\n'
    emerson += "[[efficiency]]\nat = 90\nbonus = 5\n"
    assert (
        "pay falls at 90%" in problems_of(emerson)[0]
        and "up to every output" in problems_of(emerson)[0]
    )


def test_plan_terms_are_checked() -> None:
    assert any("plan_terms.share: is required" in p for p in problems_of('plan = "halsey"\n'))
    assert any("bonus: is required" in p for p in problems_of('plan = "task-and-bonus"\n'))
    assert any(
        "has no tiers" in p
        for p in problems_of('plan = "rowan"\n[[tiers]]\nabove = 100\nmultiplier = 2\n')
    )
    assert any("basis" in p for p in problems_of('plan = "rowan"\nbasis = "period"\n'))
    assert any("[[efficiency]]" in p for p in problems_of('plan = "emerson"\n'))
    assert any("must be one of" in p for p in problems_of('plan = "piecemeal"\n'))


# --- properties ---------------------------------------------------------------------------

money = st.integers(min_value=1, max_value=10_000).map(lambda cents: D(cents) / 100)
hours = st.integers(min_value=1, max_value=12).map(F)
outputs = st.integers(min_value=0, max_value=400)


def time_plans() -> st.SearchStrategy[PayScale]:
    return st.sampled_from(
        [
            plan_scale("1", HALSEY),
            plan_scale("1", ROWAN),
            plan_scale("1", EMERSON),
            plan_scale("1", GANTT),
        ]
    )


@given(time_plans(), money, hours, outputs, outputs)
def test_time_plans_never_pay_less_for_more(
    scale: PayScale, w: Decimal, t: F, a: int, b: int
) -> None:
    low, high = sorted((a, b))
    norm = F(10)  # units an hour
    one = plan_pay(scale, Work(F(low), F(0), F(low) / norm, t, w)).amount
    two = plan_pay(scale, Work(F(high), F(0), F(high) / norm, t, w)).amount
    assert one <= two
    assert one >= t * F(w)  # the time wage is guaranteed


@given(money, hours)
def test_halsey_and_rowan_are_continuous_at_the_standard(w: Decimal, t: F) -> None:
    at = Work(F(1), F(0), t, t, w)
    for text in (HALSEY, ROWAN):
        assert plan_pay(plan_scale("1", text), at).amount == t * F(w)


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(1, 300)),
        min_size=1,
        max_size=4,
        unique_by=lambda x: x[0],
    ),
    st.integers(1, 400),
)
def test_differential_jumps_only_where_bands_begin(bands: list[tuple[int, int]], q: int) -> None:
    bands.sort()
    text = 'plan = "differential"\n[plan_terms]\nallow_falling = true\nfalling_reason = "probe"\n'
    for above, m in bands:
        text += f'[[tiers]]\nabove = {above}\nmultiplier = "{D(m) / 100}"\n'
    scale = plan_scale("1", text)
    rate, t = F(1, 10), F(8)

    def pay_at(quantity: F) -> F:
        return plan_pay(scale, Work(quantity, rate, quantity / 10, t, D(1))).amount

    # The percent is q / 80 x 100; at a band's start the jump is the threshold output x rate x
    # (its multiplier - the one below), and just past it pay is linear again.
    previous = F(1)
    for above, m in bands:
        threshold = F(above) * 80 / 100
        if threshold == 0:
            previous = F(m, 100)
            continue
        left = threshold * rate * previous
        assert pay_at(threshold) - left == threshold * rate * (F(m, 100) - previous)
        previous = F(m, 100)
    dropping = falls(scale)
    if not dropping:
        assert pay_at(F(q)) <= pay_at(F(q + 1))
    for fall in dropping:
        just_below = fall.at * 80 / 100 - F(1, 10**9)  # the left limit, nearly
        assert pay_at(fall.at * 80 / 100) < pay_at(just_below)


@given(
    st.sampled_from([HALSEY, ROWAN, EMERSON, GANTT, MERRICK]),
    st.integers(1, 400),
    st.integers(1, 12),
)
def test_slips_add_up(text: str, quantity: int, hours_worked: int) -> None:
    scale = plan_scale("2.50", text)
    assert scale.plan.kind is not PlanKind.MARGINAL and not scale.engine_computable
    slip = pay(job(str(quantity), str(hours_worked), "200", "8"), scale).slip("A")
    assert slip is not None and slip.lines
    assert slip.gross == sum((line.amount for line in slip.lines), D(0))
    assert all(line.amount == line.amount.quantize(CENT) for line in slip.lines)


# --- rate cards ---------------------------------------------------------------------------

ONE_CARD = '[[rates]]\noperation = "hewing"\nrate = "0.76"\nper = "piece"\nfrom = "1935-08-01"\n'
CARDS = (
    ONE_CARD
    + '[[rates]]\noperation = "hewing"\nrate = "0.80"\nper = "piece"\nfrom = "1935-08-01"\n'
    'grade = "4"\n'
)


def test_a_rate_card_pays_its_rate_exactly() -> None:
    # 0.76 per item, written as 0.76: 100 pieces = 76.00, whatever the tariff and norm say.
    scale = plan_scale(
        "2.00", CARDS.split("[[rates]]")[0] + "[[rates]]" + CARDS.split("[[rates]]")[1]
    )
    assert not scale.engine_computable
    ledger = job("100", "8", "90", "8", unit="piece")
    assert paid(ledger, scale) == D("76.00")
    assert "piece rate = rate card hewing from 1935-08-01: 0.76 per piece" in explain(ledger, scale)


def test_a_rate_card_starts_on_its_date_and_a_grade_has_its_own() -> None:
    text = 'name = "c"\neffective_from = "1935-01-01"\ncurrency = "GBP"\n'
    text += 'grades = { "5" = "2.00", "4" = "1.70" }\n' + CARDS
    scale, problems = parse_scale(text, "c.toml")
    assert scale is not None, problems
    august = job("100", "8", "100", "8", unit="piece")
    assert paid(august, scale) == D("76.00")
    assert paid(graded(august, "4"), scale) == D("80.00")  # grade 4's own card
    july = scale.rate_card("hewing", "5", dt.date(1935, 7, 31))
    assert july is None  # before the card: tariff x norm (2.00 x 8 h / 100 = 0.16)


def test_a_rate_card_converts_its_unit_to_the_norms() -> None:
    # 0.0005 per kg is 0.5 per t: 12 t = 6.00.
    card = '[[rates]]\noperation = "hewing"\nrate = "0.0005"\nper = "kg"\nfrom = "1935-01-01"\n'
    ledger = job("12", "6", "7", "6")
    assert paid(ledger, plan_scale("2", card)) == D("6.00")
    assert "0.0005 per kg x 1000 kg per t" in explain(ledger, plan_scale("2", card))


def test_rate_cards_are_checked() -> None:
    card = '[[rates]]\noperation = "hewing"\nrate = "0.76"\nper = "{per}"\nfrom = "1935-01-01"\n'
    assert any("not a known unit" in p for p in problems_of(card.format(per="widget")))
    assert any(
        "grade '9' is not in [grades]" in p
        for p in problems_of(card.format(per="piece") + 'grade = "9"\n')
    )
    assert any("is required" in p for p in problems_of('[[rates]]\noperation = "hewing"\n'))


def test_a_reject_fault_is_deducted_at_the_rate_card() -> None:
    # 0.5 t rejected through the worker's fault x card 0.76 per t x 0.5 = 0.19.
    card = '[[rates]]\noperation = "hewing"\nrate = "0.76"\nper = "t"\nfrom = "1935-01-01"\n'
    n = Norm("hewing", "t", NormKind.OUTPUT, D(7), D(6), dt.date(1935, 1, 1))
    ledger = graded(
        Ledger.of(
            workers=[worker("A")],
            norms=[n],
            shifts=[shift()],
            outputs=[MeasuredOutput("S1", "hewing", D(7), "t", D("0.5"))],
            crew=[crew("A", credited="7")],
        ),
        faults=[RejectFault("S1", "hewing", "A", D("0.5"), "stone")],
    )
    scale = plan_scale("2", card + '[rejects]\ndeduction = "0.5"\n')
    slip = pay(ledger, scale).slip("A")
    assert slip is not None
    assert amounts(pay(ledger, scale), "A")["reject-fault:S1:hewing"] == D("0.19")
    assert "x piece rate 0.76 x 0.5 = 0.19" in slip.deductions[0].explain


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.sampled_from([HALSEY, ROWAN, EMERSON, GANTT, MERRICK]))
def test_random_ledgers_under_each_plan_add_up_and_replay_unchanged(
    case: tuple[Ledger, dt.date, dt.date], text: str
) -> None:
    ledger, start, end = case
    scale = plan_scale("2.00", text)
    ledger = graded(ledger)
    period = Period(start, end)
    payroll = compute_payroll(ledger, period, ScaleBook.of([scale]))
    for slip in payroll.slips:
        assert slip.gross == sum((line.amount for line in slip.lines), D(0))
    same = replay(ledger, period, ScaleBook.of([scale]), scale)
    assert same.change == 0 and same.losers == 0 and same.falls == ()
