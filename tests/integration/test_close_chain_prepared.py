"""A close hands the chain its slips' and lines' content hashes (decision 0567): the links are
exactly those of the rows as stored, which verify-ledger reads and hashes on its own."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, insert, select

from stakhanov.domain.exact import ExactHours
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.services.chain import verify_ledger
from stakhanov.store import chain
from stakhanov.store.pay_tables import pay_lines
from stakhanov.store.payroll import LINE_NAMING, PayStore, Totals
from stakhanov.store.types import keeping

pytestmark = pytest.mark.storage
MONTHS = itertools.count()

texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
money = st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False)
quantities = st.one_of(
    money,
    st.fractions(min_value=0, max_value=100, max_denominator=12).map(
        lambda f: (
            ExactHours(f) if (f * 10**6).denominator != 1 else Decimal(f.numerator) / f.denominator
        )
    ),
)
lines = st.builds(PayLine, texts, texts, quantities, texts, money, money, texts, st.none() | texts)


def _period() -> Period:
    """A month of its own for each close (a period is closed once)."""
    month = next(MONTHS)
    start = dt.date(1990 + month // 12, month % 12 + 1, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(start, end)


def _write(connection: Connection, slips: tuple[PaySlip, ...], period: Period) -> None:
    store = PayStore(connection)
    batch = store.ledger.new_batch("payroll", None, "test", None)
    store.write(period, batch, slips, Totals.of(slips, "digest"))


def _slips(
    period: Period, found: list[tuple[tuple[PayLine, ...], tuple[PayLine, ...]]]
) -> tuple[PaySlip, ...]:
    return tuple(
        PaySlip(f"W{i:03}", f"Worker {i}", "RUB", period, earned, deducted)
        for i, (earned, deducted) in enumerate(found)
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.lists(lines, max_size=5).map(tuple), st.lists(lines, max_size=2).map(tuple)),
        min_size=1,
        max_size=4,
    )
)
def test_written_slips_and_lines_link_as_stored(
    engine: Engine, found: list[tuple[tuple[PayLine, ...], tuple[PayLine, ...]]]
) -> None:
    period = _period()
    with engine.begin() as connection:
        _write(connection, _slips(period, found), period)
    verified = verify_ledger(engine)
    assert verified.intact, verified.findings
    assert verified.links == verified.rows


def test_a_line_written_beside_the_close_is_read_and_linked(engine: Engine) -> None:
    """A line the writer did not prepare, in the same transaction, is hashed as stored."""
    period = _period()
    line = PayLine("piece", "piece:1", Decimal("2"), "t", Decimal("1.5"), Decimal("3"), "x")
    slip = PaySlip("W1", "Worker", "RUB", period, (line,))
    with engine.begin() as connection:
        _write(connection, (slip,), period)
        slip_id = connection.scalar(select(pay_lines.c.slip_id))
        _beside(connection, slip_id)
    verified = verify_ledger(engine)
    assert verified.intact, verified.findings
    assert verified.links == verified.rows


def test_a_wrong_prepared_hash_is_named_by_verify(engine: Engine) -> None:
    """verify-ledger hashes the stored rows itself: a prepared hash that is not the row's
    content would be named, so an intact ledger shows the prepared hashes were the rows'."""
    period = _period()
    line = PayLine("piece", "piece:1", Decimal("2"), "t", Decimal("1.5"), Decimal("3"), "x")
    slip = PaySlip("W1", "Worker", "RUB", period, (line,))
    with engine.begin() as connection:
        _write(connection, (slip,), period)
        slip_id = connection.scalar(select(pay_lines.c.slip_id))
        _beside(connection, slip_id)
        chain.prepare(connection, pay_lines, LINE_NAMING, {(slip_id, "earning", 9): "0" * 64})
    verified = verify_ledger(engine)
    assert not verified.intact
    assert {(f.table, f.key) for f in verified.findings} >= {("pay_lines", str(_last_line(engine)))}


def test_hashes_prepared_out_of_order_still_link_as_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit reads the hashes ahead in pieces, in the order they were handed over; a row
    whose hash lies beyond what it may hold is hashed from the stored row instead, and every
    link is still the row's."""
    monkeypatch.setattr(chain, "PIECE", 2)
    monkeypatch.setattr(chain, "AHEAD", 3)
    period = _period()
    line = PayLine("piece", "piece:1", Decimal("2"), "t", Decimal("1.5"), Decimal("3"), "x")
    with engine.begin() as connection:
        _write(connection, (PaySlip("W1", "Worker", "RUB", period, (line,)),), period)
        slip_id = connection.scalar(
            select(pay_lines.c.slip_id).order_by(pay_lines.c.line_id.desc())
        )
        floor = connection.scalar(select(pay_lines.c.line_id).order_by(pay_lines.c.line_id.desc()))
        for position in range(10, 16):
            _beside(connection, slip_id, position)
        written = list(chain.hashed_rows(connection, pay_lines, floor))
        # Handed over last row first: the commit meets the first rows' hashes last.
        chain.prepare(
            connection,
            pay_lines,
            LINE_NAMING,
            {(v[0], v[2], v[1]): content for _, _, content, v in reversed(written)},
        )
    verified = verify_ledger(engine)
    assert verified.intact, verified.findings
    assert verified.links == verified.rows


def _beside(connection: Connection, slip_id: int, position: int = 9) -> None:
    """A line the close did not write, in its transaction."""
    connection.execute(
        insert(pay_lines).values(
            slip_id=slip_id,
            position=position,
            section="earning",
            code="bonus",
            key="bonus",
            unit="RUB",
            explain="beside",
            **keeping(quantity=Decimal(1), rate=Decimal("0.5"), amount=Decimal("0.5")),
        )
    )


def _last_line(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(select(pay_lines.c.line_id).order_by(pay_lines.c.line_id.desc()))
        )
