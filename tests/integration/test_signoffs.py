"""Sign-off of the day's counts on both databases: recorded, idempotent, a dispute opens a
dispute, a correction makes a confirmation stale, and each role sees only its own."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text

from stakhanov.domain.access import Grant, Role
from stakhanov.domain.disputes import Subject
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import parse_period
from stakhanov.domain.signoffs import State, Verdict
from stakhanov.services import accounts, chain, disputes, signoffs
from stakhanov.services.entry import ShiftForm
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from tests.integration.helpers import MINI

pytestmark = pytest.mark.storage
AUGUST_30 = dt.date(1935, 8, 30)  # S2: H1 and H2 hewing at Brigade 1; S4: L1 at the works


@pytest.fixture
def mine(engine: Engine) -> Engine:
    import_batch(engine, read_source(MINI, set(FORMATS)), author="test")
    return engine


def test_a_confirmation_is_recorded_once_and_seen_by_the_foreman(mine: Engine) -> None:
    first = signoffs.sign(mine, "H1", AUGUST_30, "S2", Verdict.CONFIRMED, None, "worker")
    again = signoffs.sign(mine, "H1", AUGUST_30, "S2", Verdict.CONFIRMED, None, "worker")
    assert again == first  # idempotent: the standing sign-off, nothing new written
    with mine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM day_signoffs")).scalar() == 1
    (shift,) = signoffs.day(mine, "H1", AUGUST_30)
    assert shift.state is State.CONFIRMED and "hewing 6 h" in shift.seen
    foreman = _account(mine, "foreman", Grant(Role.FOREMAN, "Mine/Section 1/Brigade 1"))
    seen = signoffs.seen_by(mine, foreman, parse_period("1935-08"))
    assert seen[("S2", "H1")] is State.CONFIRMED
    assert seen[("S2", "H2")] is State.UNCONFIRMED
    verified = chain.verify_ledger(mine)  # the table is on the hash chain
    assert verified.intact and verified.rows > 0


def test_a_dispute_needs_a_reason_and_opens_a_dispute_on_the_shift(mine: Engine) -> None:
    with pytest.raises(InvalidValue) as refused:
        signoffs.sign(mine, "H2", AUGUST_30, "S2", Verdict.DISPUTED, "  ", "H2 at the kiosk")
    assert refused.value.field == "reason.S2"
    assert disputes.load(mine) == []
    signed = signoffs.sign(
        mine, "H2", AUGUST_30, "S2", Verdict.DISPUTED, "I cut 12 t, not 10.8", "H2 at the kiosk"
    )
    (opened,) = disputes.load(mine)
    assert opened.dispute_id == signed.dispute_id
    assert (opened.worker_id, opened.subject, opened.reference) == ("H2", Subject.SHIFT, "S2")
    assert signoffs.day(mine, "H2", AUGUST_30)[0].state is State.DISPUTED


def test_only_ones_own_shifts_of_that_day_can_be_signed(mine: Engine) -> None:
    for shift_id, worker_id in (("S4", "H1"), ("S1", "H1")):  # not his; not that day
        with pytest.raises(InvalidValue, match="is not a shift you worked on 1935-08-30"):
            signoffs.sign(mine, worker_id, AUGUST_30, shift_id, Verdict.CONFIRMED, None, "x")


def test_a_correction_after_a_confirmation_leaves_the_shift_unconfirmed(mine: Engine) -> None:
    signoffs.sign(mine, "H1", AUGUST_30, "S2", Verdict.CONFIRMED, None, "worker")
    corrected = ShiftForm(
        None, crew=[{"shift_id": "S2", "worker_id": "H1", "operation": "hewing", "hours": "5"}]
    )
    import_batch(mine, corrected.batch("fix"), correct=True, reason="5 h", author="foreman")
    assert signoffs.day(mine, "H1", AUGUST_30)[0].state is State.UNCONFIRMED
    again = signoffs.sign(mine, "H1", AUGUST_30, "S2", Verdict.CONFIRMED, None, "worker")
    assert "hewing 5 h" in again.seen
    assert signoffs.day(mine, "H1", AUGUST_30)[0].state is State.CONFIRMED


def test_each_role_sees_the_sign_offs_its_scope_reaches(mine: Engine) -> None:
    signoffs.sign(mine, "H1", AUGUST_30, "S2", Verdict.CONFIRMED, None, "worker")
    signoffs.sign(mine, "L1", AUGUST_30, "S4", Verdict.CONFIRMED, None, "L1")
    august = parse_period("1935-08")
    auditor = _account(mine, "auditor", Grant(Role.AUDITOR))
    other = _account(mine, "other", Grant(Role.FOREMAN, "Mine/Section 1/Brigade 2"))
    worker = _account(mine, "worker", Grant(Role.WORKER), "H2")
    admin = _account(mine, "admin", Grant(Role.ADMIN))
    assert {
        k for k, v in signoffs.seen_by(mine, auditor, august).items() if v.value != "unconfirmed"
    } == {
        ("S2", "H1"),
        ("S4", "L1"),
    }
    assert all(k[0] not in ("S2", "S4") for k in signoffs.seen_by(mine, other, august))
    assert set(signoffs.seen_by(mine, worker, august)) == {("S2", "H2")}
    assert signoffs.seen_by(mine, admin, august) == {}


def test_the_database_refuses_to_edit_a_sign_off(mine: Engine) -> None:
    signoffs.sign(mine, "H1", AUGUST_30, "S2", Verdict.CONFIRMED, None, "worker")
    with pytest.raises(Exception, match="append-only"), mine.begin() as connection:
        connection.execute(text("UPDATE day_signoffs SET verdict = 'disputed'"))


def _account(
    engine: Engine, username: str, grant: Grant, worker_id: str | None = None
) -> accounts.Account:
    accounts.add_user(
        engine,
        username,
        "correct horse battery",
        author="test",
        worker_id=worker_id,
        grants=[grant],
    )
    found = accounts.account_named(engine, username)
    assert found is not None
    return found
