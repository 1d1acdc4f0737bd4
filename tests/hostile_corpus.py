"""The bad-input corpus: how tests/fixtures/hostile/ is built, one case per hostile input.

`python -m tests.hostile_corpus` writes every case's files and the manifest; the corpus test
reads only what is written there (bombs, hundreds of MiB unpacked, are built when a test runs).
Each case is imported on top of the mini data set; each must be refused with one located
problem `file:row:field: ...` holding the manifest's fragment, and write nothing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures" / "hostile"
MANIFEST = CORPUS / "manifest.json"

HEADERS = {
    "shifts.csv": "shift_id,date,hours,workplace,conditions,note",
    "output.csv": "shift_id,operation,quantity,unit,rejected",
    "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient",
    "workers.csv": "worker_id,name,unit,trade,grade",
    "norms.csv": (
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source"
    ),
    "time.csv": "worker_id,date,kind,operation,hours,note",
    "rejects.csv": "shift_id,operation,worker_id,quantity,note",
    "plans.csv": "unit,operation,period_start,period_end,target,unit_of_measure",
    "incidents.csv": "incident_id,date,shift_id,worker_ids,severity,description",
    "provenance.csv": (
        "operation,effective_from,method,observations,pace_rating,allowances,evidence,approved_by"
    ),
}
"""Valid rows against the mini data set: a new shift X1 of 15 August with its output and crew."""
ROWS = {
    "shifts.csv": "X1,1935-08-15,6,Mine/Section 1/Brigade 1,standard,",
    "output.csv": "X1,hewing,20,t,",
    "crew.csv": "X1,H1,hewing,6,20,",
    "workers.csv": "W9,New Worker,Mine/Section 1/Brigade 1,hewer,5",
    "norms.csv": "drilling,m,output,10,6,,40,1935-10-01,decree,test",
    "time.csv": "H1,1935-08-16,idle,hewing,2,",
    "rejects.csv": "S2,hewing,H2,1,",
    "plans.csv": "Mine/Section 1/Brigade 1,hewing,1935-09-01,1935-09-30,500,t",
    "incidents.csv": "I9,1935-08-15,X1,H1,minor,fell",
    "provenance.csv": "hewing,1935-01-01,decree,,,,,",
}
SHIFT_FILES = ("shifts.csv", "output.csv", "crew.csv")


@dataclass
class Case:
    """A hostile input: its files, and where and how the refusal must point."""

    name: str
    category: str
    files: dict[str, bytes]
    expect: str  # "file:row:field"
    fragment: str
    build: str | None = None  # a tests/bombs.py function that makes the single file, at run time
    api: bool = True  # also uploaded through POST /api/imports
    extra: list[str] = field(default_factory=list)

    def entry(self) -> dict[str, object]:
        entry: dict[str, object] = {
            "name": self.name,
            "category": self.category,
            "files": sorted(self.files) if not self.build else [self.expect.split(":")[0]],
            "expect": self.expect,
            "fragment": self.fragment,
            "api": self.api,
        }
        if self.build:
            entry["build"] = self.build
        return entry


def table(file: str, *rows: str, header: str | None = None) -> bytes:
    lines = [HEADERS[file] if header is None else header, *rows]
    return ("\n".join(lines) + "\n").encode()


def with_cell(file: str, column: str, value: str) -> str:
    """The file's valid row with one cell replaced (the value is written as given)."""
    columns = HEADERS[file].split(",")
    cells = ROWS[file].split(",")
    cells[columns.index(column)] = value
    return ",".join(cells)


def shift_set(changed: str | None = None, row: str | None = None) -> dict[str, bytes]:
    """The new shift X1 with output and crew; `changed` file gets `row` instead of its own."""
    return {f: table(f, row if f == changed and row is not None else ROWS[f]) for f in SHIFT_FILES}


def files_for(file: str, row: str) -> dict[str, bytes]:
    """One bad row in `file`, with whatever else makes the rest of the batch valid."""
    if file in SHIFT_FILES:
        return shift_set(file, row)
    if file == "incidents.csv":
        return {**shift_set(), file: table(file, row)}
    return {file: table(file, row)}


def cell(name: str, category: str, file: str, column: str, value: str, fragment: str) -> Case:
    return Case(
        name,
        category,
        files_for(file, with_cell(file, column, value)),
        f"{file}:2:{column}",
        fragment,
    )


