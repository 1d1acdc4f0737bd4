"""Every input of the bad-input corpus (tests/fixtures/hostile/) is refused, located, and
writes nothing: through the import service, the command line's path, and the API's upload.

One database per backend serves the whole corpus: a refused import leaves it as it was, which
is what each case checks (the row count of every table before and after).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import Engine, func, select

from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.schema import metadata
from stakhanov.web.app import create_app
from tests import bombs
from tests.api.conftest import PASSWORD, populate
from tests.conftest import BACKENDS, _fresh_postgres
from tests.hostile_corpus import CORPUS, MANIFEST

pytestmark = pytest.mark.storage
CASES: list[dict[str, Any]] = json.loads(MANIFEST.read_text())
API_EVERY = 8
"""Each upload is read in a child process of its own: an eighth of the files and every bomb."""


@pytest.fixture(scope="module", params=BACKENDS)
def populated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The mini data set with one user per role, once per backend for the whole corpus."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'c.db'}"])
    else:
        urls = _fresh_postgres(request.getfixturevalue("pg_template"))
    url = next(urls)
    engine = make_engine(url)
    upgrade(engine)
    populate(engine)
    yield engine
    engine.dispose()
    next(urls, None)  # drops the PostgreSQL database


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }


def source_of(case: dict[str, Any], tmp_path: Path) -> Path:
    """The case's folder, or its workbook bomb built now into `tmp_path`."""
    if "build" not in case:
        return CORPUS / case["name"]
    path = tmp_path / case["files"][0]
    path.write_bytes(getattr(bombs, case["build"])())
    return path


def verdict(case: dict[str, Any], problems: list[str]) -> str | None:
    """None when one problem is where the manifest says and holds its fragment."""
    located = [p for p in problems if p.startswith(case["expect"] + ": ")]
    if any(case["fragment"] in p for p in located):
        return None
    return f"{case['name']}: expected {case['expect']}: ...{case['fragment']}..., got {problems}"


def test_the_corpus_is_large_and_every_case_is_distinct() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) >= 150 and len(set(names)) == len(names)
    assert {c["category"] for c in CASES} >= {
        "encodings",
        "shapes",
        "numbers",
        "dates",
        "units",
        "references",
        "sizes",
        "bombs",
        "formulas",
        "paths",
    }
    assert all(c["fragment"] for c in CASES), "every case names what its message says"


def test_every_input_is_refused_located_by_the_import(populated: Engine, tmp_path: Path) -> None:
    before = counts(populated)
    wrong = []
    for case in CASES:
        batch = read_source(source_of(case, tmp_path), set(FORMATS))
        try:
            import_batch(populated, batch, author="corpus")
        except ImportRejected as refused:
            wrong.append(verdict(case, [str(p) for p in refused.problems]))
        else:
            wrong.append(f"{case['name']}: accepted")
        after = counts(populated)
        if after != before:
            wrong.append(f"{case['name']}: wrote {set(after.items()) - set(before.items())}")
    assert [w for w in wrong if w] == []


def test_every_input_is_refused_located_by_the_api(populated: Engine, tmp_path: Path) -> None:
    # Every file of the corpus needs one of these roles' rights, organisation-wide.
    grants = [Grant(role) for role in (Role.FOREMAN, Role.RATE_SETTER, Role.DIRECTOR)]
    accounts.add_user(populated, "corpus", PASSWORD, author="test", grants=grants)
    app = create_app(populated)
    sample = [c for n, c in enumerate(CASES) if n % API_EVERY == 0 or c["category"] == "bombs"]

    async def upload_all() -> list[str | None]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            login = await client.post(
                "/api/auth/login", json={"username": "corpus", "password": PASSWORD}
            )
            client.headers["Authorization"] = f"Bearer {login.json()['token']}"
            before = counts(populated)
            found = []
            for case in sample:
                source = source_of(case, tmp_path)
                paths = [source] if source.is_file() else sorted(source.iterdir())
                files = [("files", (p.name, p.read_bytes())) for p in paths]
                response = await client.post("/api/imports", files=files)
                if response.status_code != 422:
                    found.append(f"{case['name']}: {response.status_code} {response.text[:300]}")
                else:
                    found.append(verdict(case, response.json()["problems"]))
            if counts(populated) != before:
                found.append("an upload wrote something")
            return found

    wrong = [w for w in anyio.run(upload_all) if w]
    assert wrong == []
