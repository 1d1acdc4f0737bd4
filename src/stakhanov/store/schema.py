"""The tables. Ledger tables are append-only: a correction is a reversing entry, never an edit.

Every ledger table carries the same bookkeeping columns: the batch that wrote the entry, when,
from which file and row, and, for a reversal, which entry it reverses and why. An entry is
current when it is not a reversal and no reversal points at it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from stakhanov.store.types import ExactDecimal, places_column

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

batches = Table(
    "batches",
    metadata,
    Column("batch_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("source", Text, nullable=True),
    Column("author", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Column("written_at", DateTime(timezone=True), nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("path", String(500), primary_key=True),
    Column("parent", String(500), ForeignKey("units.path"), nullable=True),
    Column("name", String(200), nullable=False),
)


def _ledger_table(name: str, *payload: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("entry_id", Integer, primary_key=True, autoincrement=True),
        Column("batch_id", Integer, ForeignKey("batches.batch_id"), nullable=False),
        Column("reverses", Integer, ForeignKey(f"{name}.entry_id"), nullable=True, unique=True),
        Column("reason", Text, nullable=True),
        Column("source_file", String(500), nullable=True),
        Column("source_row", Integer, nullable=True),
        Column("written_at", DateTime(timezone=True), nullable=False),
        *payload,
    )


worker_entries = _ledger_table(
    "worker_entries",
    Column("worker_id", String(100), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("unit", String(500), nullable=False),
    Column("trade", String(200), nullable=True),
    Column("grade", String(50), nullable=True),
)

norm_entries = _ledger_table(
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

shift_entries = _ledger_table(
    "shift_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("date", Date, nullable=False, index=True),
    Column("hours", ExactDecimal(), nullable=False),
    Column("workplace", String(500), nullable=False),
    Column("conditions", String(20), nullable=False),
    Column("note", Text, nullable=True),
)

output_entries = _ledger_table(
    "output_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("rejected", ExactDecimal(), nullable=True),
    places_column("quantity"),  # 50 splits into units, 50.0 into tenths
)

crew_entries = _ledger_table(
    "crew_entries",
    Column("shift_id", String(100), nullable=False, index=True),
    Column("worker_id", String(100), nullable=False, index=True),
    Column("operation", String(200), nullable=False),
    Column("hours", ExactDecimal(), nullable=False),
    Column("credited", ExactDecimal(), nullable=True),
    Column("coefficient", ExactDecimal(), nullable=True),
)

LEDGER_TABLES = (worker_entries, norm_entries, shift_entries, output_entries, crew_entries)

# Later capabilities define their tables in modules of their own on this same `metadata`;
# each is imported below so that migrations and the schema test see every table.
from stakhanov.store import account_tables as account_tables  # noqa: E402
from stakhanov.store import dispute_tables as dispute_tables  # noqa: E402
from stakhanov.store import governance_tables as governance_tables  # noqa: E402
from stakhanov.store import pay_tables as pay_tables  # noqa: E402
from stakhanov.store import read_model_tables as read_model_tables  # noqa: E402
from stakhanov.store import recognition_tables as recognition_tables  # noqa: E402
from stakhanov.store import review_tables as review_tables  # noqa: E402
