"""Tickets printed at the source, and the receipts of entries sent from phones and kiosks.

A receipt is kept per client id (the id a phone gave an entry when it was made), so that a
batch sent again after a lost answer writes nothing twice (decision 0841).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from stakhanov.store.metadata import metadata
from stakhanov.store.types import ExactDecimal

tickets = Table(
    "tickets",
    metadata,
    Column("ticket_id", String(40), primary_key=True),
    Column("order_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("workplace", String(500), nullable=False),
    Column("printed_by", String(200), nullable=False),
    Column("printed_at", DateTime(timezone=True), nullable=False),
)

entry_receipts = Table(
    "entry_receipts",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("account", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("batch_id", Integer, nullable=True),
    Column("message", Text, nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
)
