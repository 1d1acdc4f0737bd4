"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _fresh_postgres


@pytest.fixture
def target_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second database of the same backend: a new SQLite file, or a fresh migrated database."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'stakhanov.db'}"
        return
    yield from _fresh_postgres(request.getfixturevalue("pg_template"))
