"""`stakhanov generate`: deterministic files that import cleanly and plant what the audit finds."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stakhanov.services import generator_sinks
from tests.commands import cli, ok

# Small enough to import on both databases in seconds; this seed plants every kind.
SIZE = ("--workers", "150", "--days", "10", "--seed", "6")
KINDS = ("pooled", "implausible", "prepared")


def _generate(out: Path, *extra: str) -> dict[str, object]:
    code, stdout, stderr = cli("sqlite://", "generate", *SIZE, "--out", str(out), "--json", *extra)
    assert code == 0, stderr
    summary: dict[str, object] = json.loads(stdout)
    return summary


def _manifest(out: Path) -> dict[str, object]:
    manifest: dict[str, object] = json.loads((out / "manifest.json").read_text())
    return manifest


def _contents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    _generate(tmp_path / "a")
    _generate(tmp_path / "b")
    first = _contents(tmp_path / "a")
    assert set(first) == {
        *(f"{n}.csv" for n in ("workers", "norms", "shifts", "output", "crew", "time", "rejects")),
        "manifest.json",
    }
    assert first == _contents(tmp_path / "b")
    code, _, stderr = cli(
        "sqlite://", "generate", *SIZE[:4], "--seed", "7", "--out", str(tmp_path / "c")
    )
    assert code == 0, stderr
    other = _contents(tmp_path / "c")
    assert other["crew.csv"] != first["crew.csv"]


def test_another_process_writes_the_same_bytes(tmp_path: Path) -> None:
    """Nothing depends on the process: string hashing is randomised per process."""
    _generate(tmp_path / "here")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    there = str(tmp_path / "there")
    command = [sys.executable, "-m", "stakhanov", "generate", *SIZE, "--out", there]
    subprocess.run(command, check=True, env=env, capture_output=True)
    assert _contents(tmp_path / "here") == _contents(tmp_path / "there")


def test_chunked_writing_gives_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _generate(tmp_path / "whole")
    monkeypatch.setattr(generator_sinks, "CHUNK_ROWS", 7)
    _generate(tmp_path / "chunked")
    assert _contents(tmp_path / "whole") == _contents(tmp_path / "chunked")


@pytest.mark.storage
def test_imports_cleanly_and_the_audit_finds_exactly_what_was_planted(
    db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "month"
    summary = _generate(out)
    manifest = _manifest(out)
    planted = manifest["planted"]
    assert isinstance(planted, dict)
    assert summary["planted"] == {kind: planted[kind]["count"] for kind in planted}
    assert all(planted[kind]["count"] > 0 for kind in (*KINDS, "record"))

    imported = ok(db_url, "import", str(out))
    assert imported["changed"]
    added = {row["file"]: row["added"] for row in imported["files"]}
    assert added == manifest["files"]

    found: dict[str, set[str]] = defaultdict(set)
    assisted = 0
    for finding in ok(db_url, "audit"):
        found[finding["kind"]].add(finding["shift_id"])
        assisted += finding["kind"] == "assisted"
    for kind in KINDS:
        assert found[kind] == set(planted[kind]["shift_ids"]), kind
    assert assisted == manifest["assisted_shifts"]
    assert not found["uncredited"]

    again = ok(db_url, "import", str(out))
    assert not again["changed"]
    assert all(
        row["unchanged"] == row_added
        for row, row_added in zip(again["files"], added.values(), strict=True)
    )


@pytest.mark.storage
def test_output_is_around_the_norm_in_force(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "month"
    _generate(out)
    ok(db_url, "import", str(out))
    rows = ok(db_url, "fulfilment", "--by", "operation")
    measured = {r["operation"]: r for r in rows if r["percent"] is not None}
    assert set(measured) == {
        "hewing", "loading", "shirt sewing", "order picking", "pallet loading", "grape picking"
    }  # fmt: skip
    for operation, row in measured.items():
        assert 85 <= float(row["percent"]) <= 135, operation
    assert measured["grape picking"]["unit"] == "t"  # written in kg, converted to the t norm


def test_norms_are_revised_within_the_period(tmp_path: Path) -> None:
    out = tmp_path / "month"
    _generate(out)
    with (out / "norms.csv").open(encoding="utf-8") as handle:
        norms = list(csv.DictReader(handle))
    manifest = _manifest(out)
    revised = [n for n in norms if n["effective_from"] == manifest["norm_revision"]]
    assert {n["operation"] for n in revised} == {
        "hewing", "shirt sewing", "order picking", "grape picking"
    }  # fmt: skip
    assert manifest["start"] < manifest["norm_revision"] <= manifest["end"]
    assert all(n["max_rate"] for n in norms)


def _csv_rows(path: Path) -> list[list[str | None]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [[cell or None for cell in row] for row in csv.reader(handle)]


def test_parquet_holds_what_the_csv_holds(tmp_path: Path) -> None:
    _generate(tmp_path / "csv")
    summary = _generate(tmp_path / "parquet", "--parquet")
    files = summary["files"]
    assert isinstance(files, list)
    assert [f["file"] for f in files] == [
        f"{n}.parquet" for n in ("workers", "norms", "shifts", "output", "crew", "time", "rejects")
    ]
    for entry in files:
        table = pq.read_table(tmp_path / "parquet" / entry["file"])
        assert all(str(field.type) == "string" for field in table.schema)
        written = _csv_rows(tmp_path / "csv" / entry["file"].replace(".parquet", ".csv"))
        assert [table.column_names] == written[:1]
        assert [list(row.values()) for row in table.to_pylist()] == written[1:]
        assert table.num_rows == entry["rows"]
    _generate(tmp_path / "again", "--parquet")
    assert _contents(tmp_path / "parquet") == _contents(tmp_path / "again")


def test_a_readable_summary_without_json(tmp_path: Path) -> None:
    code, stdout, stderr = cli("sqlite://", "generate", *SIZE, "--out", str(tmp_path))
    assert code == 0, stderr
    assert "crew.csv" in stdout and "implausible" in stdout and "manifest.json" in stdout


def test_an_out_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    taken = tmp_path / "file"
    taken.write_text("x")
    code, _, stderr = cli("sqlite://", "generate", *SIZE, "--out", str(taken))
    assert code == 2
    assert "not a directory" in stderr
