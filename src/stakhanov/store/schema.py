"""The tables. Ledger tables are append-only: a correction is a reversing entry, never an edit.

Every ledger table carries the same bookkeeping columns: the batch that wrote the entry, when,
from which file and row, and, for a reversal, which entry it reverses and why. An entry is
current when it is not a reversal and no reversal points at it.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, String, Text

from stakhanov.store.metadata import (
    batches,
    ledger_table,
    metadata,
    reversal_index,
    shift_date,
    units,
)
from stakhanov.store.pay_tables import time_entries
from stakhanov.store.types import ExactDecimal, exact_column, places_column

__all__ = [
    "LEDGER_TABLES",
    "batches",
    "crew_entries",
    "metadata",
    "norm_entries",
    "output_entries",
    "shift_entries",
    "units",
    "worker_entries",
]

worker_entries = ledger_table(
    "worker_entries",
    Column("worker_id", String(100), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("unit", String(500), nullable=False, index=True),  # a unit's workers (0893)
    Column("trade", String(200), nullable=True),
    Column("grade", String(50), nullable=True),
)

norm_entries = ledger_table(
    "norm_entries",
    Column("operation", String(200), nullable=False, index=True),
    Column("unit", String(50), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("norm", ExactDecimal(), nullable=False),
    Column("norm_hours", ExactDecimal(), nullable=True),
    Column("includes", Text, nullable=True),
    Column("max_rate", ExactDecimal(), nullable=True),
    Column("effective_from", Date, nullable=False),
    Column("method", Text, nullable=True),
    Column("source", Text, nullable=True),
)

shift_entries = ledger_table(
    "shift_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("date", Date, nullable=False, index=True),
    Column("hours", ExactDecimal(), nullable=False),
    Column("workplace", String(500), nullable=False),
    Column("conditions", String(20), nullable=False),
    Column("note", Text, nullable=True),
    Column("resources", Text, nullable=True),
    Column("start_time", String(5), nullable=True),  # HH:MM, with end_time (night hours)
    Column("end_time", String(5), nullable=True),
    exact_column("hours"),
)

output_entries = ledger_table(
    "output_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("rejected", ExactDecimal(), nullable=True),
    places_column("quantity"),  # 50 splits into units, 50.0 into tenths
    shift_date(),
)

crew_entries = ledger_table(
    "crew_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("hours", ExactDecimal(), nullable=False),
    Column("credited", ExactDecimal(), nullable=True),
    Column("coefficient", ExactDecimal(), nullable=True),
    shift_date(),
    exact_column("hours"),
)

for _large in (shift_entries, output_entries, crew_entries):
    reversal_index(_large)

# Partitioned by month on PostgreSQL, on these columns (decisions 0593, 0598;
# store/partitions.py).
MONTHLY = {
    shift_entries: "date",
    output_entries: "shift_date",
    crew_entries: "shift_date",
    time_entries: "date",
}

LEDGER_TABLES = (worker_entries, norm_entries, shift_entries, output_entries, crew_entries)
