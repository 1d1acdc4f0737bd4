"""A scale that names a rule pack closes a real period on SQLite and PostgreSQL exactly as the
same rules written out in full: the pack is resolved again when the stored scale is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.rule_packs import read_pack
from tests.commands import cli, ok
from tests.integration.helpers import write
from tests.integration.test_titles_flow import month
from tests.pay import scale_text

pytestmark = pytest.mark.storage

OWN = """
name = "coal"
effective_from = "1935-01-01"
[grades]
"5" = "2.00"
"4" = "1.70"
"""
PACKED = OWN + '[pack]\nname = "su-1935"\nversion = "1"\n'
# The pack's keys written out by hand (src/stakhanov/data/rulepacks/su-1935/1.toml): the
# grades and tiers of tests/pay.py, on the fair percent, and the coal-1935 period rules.
SPELLED = scale_text(
    '[time_work]\nfraction = "1"\n[guarantee]\nfraction = "0.6667"\n'
    '[rest]\npay = "average"\n[rejects]\ndeduction = "0.5"\n',
    percent="auto",
)


def test_a_packed_scale_closes_as_its_rules_written_out(db_url: str, tmp_path: Path) -> None:
    month(db_url, tmp_path)
    scale = write(tmp_path / "scale", "coal.toml", PACKED)
    code, _, err = cli(db_url, "scales", "import", str(scale))
    assert code == 0, err
    code, _, err = cli(db_url, "payroll", "close", "--from", "1935-09-01", "--to", "1935-09-30")
    assert code == 0, err
    slips = ok(db_url, "payroll", "list", "--period", "1935-09")
    assert slips, "the close paid nobody"
    # Replaying the closed month under the rules written out changes nobody's pay.
    spelled = write(tmp_path / "proposal", "coal.toml", SPELLED)
    report = ok(db_url, "payroll", "whatif", "--scale", str(spelled), "--period", "1935-09")
    assert report["total"]["change"] in ("0", "0.00")
    assert report["total"]["old"] == report["total"]["new"] != "0.00"


def test_scales_packs_and_show_list_what_a_pack_contributes(db_url: str, tmp_path: Path) -> None:
    packs = ok(db_url, "scales", "packs")
    assert {(p["name"], p["version"]) for p in packs} >= {("us-federal", "2026"), ("su-1935", "1")}
    federal = next(p for p in packs if p["name"] == "us-federal")
    assert "overtime.week_hours" in federal["contributes"]
    assert any("778.111" in source for source in federal["sources"])
    shown = ok(db_url, "scales", "show", "ru-labour-code@2026")
    assert any("art. 154" in item for item in shown["supported"])
    scale = write(tmp_path / "scale", "coal.toml", PACKED)
    shown = ok(db_url, "scales", "show", str(scale))
    text = pack_text("su-1935", "1")
    assert text is not None
    assert shown["pack"]["contributes"] == read_pack(text).contributes()
    code, out, _ = cli(db_url, "scales", "show", str(scale))
    assert code == 0 and "Rule pack su-1935 1" in out


def test_a_conflicting_scale_is_refused_at_its_line_and_nothing_is_stored(
    db_url: str, tmp_path: Path
) -> None:
    scale = write(tmp_path / "scale", "coal.toml", PACKED + '[rest]\npay = "tariff"\n')
    code, out, err = cli(db_url, "scales", "import", str(scale))
    assert code != 0
    assert "coal.toml" in out + err and "rest.pay" in out + err and "su-1935 1" in out + err
    assert ok(db_url, "scales", "list") == []