NUMBER_COLUMNS = [
    ("shifts.csv", "hours"),
    ("output.csv", "quantity"),
    ("crew.csv", "hours"),
    ("crew.csv", "credited"),
    ("norms.csv", "norm"),
    ("norms.csv", "norm_hours"),
    ("time.csv", "hours"),
    ("plans.csv", "target"),
]
BAD_NUMBERS = [
    ("exponent", "1e3", "without an exponent"),
    ("plus", "+10", "without '+'"),
    ("nan", "NaN", "is not"),
    ("infinity", "inf", "is not"),
    ("comma", "1,5", ""),  # a decimal comma splits the cell: see COMMA
    ("hex", "0x10", "is not a number"),
    ("underscore", "1_000", "is not a number"),
    ("bare-point", ".5", "a digit on both sides"),
    ("words", "six", "is not a number"),
    ("huge", "1" * 40, "is too large"),
    ("decimals", "1.1234567", "decimal"),
]


COMMA = {
    ("shifts.csv", "hours"): ("shifts.csv:2:conditions", "must be one of"),
    ("output.csv", "quantity"): ("output.csv:2:rejected", "is not a number"),
    ("crew.csv", "hours"): ("crew.csv:2:credited", "add up to 5 t but 20 t was measured"),
    ("crew.csv", "credited"): ("crew.csv:2:credited", "add up to 1 t but 20 t was measured"),
    ("norms.csv", "norm"): ("norms.csv:2:-", "11 cells but the header has 10"),
    ("norms.csv", "norm_hours"): ("norms.csv:2:-", "11 cells but the header has 10"),
    ("plans.csv", "target"): ("plans.csv:2:-", "7 cells but the header has 6"),
}
"""Where `1,5` is caught: the row's cells shift by one, and a later cell is wrong. In time.csv
it cannot be: `hours,note` read as 1 and 5 (the trailing empty cell is dropped, as for any
spreadsheet export), so that case is not in the corpus."""


def number_cases() -> Iterator[Case]:
    for file, column in NUMBER_COLUMNS:
        for label, value, fragment in BAD_NUMBERS:
            if label == "comma":
                if (file, column) in COMMA:
                    expect, found = COMMA[file, column]
                    row = with_cell(file, column, value)
                    yield Case(
                        f"numbers-{file[:-4]}-{column}-comma",
                        "numbers",
                        files_for(file, row),
                        expect,
                        found,
                    )
                continue
            yield cell(
                f"numbers-{file[:-4]}-{column}-{label}", "numbers", file, column, value, fragment
            )
    for file, column, value, fragment in (
        ("shifts.csv", "hours", "-6", "must be more than 0 and at most 24 hours"),
        ("shifts.csv", "hours", "25", "must be more than 0 and at most 24 hours"),
        ("output.csv", "quantity", "-20", "must not be negative"),
        ("crew.csv", "hours", "0", "must be more than 0"),
        ("output.csv", "rejected", "-1", "must not be negative"),
        ("crew.csv", "coefficient", "-2", "must not be negative"),
        ("norms.csv", "norm", "0", "must be more than 0"),
        ("norms.csv", "max_rate", "abc", "is not a number"),
        ("rejects.csv", "quantity", "0", "must be more than 0"),
    ):
        yield cell(
            f"numbers-{file[:-4]}-{column}-{value}", "numbers", file, column, value, fragment
        )


DATE_COLUMNS = [
    ("shifts.csv", "date"),
    ("norms.csv", "effective_from"),
    ("time.csv", "date"),
    ("plans.csv", "period_start"),
    ("incidents.csv", "date"),
]
BAD_DATES = [
    ("february-30", "1935-02-30"),
    ("dotted", "31.08.1935"),
    ("unpadded", "1935-8-1"),
    ("compact", "19350801"),
    ("with-time", "1935-08-15T08:00"),
    ("words", "yesterday"),
]


def date_cases() -> Iterator[Case]:
    for file, column in DATE_COLUMNS:
        for label, value in BAD_DATES:
            yield cell(
                f"dates-{file[:-4]}-{column}-{label}",
                "dates",
                file,
                column,
                value,
                "must be an ISO date like 1935-08-31",
            )


