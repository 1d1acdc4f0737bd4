"""Tickets credited from phones, on both databases: once per ticket, once per client id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov.domain.access import Permission
from stakhanov.domain.errors import Refused
from stakhanov.domain.ledger import CrewEntry, MeasuredOutput
from stakhanov.domain.tickets import Ticket
from stakhanov.domain.units import is_within
from stakhanov.services import accounts, entry_tokens, tickets
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, OUTPUT
from tests.integration.helpers import mini_copy

pytestmark = pytest.mark.storage
BRIGADE = "Mine/Section 1/Brigade 1"
DAY = "1935-10-05"


def foreman(permission: Permission, unit: str | None) -> bool:
    return permission is Permission.ENTER_SHIFTS and unit is not None and is_within(unit, BRIGADE)


@pytest.fixture
def printed(engine: Engine, tmp_path: Path) -> list[Ticket]:
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)), author="test")
    return tickets.print_tickets(
        engine,
        foreman,
        "foreman",
        workplace=BRIGADE,
        operation="hewing",
        quantity="1.5",
        unit="t",
        order_id="Face 7",
        count=3,
    )


def ledger_rows(
    engine: Engine, shift_ids: set[str]
) -> tuple[list[MeasuredOutput], list[CrewEntry]]:
    with engine.connect() as connection:
        store = LedgerStore(connection)
        return (
            store.records(OUTPUT, MeasuredOutput, "shift_id", shift_ids),
            store.records(CREW, CrewEntry, "shift_id", shift_ids),
        )


def entry(ticket: Ticket, client_id: str, worker_id: str = "H1") -> dict[str, str]:
    return {
        "client_id": client_id,
        "worker_id": worker_id,
        "ticket": ticket.payload,
        "hours": "2",
        "date": DAY,
    }


def test_a_replayed_batch_writes_nothing_twice(engine: Engine, printed: list[Ticket]) -> None:
    batch = [entry(printed[0], "c-1"), entry(printed[1], "c-2", "H2")]
    first = tickets.sync(engine, foreman, "foreman", batch)
    assert [o.status for o in first] == ["recorded", "recorded"]
    again = tickets.sync(engine, foreman, "foreman", batch)
    assert [o.status for o in again] == ["replayed", "replayed"]
    assert [o.batch_id for o in again] == [o.batch_id for o in first]
    outputs, crew = ledger_rows(engine, {t.ticket_id for t in printed})
    assert len(outputs) == 2 and len(crew) == 2
    # Conservation: each ticket's measured output is exactly what its crew is credited.
    for output in outputs:
        credited = [c.credited for c in crew if c.shift_id == output.shift_id]
        assert credited == [output.quantity] == [Decimal("1.5")]
    assert {(c.shift_id, c.worker_id) for c in crew} == {
        (printed[0].ticket_id, "H1"),
        (printed[1].ticket_id, "H2"),
    }


def test_a_ticket_is_credited_once(engine: Engine, printed: list[Ticket]) -> None:
    tickets.sync(engine, foreman, "foreman", [entry(printed[0], "c-1")])
    for other in ("H2", "H1"):  # another worker, or the same one scanning it again
        [refused] = tickets.sync(
            engine, foreman, "foreman", [entry(printed[0], f"c-{other}", other)]
        )
        assert refused.status == "refused"
        assert refused.errors == {
            "ticket": f"ticket {printed[0].ticket_id} is already credited: to H1 on {DAY}"
        }
    outputs, crew = ledger_rows(engine, {printed[0].ticket_id})
    assert len(outputs) == 1 and [c.worker_id for c in crew] == ["H1"]


def test_refusals_are_located_and_do_not_hold_back_the_others(
    engine: Engine, printed: list[Ticket]
) -> None:
    forged = Ticket(printed[0].ticket_id, "Face 7", "hewing", Decimal(99), "t", BRIGADE)
    unknown = Ticket("TNOTPRINTED", "Face 7", "hewing", Decimal(1), "t", BRIGADE)
    batch = [
        {**entry(printed[0], "c-1"), "hours": "30"},
        entry(forged, "c-2"),
        entry(unknown, "c-3"),
        {**entry(printed[1], "c-4"), "worker_id": "NOBODY"},
        {**entry(printed[2], "c-5"), "date": "1935-13-01"},
        {**entry(printed[2], "c-6"), "ticket": "stk1:ticket?id=T1"},
        entry(printed[2], "c-7"),
    ]
    outcomes = {o.client_id: o for o in tickets.sync(engine, foreman, "foreman", batch)}
    assert set(outcomes["c-1"].errors) == {"hours"}
    assert "more than a shift lasts" in outcomes["c-1"].errors["hours"]
    assert outcomes["c-2"].errors == {
        "ticket": f"ticket {printed[0].ticket_id} does not say what was printed on it"
    }
    assert outcomes["c-3"].errors == {"ticket": "ticket TNOTPRINTED was not printed here"}
    assert set(outcomes["c-4"].errors) == {"worker_id"}
    assert outcomes["c-5"].errors == {"date": "'1935-13-01' is not a date (YYYY-MM-DD)"}
    assert outcomes["c-6"].errors == {"ticket": "the ticket code lacks order, op, qty, unit, at"}
    assert [o.status for o in outcomes.values()] == ["refused"] * 6 + ["recorded"]
    outputs, _ = ledger_rows(engine, {t.ticket_id for t in printed})
    assert [o.shift_id for o in outputs] == [printed[2].ticket_id]


def test_scope_is_checked_when_printing_and_when_crediting(
    engine: Engine, printed: list[Ticket]
) -> None:
    elsewhere = "Mine/Section 1/Brigade 2"
    with pytest.raises(Refused, match="outside your scope"):
        tickets.print_tickets(
            engine,
            foreman,
            "foreman",
            workplace=elsewhere,
            operation="hewing",
            quantity="1",
            unit="t",
            order_id="X",
            count=1,
        )

    def brigade_two(permission: Permission, unit: str | None) -> bool:
        return unit is not None and is_within(unit, elsewhere)

    [outcome] = tickets.sync(engine, brigade_two, "other", [entry(printed[0], "c-1", "H3")])
    assert outcome.status == "refused" and "outside your scope" in outcome.message
    assert tickets.printed(engine, brigade_two, [t.ticket_id for t in printed]) == []
    assert [b.worker_id for b, _ in tickets.badges(engine, foreman, BRIGADE)] == [
        "H1",
        "H2",
        "T1",
        "T2",
    ]


def test_print_refuses_bad_counts_and_quantities(engine: Engine, printed: list[Ticket]) -> None:
    def attempt(**changes: object) -> Refused:
        values: dict[str, object] = {
            "workplace": BRIGADE,
            "operation": "hewing",
            "quantity": "1",
            "unit": "t",
            "order_id": "X",
            "count": 1,
            **changes,
        }
        with pytest.raises(Refused) as raised:
            tickets.print_tickets(engine, foreman, "foreman", **values)  # type: ignore[arg-type]
        return raised.value

    assert attempt(count=0).field == "count"
    assert attempt(count=tickets.MAX_TICKETS + 1).field == "count"
    assert attempt(quantity="-1").field == "quantity"
    assert attempt(quantity="abc").field == "quantity"
    assert attempt(order_id=" ").field == "order_id"
    assert attempt(workplace=BRIGADE + "/Nowhere").field == "workplace"


def test_kiosk_entries_sent_late_check_the_pin_and_are_written_once(
    engine: Engine, printed: list[Ticket]
) -> None:
    accounts.set_pin(engine, "T1", "2468", author="foreman")
    [ticket] = tickets.sync(engine, foreman, "foreman", [entry(printed[0], "c-0")])
    line = {"worker_id": "T1", "shift_id": printed[0].ticket_id, "operation": "timbering"}
    batch = [
        {**line, "client_id": "k-1", "pin": "2468", "hours": "2"},
        {**line, "client_id": "k-2", "pin": "1111", "hours": "1"},
        {**line, "client_id": "k-3", "pin": "2468", "hours": "9"},
    ]
    first = tickets.sync(engine, foreman, "foreman", batch, kiosk_client="10.0.0.7")
    # A wrong PIN is asked for again (the entry stays on the kiosk), not refused for good.
    assert [o.status for o in first] == ["recorded", "needs_pin", "refused"]
    assert first[1].errors == {"pin": "wrong worker number or PIN"}
    # Another figure for the same work conflicts with the line just written: the person is told
    # what a person can do about it, not a command-line option.
    assert first[2].errors == {
        "hours": "conflicts with the stored row (hours was '2'); "
        "ask the foreman to correct the shift"
    }
    again = tickets.sync(engine, foreman, "foreman", batch[:1], kiosk_client="10.0.0.7")
    assert [(o.status, o.batch_id) for o in again] == [("replayed", first[0].batch_id)]
    _, crew = ledger_rows(engine, {printed[0].ticket_id})
    assert sorted((c.worker_id, c.operation, c.hours) for c in crew) == [
        ("H1", "hewing", Decimal(2)),
        ("T1", "timbering", Decimal(2)),
    ]
    assert ticket.status == "recorded"


def test_a_kiosk_entry_made_offline_stands_for_its_worker_by_his_token_never_a_kept_pin(
    engine: Engine, printed: list[Ticket]
) -> None:
    accounts.set_pin(engine, "T1", "2468", author="foreman")
    tickets.sync(engine, foreman, "foreman", [entry(printed[0], "c-0")])
    token = entry_tokens.issue_now(engine, "T1", "foreman")
    line = {"worker_id": "T1", "shift_id": printed[0].ticket_id, "hours": "1"}
    key = entry_tokens.signing_key(engine)
    stale = entry_tokens.issue(key, "T1", "foreman", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    body = token.split(".")[1]
    forged = token.replace(body, body[:-2] + ("AA" if body[-2:] != "AA" else "BB"))
    batch = [
        {**line, "client_id": "t-1", "operation": "timbering", "token": token},
        {**line, "client_id": "t-2", "operation": "assist"},
        {**line, "client_id": "t-3", "operation": "assist", "token": stale},
        {**line, "client_id": "t-4", "operation": "assist", "token": forged},
        {**line, "client_id": "t-5", "operation": "assist", "worker_id": "H1", "token": token},
    ]
    first = tickets.sync(engine, foreman, "foreman", batch, kiosk_client="10.0.0.7")
    assert [o.status for o in first] == ["recorded"] + ["needs_pin"] * 4
    assert [o.errors["pin"] for o in first[1:]] == [
        "made without a network and without a token: enter the PIN",
        entry_tokens.EXPIRED,
        entry_tokens.TAMPERED,
        entry_tokens.NOT_HIS,
    ]
    # Another kiosk's account cannot spend the token either.
    elsewhere = tickets.sync(
        engine, foreman, "other-foreman", [{**batch[1], "token": token}], kiosk_client="10.0.0.8"
    )
    assert [o.errors.get("pin") for o in elsewhere] == [entry_tokens.NOT_HIS]
    # Sent again (a lost answer), the batch writes nothing more; the PIN typed later sends one.
    again = tickets.sync(engine, foreman, "foreman", batch[:1], kiosk_client="10.0.0.7")
    assert [(o.status, o.batch_id) for o in again] == [("replayed", first[0].batch_id)]
    later = tickets.sync(
        engine, foreman, "foreman", [{**batch[1], "pin": "2468"}], kiosk_client="10.0.0.7"
    )
    assert [o.status for o in later] == ["recorded"]
    _, crew = ledger_rows(engine, {printed[0].ticket_id})
    assert sorted((c.worker_id, c.operation) for c in crew) == [
        ("H1", "hewing"),
        ("T1", "assist"),
        ("T1", "timbering"),
    ]
