"""The migrations build exactly the tables the code maps, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from stakhanov.store.catalog import metadata
from stakhanov.store.db import current_revision, upgrade
from stakhanov.store.read_model_tables import BYTE_ORDER_INDEXES, QUEUE_INDEXES
from stakhanov.store.schema import MONTHLY

MONTHLY_COLUMN = {table.name: column for table, column in MONTHLY.items()}

pytestmark = pytest.mark.storage


def test_migrations_match_the_mapped_tables(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    differences = [d for d in differences if not _unmapped(d, QUEUE_INDEXES)]
    if engine.dialect.name == "postgresql":
        differences = [
            d for d in differences if not _monthly_key(d) and not _unmapped(d, BYTE_ORDER_INDEXES)
        ]
    assert differences == []


def _unmapped(difference: Any, names: tuple[str, ...]) -> bool:
    """One of the named indexes that no table maps: PostgreSQL's of paths in collation "C",
    and the audit queue's (reflected without their collation and order of nulls)."""
    return (
        isinstance(difference, tuple)
        and difference[0] == "remove_index"
        and difference[1].name in names
    )


def _monthly_key(difference: Any) -> bool:
    """On PostgreSQL a monthly table's keys hold its month's column (decision 0593): the
    reversal's uniqueness and reference, and the column itself required. Nothing else."""
    if isinstance(difference, list):  # column changes come as a list of one
        (change,) = difference
        return change[0] == "modify_nullable" and change[3] == MONTHLY_COLUMN.get(change[2])
    what, constraint = difference
    table = constraint.table.name
    if table not in MONTHLY_COLUMN or what not in {
        "remove_constraint",
        "add_constraint",
        "remove_fk",
        "add_fk",
    }:
        return False
    columns = [c.name for c in constraint.columns]
    keyed = ["reverses", MONTHLY_COLUMN[table]]
    return columns in (["reverses"], keyed) or columns == keyed[::-1]


def test_upgrade_is_idempotent(engine: Engine) -> None:
    revision = current_revision(engine)
    assert revision is not None
    assert upgrade(engine) is False
    assert current_revision(engine) == revision
