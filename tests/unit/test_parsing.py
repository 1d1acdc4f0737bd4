"""Malformed input of every kind is named by file, row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.services.parsing import FORMATS, parse_decimal, parse_table
from stakhanov.services.tables import read_source
from tests.integration.helpers import write


def problems(tmp_path: Path, name: str, text: str) -> list[str]:
    write(tmp_path, name, text)
    batch = read_source(tmp_path, set(FORMATS))
    found = [str(p) for p in batch.problems]
    for table in batch.tables.values():
        found += [str(p) for p in parse_table(table, FORMATS[table.name])[1]]
    return found


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "workers.csv",
            "worker_id,name,unit,shoe_size\n",
            "workers.csv:1:shoe_size: unknown column",
        ),
        ("workers.csv", "worker_id,name\n", "workers.csv:1:unit: required column is missing"),
        ("workers.csv", "worker_id,name,unit,name\n", "workers.csv:1:name: column appears twice"),
        ("workers.csv", "worker_id,name,unit\nW1,,Mine\n", "workers.csv:2:name: is required"),
        (
            "workers.csv",
            "worker_id,name,unit\nW1,A,Mine//B\n",
            "workers.csv:2:unit: must be a path",
        ),
        (
            "norms.csv",
            "operation,unit,kind,norm,effective_from\nhewing,t,piece,7,1935-01-01\n",
            "norms.csv:2:kind: must be one of: output, time",
        ),
        (
            "norms.csv",
            "operation,unit,kind,norm,effective_from\nhewing,t,output,7,1935-01-01\n",
            "norms.csv:2:norm_hours: is required for an output norm",
        ),
        (
            "norms.csv",
            "operation,unit,kind,norm,norm_hours,effective_from\n"
            "hewing,t,output,seven,6,1935-01-01\n",
            "norms.csv:2:norm: is not a number",
        ),
        (
            "norms.csv",
            "operation,unit,kind,norm,norm_hours,effective_from\n"
            "hewing,zorks,output,7,6,1935-01-01\n",
            "norms.csv:2:unit: is not a known unit of measure",
        ),
        (
            "shifts.csv",
            "shift_id,date,hours,workplace\nS1,31.08.1935,6,Mine\n",
            "shifts.csv:2:date: must be an ISO date",
        ),
        (
            "shifts.csv",
            "shift_id,date,hours,workplace\nS1,1935-08-31,0,Mine\n",
            "shifts.csv:2:hours: must be more than 0 and at most 24 hours",
        ),
        (
            "shifts.csv",
            "shift_id,date,hours,workplace,conditions\nS1,1935-08-31,6,Mine,staged\n",
            "shifts.csv:2:conditions: must be one of: standard, prepared",
        ),
        (
            "output.csv",
            "shift_id,operation,quantity,unit\nS1,hewing,-1,t\n",
            "output.csv:2:quantity: must not be negative",
        ),
        (
            "output.csv",
            'shift_id,operation,quantity,unit\nS1,hewing,"1,5",t\n',
            "output.csv:2:quantity: use '.' as the decimal point",
        ),
        (
            "output.csv",
            "shift_id,operation,quantity,unit\nS1,hewing,NaN,t\n",
            "output.csv:2:quantity: is not a finite number",
        ),
        (
            "crew.csv",
            "shift_id,worker_id,operation,hours\nS1,W1,hewing,-6\n",
            "crew.csv:2:hours: must be more than 0",
        ),
        (
            "crew.csv",
            "shift_id,worker_id,operation,hours,credited\nS1,W1,hewing,6,-3\n",
            "crew.csv:2:credited: must not be negative",
        ),
        (
            "crew.csv",
            "shift_id,worker_id,operation,hours,coefficient\nS1,W1,hewing,6,-1\n",
            "crew.csv:2:coefficient: must not be negative",
        ),
        (
            "crew.csv",
            "shift_id,worker_id,operation,hours\nS1,W1,hewing,6,9\n",
            "crew.csv:2:-: 5 cells but the header has 4",
        ),
        ("plans2.csv", "a,b\n", "plans2.csv:1:-: unknown file"),
        ("crew.csv", "", "crew.csv:1:-: empty file: no header row"),
    ],
)
def test_malformed_input_is_located(tmp_path: Path, name: str, text: str, expected: str) -> None:
    found = problems(tmp_path, name, text)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_in_a_file_is_collected(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "crew.csv",
        "shift_id,worker_id,operation,hours\nS1,W1,hewing,x\nS2,,hewing,6\nS3,W3,,0\n",
    )
    assert found == [
        "crew.csv:2:hours: is not a number of hours: write decimal hours (6, 6.5), hours and "
        "minutes (20min, 6h, 6h20min, 6:20) or a fraction (1/3)",
        "crew.csv:3:worker_id: is required",
        "crew.csv:4:operation: is required",
        "crew.csv:4:hours: must be more than 0",
    ]


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "workers.csv").write_bytes(
        "worker_id,name,unit\nW1,Stachanow\xe9,Mine\n".encode("latin-1")
    )
    assert problems(tmp_path, "shifts.csv", "shift_id,date,hours,workplace\n") == [
        "workers.csv:2:-: not UTF-8 text: invalid continuation byte"
    ]


def test_decimals_keep_their_written_scale() -> None:
    assert str(parse_decimal("50.0", "quantity")) == "50.0"
    assert str(parse_decimal("50", "quantity")) == "50"


def test_a_number_too_large_to_hold_exactly_is_a_problem_not_a_crash() -> None:
    with pytest.raises(InvalidValue, match="too large"):
        parse_decimal("-1304374197803227" + "0" * 290, "hours")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1_000", "is not a number"),
        ("٣", "is not a number"),
        ("６", "is not a number"),
        ("6h", "is not a number"),
        ("0x10", "is not a number"),
        ("Infinity", "is not a finite number"),
        ("-inf", "is not a finite number"),
        ("99999999999999999999999999999", "is too large"),
        ("1" + "0" * 12, "is too large"),
        ("0.0000001", "at most 6 decimal places"),
        ("1e3", "without an exponent"),
        ("1E+15", "without an exponent"),
        ("+10", "without '\\+'"),
        (".5", "digit on both sides"),
        ("6.", "digit on both sides"),
        ("NaN", "is not a finite number"),
        ("+Infinity", "is not a finite number"),
    ],
)
def test_numbers_are_plain_decimal_notation_within_exact_range(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        parse_decimal(text, "quantity")


@pytest.mark.parametrize(
    ("text", "written"),
    [(" 6 ", "6"), ("0.5", "0.5"), ("-0", "0"), ("-0.0", "0.0"), ("50.0", "50.0")],
)
def test_plain_numbers_keep_their_written_value(text: str, written: str) -> None:
    assert str(parse_decimal(text, "quantity")) == written


def test_a_huge_quantity_is_a_located_problem(tmp_path: Path) -> None:
    found = problems(
        tmp_path, "output.csv", "shift_id,operation,quantity,unit\nS1,hewing,1" + "0" * 28 + ",t\n"
    )
    assert found == ["output.csv:2:quantity: is too large (at most 12 digits before the point)"]


def test_a_spreadsheet_export_s_quirks_are_read_as_the_data_they_hold(tmp_path: Path) -> None:
    """A BOM, CRLF, blank lines before the header, trailing empty columns and a capitalised name."""
    (tmp_path / "Workers.CSV").write_bytes(
        b"\xef\xbb\xbf\r\n\r\nworker_id,name,unit,trade,grade,,\r\n"
        b'W1,"Smith, John",Mine/A,,,,\r\n\r\n,,,,,,\r\nW2,,Mine/A,,,,\r\n'
    )
    batch = read_source(tmp_path, set(FORMATS))
    assert batch.problems == []
    records, found = parse_table(batch.tables["workers.csv"], FORMATS["workers.csv"])
    assert [w.name for w in records] == ["Smith, John"]
    assert [str(p) for p in found] == ["Workers.CSV:7:name: is required"]


def test_a_value_in_a_nameless_column_is_still_a_problem(tmp_path: Path) -> None:
    found = problems(tmp_path, "workers.csv", "worker_id,name,unit,\nW1,A,Mine,x\n")
    assert found == ["workers.csv:2:-: 4 cells but the header has 3"]


def test_a_header_below_blank_lines_is_located_on_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "workers.csv").write_text("\n\nworker_id,name,unit,shoe_size\n")
    found = problems(tmp_path, "shifts.csv", "shift_id,date,hours,workplace\n")
    assert found[0].startswith("workers.csv:3:shoe_size: unknown column")


def test_a_file_separated_by_semicolons_is_named_as_such(tmp_path: Path) -> None:
    found = problems(tmp_path, "workers.csv", "worker_id;name;unit\nW1;A;Mine\n")
    assert found == [
        "workers.csv:1:-: the header is one column; columns are separated by commas, not ';'"
    ]


def test_a_utf16_file_is_named_with_the_way_out(tmp_path: Path) -> None:
    (tmp_path / "workers.csv").write_bytes("worker_id,name,unit\n".encode("utf-16"))
    assert problems(tmp_path, "shifts.csv", "shift_id,date,hours,workplace\n") == [
        "workers.csv:1:-: not UTF-8 text: invalid start byte; save it as CSV UTF-8"
    ]


def test_a_workbook_s_sheets_whatever_their_case_and_its_empty_default_sheet(
    tmp_path: Path,
) -> None:
    from openpyxl import Workbook

    book = Workbook()  # keeps Excel's empty "Sheet"
    book.create_sheet("Workers").append(["worker_id", "name", "unit"])
    book["Workers"].append(["W1", None, "Mine"])
    book.create_sheet("Notes").append(["ask the foreman about S3"])
    path = tmp_path / "log.xlsx"
    book.save(path)
    batch = read_source(path, set(FORMATS))
    assert [str(p).split(";")[0] for p in batch.problems] == ["log.xlsx[Notes]:1:-: unknown file"]
    _, found = parse_table(batch.tables["workers.csv"], FORMATS["workers.csv"])
    assert [str(p) for p in found] == ["log.xlsx[Workers]:2:name: is required"]


def test_a_directory_without_csv_files_is_a_problem_not_an_empty_success(tmp_path: Path) -> None:
    batch = read_source(tmp_path, set(FORMATS))
    assert [str(p).split(";")[0] for p in batch.problems] == [
        f"{tmp_path.name}:0:-: no CSV files in this directory"
    ]


def test_a_damaged_workbook_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_text("not a workbook")
    batch = read_source(path, set(FORMATS))
    assert [str(p) for p in batch.problems] == [
        "log.xlsx:0:-: cannot be read as an .xlsx workbook: File is not a zip file"
    ]


def test_a_control_character_in_a_cell_is_a_located_problem(tmp_path: Path) -> None:
    """PostgreSQL refuses NUL in text; the import names the cell instead of failing to write."""
    (tmp_path / "workers.csv").write_bytes(
        b"worker_id,name,unit\nW1,A\x00B,Mine\nW2,\x1b[31m,Mine\n"
    )
    assert problems(tmp_path, "shifts.csv", "shift_id,date,hours,workplace\n") == [
        "workers.csv:2:name: contains a control character (such as NUL)",
        "workers.csv:3:name: contains a control character (such as NUL)",
    ]


def test_a_row_with_fewer_cells_than_the_header_is_refused_not_padded(tmp_path: Path) -> None:
    found = problems(
        tmp_path, "shifts.csv", "shift_id,date,hours,workplace,conditions\nS1,1935-08-31,6\n"
    )
    assert found == ["shifts.csv:2:-: 3 cells but the header has 5"]


@given(
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=6,
        min_value=-(10**12) + 1,
        max_value=10**12 - 1,
    )
)
def test_every_plain_decimal_reads_back_as_itself(value: Decimal) -> None:
    written = format(value, "f")
    assert parse_decimal(written, "quantity") == value
