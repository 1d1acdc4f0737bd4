"""A month with a brigade work order and a KTU file: imported, closed, each member's share on
his slip, the fund conserved to the kopeck, and nothing of the covered work paid twice.

The numbers are worked by hand in docs/work-orders.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.commands import cli, ok
from tests.integration.helpers import write
from tests.pay import scale_text

pytestmark = pytest.mark.storage

WORKERS = """
worker_id,name,unit,trade,grade
B1,Brigadier,Mine/Brigade 1,hewer,5
B2,Hewer,Mine/Brigade 1,hewer,5
B3,Hewer,Mine/Brigade 1,hewer,4
S,Solo,Mine/Face 2,hewer,5
"""
NORMS = """
operation,unit,kind,norm,norm_hours,effective_from
hewing,t,output,7,6,1935-01-01
"""
SHIFTS = """
shift_id,date,hours,workplace
W1,1935-09-02,6,Mine/Brigade 1/Face 1
W2,1935-09-03,6,Mine/Brigade 1/Face 1
W3,1935-09-04,6,Mine/Brigade 1/Face 1
S1,1935-09-02,6,Mine/Face 2
"""
OUTPUT = """
shift_id,operation,quantity,unit
W1,hewing,30,t
W2,hewing,28,t
W3,hewing,31,t
S1,hewing,14,t
"""
CREW = """
shift_id,worker_id,operation,hours
W1,B1,hewing,6
W1,B2,hewing,6
W1,B3,hewing,6
W2,B1,hewing,6
W2,B2,hewing,6
W3,B1,hewing,6
W3,B2,hewing,6
W3,B3,hewing,6
S1,S,hewing,6
"""
ORDERS = """
work_order,unit,from,to,operations,measure,rate,fund,split,currency,ktu_min,ktu_max,note
N-9,Mine/Brigade 1,1935-09-01,1935-09-30,hewing,t,3.50,,tariff-hours-ktu,RUB,0.5,1.5,September
P-9,Mine/Brigade 1,1935-09-01,1935-09-30,,,,100.00,ktu,RUB,,,brigade bonus
"""
KTU = """
work_order,worker_id,ktu,reason
N-9,B1,1.2,led the face
N-9,B2,1,
N-9,B3,0.8,late twice
P-9,B1,1,
P-9,B2,1,
P-9,B3,1,
"""


def month(folder: Path, **changed: str) -> Path:
    files = {"workers.csv": WORKERS, "norms.csv": NORMS, "shifts.csv": SHIFTS}
    files |= {"output.csv": OUTPUT, "crew.csv": CREW, "work_orders.csv": ORDERS, "ktu.csv": KTU}
    files |= changed
    for name, text in files.items():
        write(folder, name, text)
    return folder


def _import(db_url: str, folder: Path, *more: str) -> tuple[int, str, str]:
    return cli(db_url, "import", str(folder), *more)


def _closed(db_url: str, tmp_path: Path) -> dict[str, dict[str, object]]:
    assert _import(db_url, month(tmp_path / "m"))[0] == 0
    scale = write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(scale))[0] == 0
    code, _, err = cli(db_url, "payroll", "close", "--from", "1935-09-01", "--to", "1935-09-30")
    assert code == 0, err
    slips = {}
    for worker in ("B1", "B2", "B3", "S"):
        slips[worker] = ok(db_url, "payroll", "show", "--worker", worker, "--period", "1935-09")
    return slips


def _lines(slip: dict[str, object], code: str) -> list[dict[str, str]]:
    return [line for line in slip["lines"] if line["code"] == code]  # type: ignore[attr-defined]


def test_each_member_is_paid_his_share_and_the_fund_is_conserved(
    db_url: str, tmp_path: Path
) -> None:
    slips = _closed(db_url, tmp_path)
    # 89 t x 3.50 = 311.50; weights 2.00x18x1.2 = 43.2, 2.00x18x1 = 36, 1.70x12x0.8 = 16.32.
    expected = {"B1": "140.88", "B2": "117.40", "B3": "53.22"}
    for worker, amount in expected.items():
        (line,) = _lines(slips[worker], "work-order")
        assert line["amount"] == amount
        assert "fund accepted output 89 t x rate 3.5 = 311.5, rounded to 311.50" in line["explain"]
        assert "of total weight 95.52" in line["explain"]
    assert sum(Decimal(a) for a in expected.values()) == Decimal("311.50")
    bonus = [_lines(slips[w], "brigade-bonus")[0]["amount"] for w in ("B1", "B2", "B3")]
    assert sorted(bonus) == ["33.33", "33.33", "33.34"]  # 100.00 by KTU 1 each
    assert bonus[0] == "33.34"  # the equal remainder goes to the lowest worker id


def test_covered_work_is_not_also_paid_as_piece_work(db_url: str, tmp_path: Path) -> None:
    slips = _closed(db_url, tmp_path)
    for worker in ("B1", "B2", "B3"):
        codes = {line["code"] for line in slips[worker]["lines"]}  # type: ignore[attr-defined]
        assert codes == {"work-order", "brigade-bonus"}, codes
    # The solo hewer outside the brigade is paid piece work as before: 14 t at 2.00 x 6 / 7.
    assert _lines(slips["S"], "piece")[0]["amount"] == "24.00"


def test_the_work_order_lists_and_shows_each_share(db_url: str, tmp_path: Path) -> None:
    assert _import(db_url, month(tmp_path / "m"))[0] == 0
    listed = ok(db_url, "work-orders", "list")
    assert [o["work_order"] for o in listed] == ["N-9", "P-9"]
    assert listed[0]["operations"] == ["hewing"] and listed[1]["fund"] == "100.00"
    unpriced = ok(db_url, "work-orders", "show", "N-9")  # no scale gives the tariffs yet
    assert unpriced["shares"] == [] and "B1 has no tariff" in unpriced["problem"]
    scale = write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(scale))[0] == 0
    shown = ok(db_url, "work-orders", "show", "N-9")
    assert shown["settled_fund"] == "311.50" and shown["total_weight"] == "95.52"
    shares = {s["worker_id"]: s for s in shown["shares"]}
    assert shares["B3"]["factors"] == {"tariff": "1.70", "hours": "12", "ktu": "0.8"}
    assert shares["B3"]["weight"] == "16.32"


def test_a_bad_ktu_file_is_refused_with_its_row_and_nothing_is_written(
    db_url: str, tmp_path: Path
) -> None:
    bad = KTU.replace("N-9,B3,0.8,late twice", "N-9,B3,0.8,") + "N-9,B9,1,\nX-1,B1,1,\n"
    bad = bad.replace("N-9,B1,1.2,led the face", "N-9,B1,1.6,led the face")
    code, _, err = _import(db_url, month(tmp_path / "m", **{"ktu.csv": bad}))
    assert code == 1
    assert "ktu.csv:2:ktu: 1.6 is outside work order N-9's bounds 0.5..1.5" in err
    assert "ktu.csv:4:reason: a KTU of 0.8 (not 1) needs a reason" in err
    assert "ktu.csv:8:worker_id: unknown worker 'B9'" in err
    assert "ktu.csv:9:work_order: unknown work order 'X-1'" in err
    assert ok(db_url, "work-orders", "list") == []


def test_importing_again_changes_nothing_and_a_correction_reverses(
    db_url: str, tmp_path: Path
) -> None:
    folder = month(tmp_path / "m")
    assert _import(db_url, folder)[0] == 0
    assert _import(db_url, folder)[0] == 0
    changed = month(tmp_path / "c", **{"ktu.csv": KTU.replace("N-9,B2,1,", "N-9,B2,1.1,led")})
    code, _, err = _import(db_url, changed)
    assert code == 1 and "ktu.csv:3" in err and "--correct" in err
    code, _, err = _import(db_url, changed, "--correct", "--reason", "foreman's review")
    assert code == 0, err
    scale = write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(scale))[0] == 0
    shown = ok(db_url, "work-orders", "show", "N-9")
    assert {m["worker_id"]: m["ktu"] for m in shown["members"]}["B2"] == "1.1"
    assert sum(Decimal(s["share"]) for s in shown["shares"]) == Decimal("311.50")


def test_a_crew_member_without_ktu_stops_the_close(db_url: str, tmp_path: Path) -> None:
    no_b3 = "\n".join(line for line in KTU.splitlines() if "N-9,B3" not in line) + "\n"
    assert _import(db_url, month(tmp_path / "m", **{"ktu.csv": no_b3}))[0] == 0
    scale = write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(scale))[0] == 0
    code, _, err = cli(db_url, "payroll", "close", "--from", "1935-09-01", "--to", "1935-09-30")
    assert code == 1
    assert "worker B3 is credited on output that work order N-9 covers" in err


def test_narrower_bounds_are_checked_against_the_stored_ktu(db_url: str, tmp_path: Path) -> None:
    assert _import(db_url, month(tmp_path / "m"))[0] == 0
    narrower = ORDERS.replace("RUB,0.5,1.5,September", "RUB,0.9,1.1,September")
    changed = month(tmp_path / "c", **{"work_orders.csv": narrower})
    code, _, err = _import(db_url, changed, "--correct", "--reason", "new rules")
    assert code == 1
    assert "work_orders.csv:2:ktu_min: B1: 1.2 is outside work order N-9's bounds 0.9..1.1" in err
    assert "B3: 0.8 is outside" in err
