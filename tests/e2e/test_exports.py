"""`--csv FILE` and `--xlsx FILE` on list commands: the same rows, nothing a spreadsheet runs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.commands import cli
from tests.integration.helpers import write

pytestmark = pytest.mark.storage

HOSTILE = ('=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1")


def test_exports_neutralise_formulas_in_csv_and_xlsx(db_url: str, tmp_path: Path) -> None:
    rows = "".join(
        f'W{i},"{name.replace(chr(34), chr(34) * 2)}",Plant/Shop,packer,4\n'
        for i, name in enumerate(HOSTILE)
    )
    folder = write(tmp_path / "in", "workers.csv", "worker_id,name,unit,trade,grade\n" + rows)
    assert cli(db_url, "import", str(folder.parent))[0] == 0
    text, book = tmp_path / "w.csv", tmp_path / "w.xlsx"
    code, _, err = cli(db_url, "workers", "--csv", str(text), "--xlsx", str(book))
    assert code == 0, err
    with text.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [r["name"] for r in written] == ["'" + name for name in HOSTILE]
    sheet = load_workbook(book).active
    assert sheet is not None
    header, *cells = list(sheet.iter_rows(values_only=True))
    names = [row[header.index("name")] for row in cells]
    assert names == ["'" + name for name in HOSTILE]
    assert [row[header.index("grade")] for row in cells] == [4] * len(HOSTILE)


def test_an_unwritable_xlsx_path_is_a_usage_error(db_url: str, tmp_path: Path) -> None:
    code, _, err = cli(db_url, "norms", "--xlsx", str(tmp_path / "missing" / "n.xlsx"))
    assert code == 2 and "--xlsx: cannot write" in err
