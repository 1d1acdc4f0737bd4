"""The accounting journal and the bank list of a closed period, from line totals (pure)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.bank import parse_references, transfers
from stakhanov.domain.journal import (
    NET,
    Accounts,
    LineTotal,
    balances,
    journal,
    parse_accounts,
)
from stakhanov.domain.payslips import Section

EARN, DEDUCT = Section.EARNING, Section.DEDUCTION
UNITS = {"A1": "Mine/S1", "A2": "Mine/S1", "B1": "Works"}


def test_a_unit_debits_its_earnings_and_credits_deductions_and_net_pay() -> None:
    totals = [
        LineTotal("A1", "RUB", EARN, "piece", Decimal("100.00")),
        LineTotal("A2", "RUB", EARN, "piece", Decimal("50.50")),
        LineTotal("A1", "RUB", DEDUCT, "union-dues", Decimal("1.50")),
        LineTotal("A1", "RUB", EARN, "adjustment", Decimal("-3.00")),
    ]
    rows = journal(totals, UNITS, Accounts(codes=(("union-dues", "2310"),)))
    shown = [(r.cost_centre, r.account, r.code, r.debit, r.credit) for r in rows]
    assert shown == [
        ("Mine/S1", "wages-expense", "adjustment", None, Decimal("3.00")),
        ("Mine/S1", "wages-expense", "piece", Decimal("150.50"), None),
        ("Mine/S1", "2310", "union-dues", None, Decimal("1.50")),
        ("Mine/S1", "net-pay-payable", NET, None, Decimal("146.00")),
    ]
    assert balances(rows) == {"RUB": (Decimal("150.50"), Decimal("150.50"))}


money = st.decimals(min_value=Decimal("-500"), max_value=Decimal("5000"), places=2)
totals_strategy = st.lists(
    st.builds(
        LineTotal,
        st.sampled_from(["A1", "A2", "B1", "Z9"]),  # Z9: a worker whose unit is unknown
        st.sampled_from(["RUB", "USD"]),
        st.sampled_from([EARN, DEDUCT]),
        st.sampled_from(["piece", "tier-100", "adjustment", "union-dues", "loan"]),
        money,
    ),
    max_size=40,
)


@given(totals_strategy)
def test_debits_equal_credits_in_every_currency_and_cost_centre(totals: list[LineTotal]) -> None:
    rows = journal(totals, UNITS, Accounts())
    for currency, (debit, credit) in balances(rows).items():
        assert debit == credit, currency
    centres: dict[tuple[str, str], Decimal] = {}
    for row in rows:
        key = (row.currency, row.cost_centre)
        centres[key] = centres.get(key, Decimal(0)) + row.signed
        assert (row.debit is None) != (row.credit is None)
        assert (row.debit or row.credit or 0) > 0
    assert all(v == 0 for v in centres.values())
    # The net credited is what the slips pay: earnings less deductions.
    for currency in {t.currency for t in totals}:
        paid = sum(
            (
                t.amount if t.section is EARN else -t.amount
                for t in totals
                if t.currency == currency
            ),
            Decimal(0),
        )
        net = sum((-r.signed for r in rows if r.code == NET and r.currency == currency), Decimal(0))
        assert net == paid


def test_accounts_file_overrides_the_defaults_and_names_a_bad_key() -> None:
    text = 'earnings = "5000"\nnet = "2200"\n[codes]\nunion-dues = "2310"\n'
    accounts, problems = parse_accounts(text, "accounts.toml")
    assert problems == [] and accounts is not None
    assert accounts.of(EARN, "piece") == "5000"
    assert accounts.of(DEDUCT, "loan") == "deductions-payable"
    assert accounts.of(DEDUCT, "union-dues") == "2310"
    assert accounts.net == "2200"
    wrong, problems = parse_accounts('earnings = "5000"\nnett = "1"\ndeductions = 7\n', "a.toml")
    assert wrong is None
    assert [str(p) for p in problems] == [
        "a.toml:2:nett: unknown key; expected one of earnings, deductions, net, codes",
        "a.toml:3:deductions: an account is a non-empty text of at most 100 characters, not 7",
    ]


def test_a_paid_worker_without_a_bank_reference_is_named() -> None:
    _, problems = parse_references(
        ["worker_id", "bank_reference"], [["A1", "GB29NWBK60161331926819"], ["A1", "x"]], "b.csv"
    )
    assert [str(p) for p in problems] == ["b.csv:3:worker_id: given twice"]
    nets = [
        ("A1", "Ann", "GBP", Decimal("10.00")),
        ("A2", "Bob", "GBP", Decimal("5.00")),
        ("B1", "Cid", "GBP", Decimal("0.00")),
    ]
    found, problems = transfers(nets, {"A1": "GB29"}, "b.csv")
    assert [str(p) for p in problems] == [
        "b.csv:0:worker_id: no bank reference for worker 'A2' (Bob), paid 5.00 GBP"
    ]
    found, problems = transfers(nets, {"A1": "GB29", "A2": "GB30"}, "b.csv")
    assert problems == []
    assert [t.worker_id for t in found.transfers] == ["A1", "A2"] and found.unpaid == ["B1"]
    assert found.totals() == {"GBP": Decimal("15.00")}
    _, wrong = parse_references(["worker_id", "iban"], [], "b.csv")
    assert [str(p) for p in wrong] == ["b.csv:1:-: expected the columns worker_id,bank_reference"]
