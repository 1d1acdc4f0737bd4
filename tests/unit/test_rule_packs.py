"""Rule packs: each bundled pack's worked examples to the cent, and the merge rule's refusals.

The examples are recomputed by hand in docs/rule-packs.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from stakhanov.data.rulepacks import bundled_packs, pack_text
from stakhanov.domain.fair_rate import fair_piece_rate
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import Payroll, compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from tests.unit.test_overtime import MONDAY, lines, pay, week

D = Decimal
JUNE_2026 = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30))
MONDAY_2026 = dt.date(2026, 6, 1)


def pay_2026(ledger: Ledger, scale: PayScale) -> Payroll:
    return compute_payroll(ledger, JUNE_2026, ScaleBook.of([scale]))


def packed(
    pack: str, version: str, extra: str = "", start: str = "2024-01-01", top: str = ""
) -> str:
    return f"""name = "packed"
effective_from = "{start}"
{top}[pack]
name = "{pack}"
version = "{version}"
[grades]
"A" = "8.00"
{extra}"""


def parsed(text: str) -> PayScale:
    scale, problems = parse_scale(text, "packed.toml", pack_text)
    assert scale is not None, problems
    return scale


def problems(text: str) -> list[str]:
    scale, found = parse_scale(text, "packed.toml", pack_text)
    assert scale is None
    return [f"{p.source.row if p.source else 0} {p.column}: {p.message}" for p in found]


def test_every_bundled_pack_makes_a_scale_and_cites_its_sources() -> None:
    packs = bundled_packs()
    assert {(p.name, p.version) for p in packs} >= {
        ("us-federal", "2026"),
        ("us-california", "2026"),
        ("uk-nmw", "2025"),
        ("uk-nmw", "2026"),
        ("ru-labour-code", "2026"),
        ("ru-labour-code", "2026.2"),
        ("su-1935", "1"),
    }
    for pack in packs:
        assert pack.sources and pack.contributes()
        scale = parsed(packed(pack.name, pack.version, start=pack.valid_from))
        assert scale.currency == pack.scale["currency"]


def test_us_federal_778_111_a_and_b_to_the_cent() -> None:
    # 29 CFR 778.111(a): $491 piece work in 46 h, 4 h waiting at $8.00; pay 575.30.
    scale = parsed(packed("us-federal", "2026", '[rest]\nnonproductive = "tariff"\n'))
    assert scale.minimum_wage == D("7.25") and scale.overtime is not None
    wait = [TimeEntry("P", MONDAY + dt.timedelta(days=5), TimeKind.NONPRODUCTIVE, "sewing", D(4))]
    slip = pay(week([("9.2", "98.2")] * 5, "8.00", wait), scale).slip("P")
    assert slip is not None and slip.gross == D("575.30")
    # 778.111(b): guaranteed $11.00 for productive hours; 46 h earning $491 pays 539.00.
    guarantee = '[[guarantees]]\nper = "week"\nhours = "productive"\nrate = "tariff"\n'
    scale = parsed(packed("us-federal", "2026", guarantee).replace('"8.00"', '"11.00"'))
    slip = pay(week([("9.2", "98.2")] * 5, "11.00"), scale).slip("P")
    assert slip is not None and slip.gross == D("539.00")


def test_california_daily_overtime_on_the_regular_rate() -> None:
    # Labor Code 510: one day of 13 h earning $260 at piece rates. Regular rate 20.00;
    # 4 h x 20.00 x 0.5 = 40.00 and 1 h x 20.00 x 1 = 20.00: the day pays 320.00.
    scale = parsed(packed("us-california", "2026", start="2026-01-01").replace('"8.00"', '"1.00"'))
    found = lines(pay_2026(week([("13", "260")], "1.00", start=MONDAY_2026), scale))
    assert found["overtime-1.5:2026-06-01"] == D("40.00")
    assert found["overtime-2:2026-06-01"] == D("20.00")
    assert sum(found.values()) == D("320.00")


def test_california_rest_at_the_average_of_all_pay_with_the_2026_floor() -> None:
    # DIR AB 1513 FAQ's method: 5 days of 7 h 40 min work and 20 min rest; $800 piece pay.
    # 800 / (40 - 5/3) h = $20.87 an hour, above the $16.90 floor (hours held at six places:
    # 800 / 38.333335 = 20.869564).
    days = [("7.666667", "160")] * 5
    rests = [
        TimeEntry("P", MONDAY_2026 + dt.timedelta(days=i), TimeKind.REST, "sewing", D("0.333333"))
        for i in range(5)
    ]
    scale = parsed(packed("us-california", "2026", start="2026-01-01").replace('"8.00"', '"1.00"'))
    slip = pay_2026(week(days, "1.00", rests, start=MONDAY_2026), scale).slip("P")
    assert slip is not None
    rest = [line for line in slip.lines if line.code == "rest"]
    assert {line.rate for line in rest} == {D("20.869564")}
    assert sum(line.amount for line in rest) == D("34.80")  # 5 x 0.333333 h x 20.869564


def test_russian_overtime_first_two_hours_half_then_whole_tariff() -> None:
    # Art. 152 and the 1966 clarification: tariff 200.00, a day of 11 h: 3 h over 8.
    # Surcharge 2 h x 200.00 x 0.5 = 200.00 and 1 h x 200.00 x 1 = 200.00.
    scale = parsed(packed("ru-labour-code", "2026").replace('"8.00"', '"200.00"'))
    found = lines(pay(week([("11", "2400")], "200.00"), scale))
    assert found["overtime-1.5:2024-06-03"] == D("200.00")
    assert found["overtime-2:2024-06-03"] == D("200.00")
    assert scale.guarantee is not None and scale.guarantee >= Fraction(2, 3)


def test_a_shipped_russian_version_keeps_its_rules_and_the_next_adds_the_average_wage() -> None:
    # 2026 was shipped without [idle_time]; the average wage came as 2026.2, not as an edit.
    first = parsed(packed("ru-labour-code", "2026"))
    second = parsed(packed("ru-labour-code", "2026.2"))
    assert first.idle_time is None
    assert second.idle_time is not None and second.idle_time != first.idle_time
    assert (first.guarantee, first.overtime) == (second.guarantee, second.overtime)


def test_uk_fair_piece_rate_from_the_packs_minimum_wage() -> None:
    # 120% x 12.21 / 20 items an hour = 0.7326 a piece (2025); x 12.71 = 0.7626 (2026).
    for version, expected in (("2025", "0.7326"), ("2026", "0.7626")):
        scale = parsed(packed("uk-nmw", version, start=f"{version}-04-01"))
        assert scale.minimum_wage is not None
        assert fair_piece_rate(scale.minimum_wage, Fraction(20)) == Fraction(D(expected))


def test_a_scale_adds_its_own_rules_to_the_pack() -> None:
    extra = '[[bonuses]]\ncode = "record"\nper = "shift"\namount = "50"\nconditions = "prepared"\n'
    scale = parsed(packed("su-1935", "1", extra, start="1935-09-01"))
    assert [t.multiplier for t in scale.tiers] == [D("1.5"), D(2)]
    assert [b.code for b in scale.bonuses] == ["record"]
    assert scale.reject_deduction == D("0.5")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "[overtime]\nweek_hours = 35\n",
            "9 overtime.week_hours: conflicts with rule pack us-federal 2026, which sets it to 40",
        ),
        ("", "3 currency: conflicts with rule pack us-federal 2026, which sets it to USD"),
        ("[[tiers]]\nabove = 120\nmultiplier = 2\n", "8 tiers: conflicts with rule pack"),
    ],
)
def test_a_conflict_names_the_key_its_line_and_the_pack(extra: str, expected: str) -> None:
    text = packed("us-federal", "2026", extra, top="" if extra else 'currency = "EUR"\n')
    if "tiers" in extra:
        text = packed("su-1935", "1", extra)
    assert any(p.startswith(expected) for p in problems(text)), problems(text)


def test_the_same_value_is_no_conflict_and_a_key_may_be_added() -> None:
    scale = parsed(
        packed("us-federal", "2026", "[minimum_wage]\nhourly = 7.25\n", top='currency = "USD"\n')
    )
    assert scale.minimum_wage == D("7.25")
    scale = parsed(packed("us-federal", "2026", "[overtime]\nday_hours = 10\n"))
    assert scale.overtime is not None and scale.overtime.day_hours == D(10)


def test_unknown_packs_versions_and_dates_are_refused_at_their_lines() -> None:
    assert problems(packed("us-texas", "2026"))[0].startswith("4 pack.name: no rule pack us-texas")
    assert problems(packed("us-federal", "1999"))[0].startswith("4 pack.name: no rule pack")
    assert problems(packed("../scales/coal-1935", "x"))[0].startswith("4 pack.name")
    early = problems(packed("us-california", "2026", start="2025-06-01"))
    assert early[0].startswith("2 effective_from: is before rule pack us-california 2026")
    no_version = 'name = "x"\neffective_from = "2026-01-01"\n[pack]\nname = "us-federal"\n'
    assert problems(no_version)[0].startswith("3 pack.version: is required")


def test_without_the_bundled_packs_a_pack_is_unknown() -> None:
    scale, found = parse_scale(packed("us-federal", "2026"), "packed.toml")
    assert scale is None and "no rule pack us-federal 2026" in found[0].message


def test_soviet_1935_progressive_tiers_per_shift() -> None:
    # Tariff 2.00, norm 2 t an hour: 14 t in 7 h at 1.00 a tonne; 23.8 t is 170%.
    # 14 x 1.00 + 7 x 1.00 x 1.5 + 2.8 x 1.00 x 2 = 14.00 + 10.50 + 5.60 = 30.10.
    scale = parsed(packed("su-1935", "1", start="1935-01-01").replace('"8.00"', '"2.00"'))
    slip = pay(week([("7", "23.8")], "2.00"), scale).slip("P")
    assert slip is not None and slip.gross == D("30.10")