def unit_cases() -> Iterator[Case]:
    """A norm may count in a unit of its own (`part`); what it measures must be compatible."""
    for label, value in (("unknown", "furlong"), ("incompatible", "h")):
        yield cell(
            f"units-output-{label}",
            "units",
            "output.csv",
            "unit",
            value,
            f"{value!r} is not compatible with 't', the unit of the hewing norm",
        )
    for label, value in (
        ("expression", "t/0"),
        ("injection", "t; DROP TABLE shifts"),
        ("python", "__import__('os')"),
    ):
        for file in ("output.csv", "norms.csv"):
            yield cell(
                f"units-{file[:-4]}-{label}",
                "units",
                file,
                "unit",
                value,
                "is not a known unit of measure",
            )
    for file in ("output.csv", "norms.csv"):
        yield cell(
            f"units-{file[:-4]}-power",
            "units",
            file,
            "unit",
            "t**1000000",
            "raises a unit to a power above 3",
        )
    yield cell(
        "units-plans-unknown",
        "units",
        "plans.csv",
        "unit_of_measure",
        "furlong",
        "'furlong' is not compatible with 't'",
    )


def reference_cases() -> Iterator[Case]:
    refs = [
        ("output-unknown-shift", "output.csv", "shift_id", "NOPE", "unknown shift 'NOPE'"),
        (
            "output-unknown-operation",
            "output.csv",
            "operation",
            "levitating",
            "unknown operation 'levitating'",
        ),
        ("crew-unknown-worker", "crew.csv", "worker_id", "NOBODY", "unknown worker 'NOBODY'"),
        ("crew-unknown-shift", "crew.csv", "shift_id", "NOPE", "unknown shift 'NOPE'"),
        (
            "crew-unknown-operation",
            "crew.csv",
            "operation",
            "levitating",
            "'levitating' is not measured",
        ),
        ("time-unknown-worker", "time.csv", "worker_id", "NOBODY", "unknown worker 'NOBODY'"),
        (
            "rejects-unknown-worker",
            "rejects.csv",
            "worker_id",
            "NOBODY",
            "'NOBODY' is not credited on hewing in S2",
        ),
        (
            "incidents-unknown-worker",
            "incidents.csv",
            "worker_ids",
            "NOBODY",
            "unknown worker 'NOBODY'",
        ),
        ("incidents-unknown-shift", "incidents.csv", "shift_id", "NOPE", "unknown shift 'NOPE'"),
        (
            "shifts-unknown-conditions",
            "shifts.csv",
            "conditions",
            "heroic",
            "must be one of: standard, prepared",
        ),
        ("norms-unknown-kind", "norms.csv", "kind", "magic", "must be one of: output, time"),
        (
            "time-unknown-kind",
            "time.csv",
            "kind",
            "napping",
            "must be one of: idle, rest, nonproductive",
        ),
    ]
    for label, file, column, value, fragment in refs:
        yield cell(f"references-{label}", "references", file, column, value, fragment)
    yield Case(
        "references-provenance-unknown-norm",
        "references",
        {
            "provenance.csv": table(
                "provenance.csv", with_cell("provenance.csv", "operation", "levitating")
            )
        },
        "provenance.csv:2:effective_from",
        "no levitating norm takes effect on 1935-01-01",
    )
    # A reject in a shift that does not exist is caught where its operation is looked for.
    yield Case(
        "references-rejects-unknown-shift",
        "references",
        {"rejects.csv": table("rejects.csv", with_cell("rejects.csv", "shift_id", "NOPE"))},
        "rejects.csv:2:operation",
        "no output of 'hewing' is measured in shift 'NOPE'",
    )
    # A stored shift changed without --correct, and a row twice in one batch.
    changed = (
        with_cell("shifts.csv", "hours", "7")
        .replace("X1", "S1")
        .replace("1935-08-15", "1935-08-31")
    )
    yield Case(
        "references-changed-without-correct",
        "references",
        {"shifts.csv": table("shifts.csv", changed)},
        "shifts.csv:2:hours",
        "conflicts with the stored row (hours was '6'",
    )
    yield Case(
        "references-duplicate-row",
        "references",
        {**shift_set(), "shifts.csv": table("shifts.csv", ROWS["shifts.csv"], ROWS["shifts.csv"])},
        "shifts.csv:3:shift_id",
        "duplicate of row 2 (X1)",
    )
    yield Case(
        "references-credit-over-output",
        "references",
        shift_set("crew.csv", with_cell("crew.csv", "credited", "25")),
        "crew.csv:2:credited",
        "add up to 25 t but 20 t was measured",
    )


