"""The equity report over a generated month: every planted prepared shift is counted for the
workers credited with its output, and for no one else."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.commands import cli, ok

pytestmark = pytest.mark.storage
SIZE = ("--workers", "150", "--days", "10", "--seed", "6")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_planted_prepared_shifts_are_found(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "month"
    code, _, err = cli("sqlite://", "generate", *SIZE, "--out", str(out))
    assert code == 0, err
    planted = set(
        json.loads((out / "manifest.json").read_text())["planted"]["prepared"]["shift_ids"]
    )
    assert planted
    measured = {(r["shift_id"], r["operation"]) for r in _rows(out / "output.csv")}
    doers = {
        (r["worker_id"], r["shift_id"])
        for r in _rows(out / "crew.csv")
        if r["shift_id"] in planted and (r["shift_id"], r["operation"]) in measured
    }
    expected = Counter(worker for worker, _ in doers)
    ok(db_url, "import", str(out))
    report = ok(db_url, "equity")
    found = {r["key"]: r["prepared"] for r in report["rows"] if r["prepared"]}
    assert found == dict(expected)
    prepared = next(c for c in report["concentration"] if c["favour"] == "prepared")
    assert prepared["favoured"] == len(doers)
    assert prepared["shifts"] == sum(r["shifts"] for r in report["rows"])
    # Chance spreads them thinly: no worker is named for prepared shifts.
    assert not [w for w in report["warnings"] if w["favour"] == "prepared" and w["key"]]
