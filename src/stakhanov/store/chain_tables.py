"""The tamper-evident chain: one link per stored entry, and the seals that quote its head.

A link names a row (table and key), the batch that wrote it, the hash of the row's canonical
content and the chain hash over the previous link's. Links are numbered 1, 2, 3... without
gaps in the order their transactions committed. A seal records the chain head at the moment a
period was closed or a record verified.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table

from stakhanov.store.metadata import metadata

chain_links = Table(
    "chain_links",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("table_name", String(40), nullable=False),
    Column("row_key", String(500), nullable=False),
    Column("batch_id", Integer, nullable=True),
    Column("shift_id", String(100), nullable=True),  # where a row has one: named if it goes
    Column("content_hash", String(64), nullable=False),
    Column("chain_hash", String(64), nullable=False),
    Index("ix_chain_links_table_name_row_key", "table_name", "row_key", unique=True),
)

chain_seals = Table(
    "chain_seals",
    metadata,
    Column("seal_id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(20), nullable=False),  # period, record
    Column("subject_key", String(500), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("chain_hash", String(64), nullable=False),
    Column("sealed_at", DateTime(timezone=True), nullable=False),
)
