"""Printed tickets and the receipts of entries sent from phones: written once, never changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from stakhanov.domain.tickets import Ticket
from stakhanov.store.ledger import now
from stakhanov.store.ticket_tables import entry_receipts, tickets


@dataclass(frozen=True)
class Receipt:
    """What the server answered an entry the first time it was written."""

    client_id: str
    account: str
    kind: str
    subject: str
    batch_id: int | None
    message: str


def add_tickets(connection: Connection, printed: Iterable[Ticket], printed_by: str) -> None:
    at = now()
    rows = [
        {
            "ticket_id": t.ticket_id,
            "order_id": t.order_id,
            "operation": t.operation,
            "quantity": t.quantity,
            "unit": t.unit,
            "workplace": t.workplace,
            "printed_by": printed_by,
            "printed_at": at,
        }
        for t in printed
    ]
    if rows:
        connection.execute(insert(tickets), rows)


def ticket(connection: Connection, ticket_id: str) -> Ticket | None:
    found = tickets_by_id(connection, [ticket_id])
    return found[0] if found else None


def receipt(connection: Connection, client_id: str) -> Receipt | None:
    row = connection.execute(
        select(entry_receipts).where(entry_receipts.c.client_id == client_id)
    ).first()
    if row is None:
        return None
    return Receipt(row.client_id, row.account, row.kind, row.subject, row.batch_id, row.message)


def add_receipt(connection: Connection, found: Receipt) -> bool:
    """Keep the receipt; False if one with its client id was written meanwhile."""
    try:
        with connection.begin_nested():
            connection.execute(
                insert(entry_receipts).values(
                    client_id=found.client_id,
                    account=found.account,
                    kind=found.kind,
                    subject=found.subject,
                    batch_id=found.batch_id,
                    message=found.message,
                    written_at=now(),
                )
            )
    except IntegrityError:
        return False
    return True


def tickets_by_id(connection: Connection, ticket_ids: Iterable[str]) -> list[Ticket]:
    """The printed tickets among these ids, in the order asked."""
    wanted = list(dict.fromkeys(ticket_ids))
    rows = connection.execute(select(tickets).where(tickets.c.ticket_id.in_(wanted)))
    found = {
        r.ticket_id: Ticket(r.ticket_id, r.order_id, r.operation, r.quantity, r.unit, r.workplace)
        for r in rows
    }
    return [found[t] for t in wanted if t in found]
