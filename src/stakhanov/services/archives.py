"""Checks on an .xlsx workbook (a zip of XML parts) before any XML parser reads it.

A 100 KB workbook can unpack to gigabytes, lie about its sizes, or hold one XML token (a
comment, a text) of many megabytes, which the XML parser rescans on every chunk it is fed:
minutes of CPU for a small upload. Each part is unpacked here as a stream, counting what it
really yields, and refused at the first limit it passes; nothing is kept in memory.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.wording import say

MIB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    parts: int = 2_000
    part_bytes: int = 64 * MIB
    total_bytes: int = 256 * MIB
    token_bytes: int = 256 * 1024  # Excel holds at most 32,767 characters in a cell
    chunk: int = 64 * 1024


LIMITS = ArchiveLimits()


class _Refused(Exception):
    pass


def workbook_problems(path: Path, limits: ArchiveLimits = LIMITS) -> list[Problem]:
    """Why the workbook may not be parsed (one located problem), or nothing."""
    try:
        _check(path, limits)
    except _Refused as err:
        return [Problem(Source(path.name, 0), "-", str(err))]
    # zipfile raises RuntimeError for an encrypted part, ValueError for a malformed one.
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as err:
        return [
            Problem(
                Source(path.name, 0),
                "-",
                say("cannot be read as an .xlsx workbook: %(err)s", err=str(err)),
            )
        ]
    return []


def _check(path: Path, limits: ArchiveLimits) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
        if len(parts) > limits.parts:
            raise _Refused(f"has {len(parts)} parts; a workbook may have {limits.parts}")
        declared = sum(p.file_size for p in parts)
        if declared > limits.total_bytes:
            raise _Refused(f"unpacks to {declared} bytes; at most {limits.total_bytes} are read")
        total = 0
        for part in parts:
            if part.file_size > limits.part_bytes:
                raise _Refused(f"{part.filename}: unpacks to {part.file_size} bytes, too large")
            total += _unpacked(archive, part, limits)
            if total > limits.total_bytes:
                raise _Refused(f"unpacks to more than {limits.total_bytes} bytes")


def _unpacked(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: ArchiveLimits) -> int:
    """The bytes the part really yields (its declared size may lie), checking its XML."""
    xml = part.filename.endswith((".xml", ".rels", ".vml"))
    size, run, tail = 0, 0, b""
    with archive.open(part) as stream:  # a lying size ends in a CRC error, caught above
        while chunk := stream.read(limits.chunk):
            size += len(chunk)
            if size > limits.part_bytes:
                raise _Refused(f"{part.filename}: unpacks to more than {limits.part_bytes} bytes")
            if not xml:
                continue
            if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                raise _Refused(f"{part.filename}: declares a DOCTYPE, which no workbook does")
            tail = chunk[-16:]
            run = _longest_run(chunk, run, part.filename, limits.token_bytes)
    return size


def _longest_run(chunk: bytes, run: int, name: str, limit: int) -> int:
    """The run of bytes with no markup carried past this chunk; refuse a run over `limit`.

    The chunk is smaller than the limit, so only a run that crosses chunks can pass it."""
    first = chunk.find(b"<")
    if first < 0:
        run += len(chunk)
    elif run + first <= limit:
        run = len(chunk) - 1 - chunk.rfind(b"<")
    else:
        run += first
    if run > limit:
        raise _Refused(f"{name}: holds one XML token of more than {limit} bytes")
    return run
