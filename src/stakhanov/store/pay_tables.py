"""Tables of pay: scale versions, paid time and reject faults (ledger-style), closed periods.

Scales, time entries and reject faults are ledger entries like the foundation's: corrected by
reversing entries, never edited. A closed period, its slips and their lines are written once at
close and locked: the database refuses UPDATE and DELETE on them (migration 0002).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from stakhanov.store.metadata import ledger_table, metadata, reversal_index
from stakhanov.store.types import ExactDecimal, exact_column, places_column

time_entries = ledger_table(
    "time_entries",
    Column("worker_id", String(100), nullable=False, index=True),
    Column("date", Date, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("hours", ExactDecimal(), nullable=False),
    Column("note", Text, nullable=True),
    Column("cause", String(10), nullable=True),  # idle time's cause (art. 157), migration 0042
    exact_column("hours"),
)
reversal_index(time_entries)

reject_fault_entries = ledger_table(
    "reject_fault_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("worker_id", String(100), nullable=False),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("note", Text, nullable=True),
)

pay_scale_entries = ledger_table(
    "pay_scale_entries",
    Column("name", String(200), nullable=False, index=True),
    Column("effective_from", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("document", Text, nullable=False),
)


def _scales_kept(*names: str) -> list[Column[int]]:
    """Locked pay figures are shown as written (12.50 stays 12.50): each keeps its scale."""
    return [places_column(name) for name in names]


pay_periods = Table(
    "pay_periods",
    metadata,
    Column("period_id", Integer, primary_key=True, autoincrement=True),
    Column("start_date", Date, nullable=False, unique=True),
    Column("end_date", Date, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.batch_id"), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False),
    Column("slips", Integer, nullable=False),
    Column("gross", ExactDecimal(), nullable=False),
    Column("net", ExactDecimal(), nullable=False),
    Column("digest", String(64), nullable=False),
    *_scales_kept("gross", "net"),
)

pay_slips = Table(
    "pay_slips",
    metadata,
    Column("slip_id", Integer, primary_key=True, autoincrement=True),
    Column("period_id", Integer, ForeignKey("pay_periods.period_id"), nullable=False, index=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("gross", ExactDecimal(), nullable=False),
    Column("deducted", ExactDecimal(), nullable=False),
    Column("net", ExactDecimal(), nullable=False),
    *_scales_kept("gross", "deducted", "net"),
)

pay_lines = Table(
    "pay_lines",
    metadata,
    Column("line_id", Integer, primary_key=True, autoincrement=True),
    Column("slip_id", Integer, ForeignKey("pay_slips.slip_id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("section", String(10), nullable=False),
    Column("code", String(100), nullable=False),
    Column("key", String(500), nullable=False),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("rate", ExactDecimal(), nullable=False),
    Column("amount", ExactDecimal(), nullable=False),
    Column("explain", Text, nullable=False),
    Column("reference", Text, nullable=True),
    *_scales_kept("quantity", "rate", "amount"),
    exact_column("quantity"),  # hours of thirds (20min), decision 0463
)

PAY_LEDGER_TABLES = (time_entries, reject_fault_entries, pay_scale_entries)
LOCKED_TABLES = (pay_periods, pay_slips, pay_lines)
