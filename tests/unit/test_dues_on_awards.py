"""The same award bears the same dues on every slip, whether or not its worker also worked
in the period (issue 12: dues were taken on one slip and not on 54 others, with no word why)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.rounding import rounded
from tests.ledgers import DAY, stakhanov_shift, worker
from tests.pay import amounts, graded, pay, scale

D = Decimal
UNION = """
[[deductions]]
code = "union"
name = "Trade-union dues"
percent = "1"
"""
KEY = "union:1935-08-01..1935-08-31"


def with_idle_worker() -> Ledger:
    """The Stakhanov shift, and W2 who worked no shift in August."""
    ledger = stakhanov_shift()
    return graded(
        Ledger.of(
            workers=[*ledger.workers.values(), worker("W2")],
            norms=ledger.norms,
            shifts=ledger.shifts.values(),
            outputs=ledger.outputs.values(),
            crew=ledger.crew,
        )
    )


def award(worker_id: str, amount: Decimal = D(100)) -> ExternalBonus:
    return ExternalBonus(worker_id, DAY, "title", amount, "RUB", "title award", f"t:{worker_id}")


def test_two_workers_with_the_same_award_bear_the_same_dues() -> None:
    payroll = pay(with_idle_worker(), scale(UNION), bonuses=[award("AS"), award("W2")])
    assert amounts(payroll, "AS")[KEY] == D("4.35")  # 1% of 334.72 + 100.00
    assert amounts(payroll, "W2")[KEY] == D("1.00")  # 1% of the award alone
    idle = payroll.slip("W2")
    assert idle is not None and idle.net == D("99.00")
    # The slip says where its dues come from, since no work of the period chose the scale.
    assert "no work paid by a scale this period: the deductions of test (1935-01-01)" in (
        idle.deductions[0].explain
    )


def test_a_slip_with_no_earnings_of_its_own_has_no_deductions() -> None:
    """Only this period's earnings bear deductions: no award, no dues."""
    payroll = pay(with_idle_worker(), scale(UNION), bonuses=[award("AS")])
    assert payroll.slip("W2") is None


@given(st.integers(min_value=1, max_value=10**7))
def test_an_award_alone_bears_one_percent(cents: int) -> None:
    amount = D(cents) / 100
    payroll = pay(with_idle_worker(), scale(UNION), bonuses=[award("W2", amount)])
    slip = payroll.slip("W2")
    assert slip is not None
    assert slip.deducted == rounded(Fraction(amount) / 100, D("0.01"))
    assert slip.net + slip.deducted == slip.gross == amount
