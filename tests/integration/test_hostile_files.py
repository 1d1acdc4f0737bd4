"""Workbooks are checked as streams before parsing, and uploads are read in a confined child."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from stakhanov.services.archives import ArchiveLimits, workbook_problems
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.services.uploads import (
    ChildFailed,
    TimeLimit,
    UploadLimits,
    read_upload,
    run_confined,
)
from tests.bombs import SHEET, ordinary_workbook, zipped

TINY = ArchiveLimits(
    parts=20, part_bytes=200_000, total_bytes=300_000, token_bytes=4096, chunk=1024
)


def workbook(
    tmp_path: Path, sheet_extra: bytes = b"", parts: dict[str, bytes] | None = None
) -> Path:
    source = ordinary_workbook()
    files = {name: source.read(name) for name in source.namelist()}
    at = files[SHEET].index(b"<sheetData")
    files[SHEET] = files[SHEET][:at] + sheet_extra + files[SHEET][at:]
    files.update(parts or {})
    path = tmp_path / "workers.xlsx"
    path.write_bytes(zipped(files))
    return path


def messages(path: Path, limits: ArchiveLimits = TINY) -> list[str]:
    return [str(p) for p in workbook_problems(path, limits)]


def test_an_ordinary_workbook_passes_and_reads(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    assert messages(path) == []
    batch = read_source(path, set(FORMATS))
    assert batch.problems == [] and batch.row_count == 1


def test_one_giant_token_is_refused_even_when_small_overall(tmp_path: Path) -> None:
    path = workbook(tmp_path, b"<!--" + b" " * 5000 + b"-->")
    assert messages(path) == [
        f"workers.xlsx:0:-: {SHEET}: holds one XML token of more than 4096 bytes"
    ]
    assert messages(workbook(tmp_path, b"<!--" + b" " * 4000 + b"-->")) == []


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    path = workbook(
        tmp_path, parts={"xl/extra.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'}
    )
    assert messages(path) == [
        "workers.xlsx:0:-: xl/extra.xml: declares a DOCTYPE, which no workbook does"
    ]


def test_sizes_and_parts_are_limited(tmp_path: Path) -> None:
    big = workbook(tmp_path, parts={"xl/media/image.bin": b"\0" * 250_000})
    assert messages(big) == [
        "workers.xlsx:0:-: xl/media/image.bin: unpacks to 250000 bytes, too large"
    ]
    many = workbook(tmp_path, parts={f"xl/p{n}.bin": b"" for n in range(30)})
    assert messages(many)[0].startswith("workers.xlsx:0:-: has ")
    assert "a workbook may have 20" in messages(many)[0]
    total = workbook(tmp_path, parts={f"xl/p{n}.bin": b"\0" * 120_000 for n in range(3)})
    assert "unpacks to" in messages(total)[0]


def test_not_a_zip_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "workers.xlsx"
    path.write_bytes(b"PK\x03\x04 but nothing more")
    assert messages(path)[0].startswith("workers.xlsx:0:-: cannot be read as an .xlsx workbook")


def test_a_child_past_its_time_is_stopped() -> None:
    with pytest.raises(TimeLimit, match=r"took longer than 0\.5 s"):
        run_confined(time.sleep, (3600,), UploadLimits(seconds=0.5))  # killed, not waited for


def test_a_child_that_fails_says_why() -> None:
    with pytest.raises(ChildFailed, match="ValueError"):
        run_confined(int, ("not a number",), UploadLimits())
    assert run_confined(int, ("42",), UploadLimits()) == 42


def test_an_upload_over_its_rows_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "workers.csv").write_text(
        "worker_id,name,unit\n" + "".join(f"W{n},N,Mine\n" for n in range(5)), encoding="utf-8"
    )
    batch = read_upload(tmp_path, set(FORMATS), UploadLimits(rows=4))
    assert [str(p) for p in batch.problems] == [
        f"{tmp_path.name}:0:-: more than 4 rows in one upload"
    ]
    assert read_upload(tmp_path, set(FORMATS), UploadLimits(rows=5)).row_count == 5
