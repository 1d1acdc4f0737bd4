"""The text in a ticket's or badge's QR code: it reads back as written, and bad codes say why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.tickets import Badge, BadPayload, Ticket, decode

TEXT = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)
QUANTITY = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**9), places=3)


@given(TEXT, TEXT, TEXT, QUANTITY, TEXT, TEXT)
def test_a_ticket_reads_back_as_printed(
    ticket_id: str, order: str, operation: str, quantity: Decimal, unit: str, workplace: str
) -> None:
    ticket = Ticket(ticket_id, order, operation, quantity, unit, workplace)
    assert decode(ticket.payload) == ticket
    assert ticket.payload.startswith("stk1:ticket?id=")


@given(TEXT)
def test_a_badge_reads_back(worker_id: str) -> None:
    assert decode(Badge(worker_id).payload) == Badge(worker_id)


def test_the_payload_is_plain_text() -> None:
    ticket = Ticket("T1", "Order 7", "sewing & hemming", Decimal("12"), "pcs", "Shop/Line 1")
    assert ticket.payload == (
        "stk1:ticket?id=T1&order=Order%207&op=sewing%20%26%20hemming&qty=12&unit=pcs"
        "&at=Shop%2FLine%201"
    )
    assert Badge("W-01").payload == "stk1:worker?id=W-01"


GOOD = "stk1:ticket?id=T1&order=O&op=sew&qty=2&unit=pcs&at=Shop"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://example.org/", "not a stakhanov ticket or badge"),
        ("stk2:ticket?id=T1", "version 'stk2' is not known here"),
        ("stk1:bin?id=T1", "'bin' is neither a ticket nor a worker badge"),
        ("stk1:worker?name=Ivan", "the worker code has an unknown field 'name'"),
        ("stk1:worker?id=A&id=B", "the worker code repeats the field 'id'"),
        ("stk1:worker?id", "the worker code is malformed"),
        ("stk1:worker?", "the worker code lacks id"),
        ("stk1:ticket?id=T1&qty=2", "the ticket code lacks order, op, unit, at"),
        (GOOD.replace("qty=2", "qty=two"), "the ticket's quantity 'two' is not a number"),
        (GOOD.replace("qty=2", "qty=0"), "the ticket's quantity must be more than 0"),
        (GOOD.replace("qty=2", "qty=NaN"), "the ticket's quantity must be more than 0"),
        (GOOD.replace("op=sew", "op=%20"), "the ticket's operation is empty"),
        ("stk1:worker?id=", "the badge's worker id is empty"),
    ],
)
def test_a_bad_code_is_named(text: str, reason: str) -> None:
    with pytest.raises(BadPayload, match="^" + reason.replace("(", r"\(")):
        decode(text)


def test_a_good_code_with_spaces_around_reads() -> None:
    assert decode(f"  {GOOD}\n").quantity == Decimal(2)
