"""Workbook bombs, built in the tests: small on the wire, over 100 MiB unpacked."""

from __future__ import annotations

import io
import struct
import zipfile

from openpyxl import Workbook

BOMB_BYTES = 101 * 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def ordinary_workbook() -> zipfile.ZipFile:
    """A workers sheet with one row, as openpyxl writes it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "workers"
    sheet.append(["worker_id", "name", "unit", "trade", "grade"])
    sheet.append(["W9", "Bomb", "Mine", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return zipfile.ZipFile(buffer)


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def comment_in_sheet() -> bytes:
    """The sheet's XML holds one XML comment of 101 MiB."""
    source = ordinary_workbook()
    parts = {name: source.read(name) for name in source.namelist()}
    at = parts[SHEET].index(b"<sheetData")
    parts[SHEET] = parts[SHEET][:at] + b"<!--" + b" " * BOMB_BYTES + b"-->" + parts[SHEET][at:]
    return zipped(parts)


def comment_part() -> bytes:
    """A comments part of 101 MiB beside an ordinary sheet."""
    source = ordinary_workbook()
    parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/comments1.xml"] = b"<comments>" + b"x" * BOMB_BYTES + b"</comments>"
    return zipped(parts)


def lying_sizes() -> bytes:
    """The sheet unpacks to 101 MiB but both its headers say 1 KB."""
    data = bytearray(comment_in_sheet())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(SHEET)] != SHEET.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)  # central directory
    return bytes(data)


def _with_parts(extra: dict[str, bytes], sheet_prefix: bytes = b"") -> bytes:
    source = ordinary_workbook()
    parts = {name: source.read(name) for name in source.namelist()}
    if sheet_prefix:
        at = parts[SHEET].index(b"<sheetData")
        parts[SHEET] = parts[SHEET][:at] + sheet_prefix + parts[SHEET][at:]
    return zipped({**parts, **extra})


def doctype_part() -> bytes:
    """A billion-laughs part: entities that expand each other."""
    laughs = b"".join(
        b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">'
        % ((n,) + (n - 1,) * 10)
        for n in range(1, 10)
    )
    part = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "ha">' + laughs + b"]><x>&l9;</x>"
    return _with_parts({"xl/extra.xml": part})


def many_parts() -> bytes:
    """Thousands of empty parts: each cheap, together a central directory to choke on."""
    return _with_parts({f"xl/p{n}.xml": b"" for n in range(2_100)})


def not_a_zip() -> bytes:
    """A workbook's name on something else."""
    return b"PK\x03\x04" + b"\0" * 100


def giant_token() -> bytes:
    """One XML text node of 1 MiB inside the sheet, small overall."""
    return _with_parts({}, b"<!--" + b" " * (1024 * 1024) + b"-->")
