"""The migrations build exactly the tables the code maps, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from stakhanov.store.catalog import metadata
from stakhanov.store.db import current_revision, upgrade

pytestmark = pytest.mark.storage


def test_migrations_match_the_mapped_tables(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    revision = current_revision(engine)
    assert revision is not None
    assert upgrade(engine) is False
    assert current_revision(engine) == revision