def shape_cases() -> Iterator[Case]:
    row = ROWS["workers.csv"]
    w = "workers.csv"
    shapes = [
        ("short-row", table(w, "W9,New Worker"), f"{w}:2:-", "cells but the header has"),
        ("long-row", table(w, row + ",extra,more"), f"{w}:2:-", "cells but the header has"),
        (
            "missing-column",
            table(w, "W9,New Worker", header="worker_id,name"),
            f"{w}:1:unit",
            "required column is missing",
        ),
        (
            "unknown-column",
            table(w, row + ",x", header=HEADERS[w] + ",salary"),
            f"{w}:1:salary",
            "unknown column",
        ),
        (
            "twice-column",
            table(w, row + ",W9", header=HEADERS[w] + ",worker_id"),
            f"{w}:1:worker_id",
            "column appears twice",
        ),
        (
            "semicolons",
            table(w, row.replace(",", ";"), header=HEADERS[w].replace(",", ";")),
            f"{w}:1:-",
            "separated by commas, not ';'",
        ),
        ("empty-file", b"", f"{w}:1:-", "empty file"),
        ("blank-lines-only", b"\n \n,,\n", f"{w}:1:-", "empty file"),
        # Without a header the first row is taken as one: its cells are unknown columns.
        ("no-header", b"\n\n" + row.encode() + b"\n", f"{w}:3:W9", "unknown column"),
        (
            "unterminated-quote",
            table(w, 'W9,"New Worker,Mine,hewer,5'),
            f"{w}:2:-",
            "2 cells but the header has 5",
        ),
        (
            "required-empty",
            table(w, ",New Worker,Mine/Section 1/Brigade 1,hewer,5"),
            f"{w}:2:worker_id",
            "is required",
        ),
        (
            "whitespace-id",
            table(w, "   ,New Worker,Mine/Section 1/Brigade 1,hewer,5"),
            f"{w}:2:worker_id",
            "is required",
        ),
    ]
    for label, data, expect, fragment in shapes:
        yield Case(f"shapes-{label}", "shapes", {w: data}, expect, fragment)
    yield Case(
        "shapes-unknown-file",
        "shapes",
        {"salaries.csv": b"who,how much\nme,all\n"},
        "salaries.csv:1:-",
        "unknown file",
    )
    yield Case(
        "shapes-crew-without-shift-columns",
        "shapes",
        {"crew.csv": table("crew.csv", "X1", header="shift_id")},
        "crew.csv:1:worker_id",
        "required column is missing",
    )


def encoding_cases() -> Iterator[Case]:
    w = "workers.csv"
    text = f"{HEADERS[w]}\nW9,Стаханов,Mine/Section 1/Brigade 1,hewer,5\n"
    yield Case(
        "encodings-latin1",
        "encodings",
        {w: text.replace("Стаханов", "Café").encode("latin-1")},
        f"{w}:2:-",
        "UTF-8",
    )
    yield Case("encodings-cp1251", "encodings", {w: text.encode("cp1251")}, f"{w}:2:-", "UTF-8")
    yield Case(
        "encodings-utf16",
        "encodings",
        {w: text.encode("utf-16")},
        f"{w}:1:-",
        "save it as CSV UTF-8",
    )
    yield Case(
        "encodings-utf16-be-no-bom",
        "encodings",
        {w: text.encode("utf-16-be")},
        f"{w}:1:-",
        "save it as CSV UTF-8",
    )
    yield Case(
        "encodings-utf16-le-no-bom",
        "encodings",
        {w: text.encode("utf-16-le")},
        f"{w}:1:-",
        "save it as CSV UTF-8",
    )
    yield Case(
        "encodings-utf32",
        "encodings",
        {w: text.encode("utf-32")},
        f"{w}:1:-",
        "save it as CSV UTF-8",
    )
    yield Case(
        "encodings-invalid-in-row-3",
        "encodings",
        {w: text.encode() + b"W10,Bad\xff\xfe,Mine/Section 1/Brigade 1,hewer,5\n"},
        f"{w}:3:-",
        "UTF-8",
    )
    yield Case(
        "encodings-bom-then-bad-row",
        "encodings",
        {w: b"\xef\xbb\xbf" + text.encode() + b"W10,,Mine,hewer,5\n"},
        f"{w}:3:name",
        "is required",
    )
    yield Case(
        "encodings-double-bom",
        "encodings",
        {w: b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode()},
        f"{w}:1:worker_id",
        "required column is missing",
    )
    for label, char in (
        ("nul", "\x00"),
        ("bell", "\x07"),
        ("escape", "\x1b"),
        ("delete", "\x7f"),
        ("form-feed", "\x0c"),
    ):
        yield Case(
            f"encodings-control-{label}",
            "encodings",
            {w: table(w, f"W9,Ne{char}w,Mine/Section 1/Brigade 1,hewer,5")},
            f"{w}:2:name",
            "control character",
        )
    yield Case(
        "encodings-nul-in-shift-id",
        "encodings",
        shift_set("shifts.csv", "X\x001" + ROWS["shifts.csv"][2:]),
        "shifts.csv:2:shift_id",
        "control character",
    )
    yield Case(
        "encodings-binary", "encodings", {w: bytes(range(256)) * 4}, f"{w}:2:-", "not UTF-8 text"
    )
    yield Case(
        "encodings-surrogate-escape",
        "encodings",
        {w: text.encode() + b"W10,\xed\xa0\x80,Mine,hewer,5\n"},
        f"{w}:3:-",
        "UTF-8",
    )


