"""The one `metadata` every table is defined on, the two tables every ledger entry points at
(batches and units), and the bookkeeping columns every ledger table shares.

It imports no table module, so the table modules can import it without a circle; the catalog
(store/catalog.py) gathers them all for the migrations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

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


def ledger_table(name: str, *payload: Column[Any]) -> Table:
    """A ledger table: `payload` after the bookkeeping columns shared by every ledger."""
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


def reversal_index(table: Table) -> Index:
    """A partial index of a large ledger's reversals (migration 0019).

    "Is this entry reversed?" is asked of every entry a page reads; the index holds only the
    few reversals, so the question costs what was corrected, not the ledger's size, when the
    query says `reverses IS NOT NULL` (decision 0590).
    """
    where = text("reverses IS NOT NULL")
    return Index(
        f"ix_{table.name}_reversal",
        table.c.reverses,
        postgresql_where=where,
        sqlite_where=where,
    )


DERIVED = "derived"  # Column.info key: a column filled by the store from other rows


def shift_date() -> Column[Any]:
    """The date of a row's shift, written by the store (never by an import file).

    Derived from chained rows, so the chain leaves it out of a row's content and verify-ledger
    checks it against them instead (decision 0594); PostgreSQL partitions by it (0593).
    Nullable only because SQLite cannot add a required column to a table holding rows.
    """
    return Column("shift_date", Date, nullable=True, index=True, info={DERIVED: "shift"})


def derived(column: Column[Any]) -> bool:
    return bool(column.info.get(DERIVED))
