"""The payroll chapter's worked example is the product's real output, to the cent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakhanov.cli.main import app

pytestmark = pytest.mark.storage
DOCS = Path(__file__).parent.parent.parent / "docs"
EXAMPLE = DOCS / "examples" / "pay-slip"
SCALE = DOCS / "examples" / "pay-slip-scale" / "garment.toml"
PERIOD = ("--from", "2025-03-03", "--to", "2025-03-16")


def section() -> str:
    text = (DOCS / "payroll.md").read_text(encoding="utf-8")
    start = text.index("## Worked example: a fortnight on a garment line")
    return text[start : text.index("\n## ", start + 1)]


def rows(table_after: str) -> list[tuple[str, str]]:
    """(code, amount) of each row of the table that follows a heading line, totals included."""
    text = section()
    lines = text[text.index(table_after) :].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| code"))
    found = []
    for line in lines[first + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        found.append((cells[0], cells[-1].strip("*")))
    return found


def test_the_worked_example_is_what_the_product_computes(db_url: str) -> None:
    runner = CliRunner()

    def cli(*args: str) -> str:
        result = runner.invoke(app, ["--db", db_url, *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    cli("import", str(EXAMPLE))
    cli("scales", "import", str(SCALE))
    cli("payroll", "close", *PERIOD)
    slip = json.loads(cli("payroll", "show", "--worker", "M1", *PERIOD, "--json"))
    earnings = rows("**Earnings**")
    assert earnings[:-1] == [(line["code"], line["amount"]) for line in slip["lines"]]
    assert earnings[-1] == ("", slip["gross"]) == ("", "861.47")
    deductions = rows("**Deductions**")
    assert deductions[:-1] == [(line["code"], line["amount"]) for line in slip["deductions"]]
    assert deductions[-1] == ("", slip["total_deductions"])
    net = re.search(r"\*\*Net pay\*\* = [\d.]+ − [\d.]+ = \*\*([\d.]+)\*\*", section())
    assert net is not None and net[1] == slip["net"] == "775.33"
    # The rest line's rate is the week's average hourly piece earnings, as the table says.
    rest = next(line for line in slip["lines"] if line["code"] == "rest")
    assert rest["rate"] == "21.904839" and "679.05 / 31 h" in rest["explain"]


def test_the_chapter_shows_the_example_scale_as_it_is() -> None:
    assert "```toml\n" + SCALE.read_text(encoding="utf-8") + "```" in section()
