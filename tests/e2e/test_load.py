"""The load test, short: a served PostgreSQL database with several workers takes shift entry,
kiosk entry and dashboard reads at a steady rate with no error, and keeps every accepted entry.

No timing is asserted: the figures belong in docs/reliability.md, from the 60-second run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import _fresh_postgres
from tests.loops import in_own_thread

pytestmark = [pytest.mark.e2e, pytest.mark.storage]
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


def load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_short_steady_load_has_no_errors_and_loses_nothing(pg_template: str) -> None:
    urls = _fresh_postgres(pg_template)
    url = next(urls)
    try:
        args = ["--db", url, "--seconds", "5", "--workers", "2", "--shifts", "2", "--kiosk", "2"]
        result = in_own_thread(load_module().main, [*args, "--reads", "2", "--json"])
    finally:
        next(urls, None)
    assert result["errors"] == [] and result["missing"] == []
    done = {k["kind"]: k["requests"] for k in result["kinds"]}
    assert done == {"shift": 10, "kiosk": 10, "read": 10}
