"""Pay scale files: the contract's core, the extensions, and located errors naming the key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stakhanov.data import preset_scales
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import Basis, BonusPer, PercentRule, RestPay, ScaleBook
from tests.pay import scale, scale_text

CONTRACT_EXAMPLE = """
name = "coal-1935"
effective_from = "1935-01-01"
currency = "RUB"
operations = ["hewing"]   # omitted: every operation
basis = "shift"
percent = "auto"
[grades]
"4" = "1.70"
"5" = "2.00"
[[tiers]]
above = 100
multiplier = "1.5"
[[tiers]]
above = 150
multiplier = "2"
"""


def errors(text: str) -> list[str]:
    parsed, problems = parse_scale(text, "s.toml")
    assert parsed is None
    return [str(p) for p in problems]


def test_the_design_example_parses_exactly() -> None:
    parsed, problems = parse_scale(CONTRACT_EXAMPLE, "s.toml")
    assert problems == [] and parsed is not None
    assert parsed.effective_from == dt.date(1935, 1, 1)
    assert parsed.operations == ("hewing",)
    assert parsed.basis is Basis.SHIFT and parsed.percent is PercentRule.AUTO
    assert parsed.tariff("5") == Decimal("2.00") and str(parsed.tariff("4")) == "1.70"
    assert [(t.above, t.multiplier) for t in parsed.tiers] == [(100, Decimal("1.5")), (150, 2)]
    assert parsed.tariff("9") is None and parsed.covers("hewing") and not parsed.covers("haulage")


def test_extensions_parse() -> None:
    parsed = scale(
        """
[time_work]
fraction = "1"
[guarantee]
fraction = "0.6667"
[rest]
pay = "average"
[minimum_wage]
hourly = "1.17"
week_starts = "sunday"
[rejects]
deduction = "0.5"
[[bonuses]]
code = "record"
per = "shift"
conditions = "prepared"
amount = "50.00"
[[bonuses]]
code = "monthly"
per = "period"
min_percent = 120
percent = "5"
[[deductions]]
code = "union"
percent = "1"
cap_percent = "2"
[deduction_cap]
percent = "20"
"""
    )
    assert parsed.guarantee == Decimal("0.6667") and parsed.rest is RestPay.AVERAGE
    assert parsed.minimum_wage == Decimal("1.17") and parsed.week_starts == 6
    assert [b.per for b in parsed.bonuses] == [BonusPer.SHIFT, BonusPer.PERIOD]
    assert parsed.bonuses[1].min_percent == 120 and parsed.deduction_cap == 20
    assert parsed.deductions[0].cap_percent == 2 and parsed.reject_deduction == Decimal("0.5")


def test_unknown_keys_are_errors_naming_the_key_and_line() -> None:
    text = scale_text(
        'colour = "red"\n[[bonuses]]\ncode = "x"\nper = "shift"\namount = 1\nwhen = 2\n'
    )
    found = errors(text.replace('name = "test"', 'name = "test"\nshade = 1'))
    assert any(e.startswith("s.toml:3:shade: unknown key 'shade'") for e in found), found
    # TOML puts a key after [[tiers]] into that tier: the error says so.
    assert any(e.startswith("s.toml:17:tiers[2].colour: unknown key 'colour'") for e in found)
    assert any(e.startswith("s.toml:22:bonuses[1].when: unknown key 'when'") for e in found)
    # An unknown table is located at its header.
    found = errors(scale_text("[holidays]\nfactor = 2\n"))
    assert any(e.startswith("s.toml:16:holidays: unknown key 'holidays'") for e in found), found


def test_every_problem_is_reported_at_once() -> None:
    text = scale_text(
        '[[tiers]]\nabove = 120\nmultiplier = "-1"\n[minimum_wage]\nhourly = "x"\n'
        '[[deductions]]\ncode = "d"\namount = "1"\npercent = "2"\n'
    )
    found = errors(text.replace('currency = "RUB"', 'currency = "roubles"'))
    assert 's.toml:4:currency: must be a three-letter currency code like "RUB"' in found
    assert any("tiers[3].multiplier: must be more than 0" in e for e in found)
    assert any("minimum_wage.hourly: is not a number" in e for e in found)
    assert any("deductions[1]: give exactly one of amount or percent" in e for e in found)


def test_tiers_start_at_100_and_rise() -> None:
    found = errors(scale_text().replace("above = 100", "above = 90"))
    assert any("tiers[1].above: must be at least 100" in e for e in found)
    found = errors(scale_text().replace("above = 150", "above = 100"))
    assert any("tiers[2].above" in e for e in found)


def test_bonus_and_deduction_codes_are_not_those_pay_makes_itself() -> None:
    # A deduction coded "adjustment" would be taken for a correction of an earlier period, a
    # bonus coded "piece" would share its key with the piece line of the same shift.
    for table, code in (("bonuses", "piece"), ("deductions", "adjustment"), ("bonuses", "tier-1")):
        extra = f'[[{table}]]\ncode = "{code}"\namount = "1"\n'
        if table == "bonuses":
            extra += 'per = "shift"\n'
        found = errors(scale_text(extra))
        assert any(f"{table}[1].code: '{code}' is the code of a line pay makes" in e for e in found)


def test_invalid_toml_is_located() -> None:
    found = errors('name = "x"\nbroken = \n')
    assert found[0].startswith("s.toml:2:-: not valid TOML")


def test_missing_required_keys() -> None:
    found = errors('name = "x"\n')
    assert any(e.endswith("effective_from: is required") for e in found)
    assert any("grades: is required" in e for e in found)


def test_versions_in_force_and_conflicts() -> None:
    old = scale()
    new, _ = parse_scale(scale_text().replace("1935-01-01", "1935-09-01"), "n.toml")
    assert new is not None
    book = ScaleBook.of([old, new])
    assert book.covering("hewing", dt.date(1935, 8, 31)) == [old]
    assert book.covering("hewing", dt.date(1935, 9, 1)) == [new]
    assert book.covering("hewing", dt.date(1934, 12, 31)) == []
    proposal, _ = parse_scale(CONTRACT_EXAMPLE.replace("coal-1935", "other"), "p.toml")
    assert proposal is not None
    proposed = book.proposing(proposal)
    assert proposed.covering("hewing", dt.date(1900, 1, 1)) == [proposal]
    assert proposed.covering("loading", dt.date(1935, 8, 1)) == [old]


def test_bundled_presets_parse_and_state_their_assumptions() -> None:
    presets = preset_scales()
    assert {"coal-1935", "coal-1935-stated", "piece-work-modern"} <= set(presets)
    for path in presets.values():
        parsed, problems = parse_scale(path.read_text(encoding="utf-8"), path.name)
        assert problems == [] and parsed is not None
        assert parsed.description  # the stated assumptions
