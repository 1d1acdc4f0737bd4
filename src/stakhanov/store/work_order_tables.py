"""Brigade work orders and their members' KTU (ledger tables: imported, corrected by reversal,
append-only in the database; migration 0014)."""

from __future__ import annotations

from sqlalchemy import Column, Date, String, Text

from stakhanov.store.metadata import ledger_table
from stakhanov.store.types import ExactDecimal, exact_column

work_order_entries = ledger_table(
    "work_order_entries",
    Column("work_order", String(100), nullable=False, index=True),
    Column("unit", String(500), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("operations", Text, nullable=True),
    Column("measure", String(50), nullable=True),
    Column("rate", ExactDecimal(), nullable=True),
    Column("fund", ExactDecimal(), nullable=True),
    Column("split", String(20), nullable=False),
    Column("currency", String(10), nullable=False),
    Column("minor_unit", ExactDecimal(), nullable=False),
    Column("ktu_min", ExactDecimal(), nullable=True),
    Column("ktu_max", ExactDecimal(), nullable=True),
    Column("note", Text, nullable=True),
)

ktu_entries = ledger_table(
    "ktu_entries",
    Column("work_order", String(100), nullable=False, index=True),
    Column("worker_id", String(100), nullable=False),
    Column("ktu", ExactDecimal(), nullable=False),
    Column("ktu_reason", Text, nullable=True),
    Column("hours", ExactDecimal(), nullable=True),
    Column("tariff", ExactDecimal(), nullable=True),
    exact_column("hours"),
)
