"""Exports of random closed periods, stored and read back on SQLite and PostgreSQL: the journal
balances to the minor unit, its net pay is the bank list's and the period's, every line comes
out once, in slip order."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.journal import NET, Accounts, balances
from stakhanov.domain.payslips import PayLine, PaySlip, digest
from stakhanov.domain.periods import Period
from stakhanov.services import pay_exports
from stakhanov.store.payroll import PayStore, Totals
from tests.commands import cli
from tests.integration.helpers import mini_copy

pytestmark = pytest.mark.storage

WORKERS = ("H1", "H2", "H3", "T1", "L1")  # of the mini fixture, in three units and a shop
months = itertools.count()

amounts = st.decimals(min_value=Decimal("-50"), max_value=Decimal("900"), places=2)
line_lists = st.lists(
    st.tuples(st.sampled_from(["piece", "tier-100", "adjustment", "time"]), amounts), max_size=6
)
deduction_lists = st.lists(
    st.tuples(st.sampled_from(["union-dues", "loan"]), st.decimals(0, 30, places=2)), max_size=3
)
slip_specs = st.lists(
    st.tuples(
        st.sampled_from(WORKERS), line_lists, deduction_lists, st.sampled_from(["RUB", "USD"])
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda s: s[0],
)


def _lines(items: list[tuple[str, Decimal]], prefix: str) -> tuple[PayLine, ...]:
    return tuple(
        PayLine(code, f"{code}:{prefix}{n}", Decimal(1), "t", amount, amount, f"{code} line {n}")
        for n, (code, amount) in enumerate(items)
    )


def _period(index: int) -> Period:
    first = dt.date(1950 + index // 12, index % 12 + 1, 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, following - dt.timedelta(days=1))


def _close(engine: Engine, period: Period, slips: tuple[PaySlip, ...]) -> None:
    with engine.begin() as connection:
        store = PayStore(connection)
        batch = store.ledger.new_batch("payroll", f"close {period}", "test", None)
        store.write(period, batch, slips, Totals.of(slips, digest(slips)))


@pytest.fixture
def with_workers(engine: Engine, db_url: str, tmp_path: Path) -> Engine:
    code, _, err = cli(db_url, "import", str(mini_copy(tmp_path)))
    assert code == 0, err
    return engine


@given(slip_specs)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_exports_of_random_closed_periods_balance_and_agree(
    with_workers: Engine, specs: list[tuple[str, list, list, str]]
) -> None:
    engine = with_workers
    period = _period(next(months))
    slips = tuple(
        PaySlip(w, f"Worker {w}", currency, period, _lines(earn, "E"), _lines(deduct, "D"))
        for w, earn, deduct, currency in sorted(specs)
    )
    _close(engine, period, slips)
    with pay_exports.reading(engine, period) as reading:
        lines = list(reading.lines())
        entries = reading.journal(Accounts())
        found = reading.bank({w: f"REF-{w}" for w in WORKERS}, "refs.csv")
        assert reading.count() == len(lines)
    expected = [
        (s.worker_id, section, n, line.code, format(line.amount, "f"))
        for s in slips
        for section, part in (("earning", s.lines), ("deduction", s.deductions))
        for n, line in enumerate(part)
    ]
    assert [
        (r["worker_id"], r["section"], r["position"], r["code"], r["amount"]) for r in lines
    ] == (expected)
    for currency, (debit, credit) in balances(entries).items():
        assert debit == credit, currency
    for currency in {s.currency for s in slips}:
        net = sum((s.net for s in slips if s.currency == currency), Decimal(0))
        credited = sum(
            (-e.signed for e in entries if e.code == NET and e.currency == currency), Decimal(0)
        )
        assert credited == net
        paid = sum((s.net for s in slips if s.currency == currency and s.net > 0), Decimal(0))
        assert found.totals().get(currency, Decimal(0)) == paid
    units = {e.cost_centre for e in entries}
    assert units <= {"Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2", "Works/Shop 1"}


def test_an_open_period_is_refused(engine: Engine) -> None:
    with (
        pytest.raises(pay_exports.NotClosed, match="not a closed pay period"),
        pay_exports.reading(engine, _period(0)),
    ):
        pass