def size_cases() -> Iterator[Case]:
    yield cell("sizes-long-name", "sizes", "workers.csv", "name", "N" * 5000, "characters long")
    yield cell(
        "sizes-long-worker-id", "sizes", "workers.csv", "worker_id", "W" * 500, "characters long"
    )
    yield cell(
        "sizes-long-shift-id", "sizes", "shifts.csv", "shift_id", "X" * 500, "characters long"
    )
    yield cell(
        "sizes-long-unit-part", "sizes", "workers.csv", "unit", "Mine/" + "U" * 300, "characters"
    )
    yield cell(
        "sizes-long-operation", "sizes", "norms.csv", "operation", "o" * 500, "characters long"
    )


def path_cases() -> Iterator[Case]:
    deep = "/".join(f"L{n}" for n in range(200))
    path_like = "must be a path like 'Mine/Section 8/Brigade 1'"
    for file, column in (
        ("workers.csv", "unit"),
        ("shifts.csv", "workplace"),
        ("plans.csv", "unit"),
    ):
        stem = f"paths-{file[:-4]}"
        yield cell(f"{stem}-deep", "paths", file, column, deep, "is 889 characters long")
        yield cell(f"{stem}-empty-part", "paths", file, column, "Mine//Brigade 1", path_like)
        yield cell(f"{stem}-leading-slash", "paths", file, column, "/Mine/Section 1", path_like)
        yield cell(f"{stem}-trailing-slash", "paths", file, column, "Mine/Section 1/", path_like)


def formula_cases() -> Iterator[Case]:
    """Cells a spreadsheet would run; refused only where the field must be an id or number."""
    for label, value in (
        ("hyperlink", '=HYPERLINK("http://x")'),
        ("dde", "=cmd|' /C calc'!A0"),
        ("plus", "+1+1"),
        ("minus", "-1+1"),
        ("at", "@SUM(A1)"),
    ):
        yield cell(
            f"formulas-hours-{label}", "formulas", "shifts.csv", "hours", value, "is not a number"
        )
        yield cell(
            f"formulas-date-{label}", "formulas", "shifts.csv", "date", value, "must be an ISO date"
        )
        yield cell(
            f"formulas-worker-{label}", "formulas", "crew.csv", "worker_id", value, "unknown worker"
        )


BOMBS = [
    ("bombs-comment-in-sheet", "comment_in_sheet", "unpacks to"),
    ("bombs-comment-part", "comment_part", "unpacks to"),
    ("bombs-lying-sizes", "lying_sizes", "cannot be read as an .xlsx workbook"),
    ("bombs-doctype", "doctype_part", "DOCTYPE"),
    ("bombs-many-parts", "many_parts", "a workbook may have"),
    ("bombs-not-a-zip", "not_a_zip", "cannot be read as an .xlsx workbook"),
    ("bombs-giant-token", "giant_token", "XML token"),
]


def bomb_cases() -> Iterator[Case]:
    for name, build, fragment in BOMBS:
        yield Case(name, "bombs", {}, "workers.xlsx:0:-", fragment, build=build)


def cases() -> list[Case]:
    makers = (
        number_cases,
        date_cases,
        unit_cases,
        reference_cases,
        shape_cases,
        encoding_cases,
        size_cases,
        path_cases,
        formula_cases,
        bomb_cases,
    )
    return [case for make in makers for case in make()]


def write(found: dict[str, str] | None = None) -> None:
    """Write every case's files and the manifest (with `found` fragments where given)."""
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir(parents=True)
    entries = []
    for case in cases():
        if not case.build:
            folder = CORPUS / case.name
            folder.mkdir()
            for name, data in case.files.items():
                (folder / name).write_bytes(data)
        entry = case.entry()
        if found and case.name in found:
            entry["fragment"] = found[case.name]
        entries.append(entry)
    MANIFEST.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write()
