"""The equity report over a stored ledger with planted favouritism, on both databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from stakhanov.domain.shifts import Shift
from stakhanov.services.bulk_write import import_directory
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import SHIFTS
from tests.commands import cli, ok
from tests.integration.helpers import write

pytestmark = pytest.mark.storage
FACES = [f"Mine/Section 1/Face {i}" for i in range(1, 6)]
OTHERS = [f"W{i}" for i in range(1, 9)]
AIR = "air;timber"


def planted(folder: Path) -> Path:
    """Ten days. F1 hews every day at Face 1 under prepared conditions with a timberer (T1);
    a rotating hewer works Face 1's second shift at 9 t, the other faces hew 7 t (the norm)."""
    people = [("F1", "hewer", "6"), ("T1", "timberer", "4")] + [(w, "hewer", "5") for w in OTHERS]
    write(
        folder,
        "workers.csv",
        "worker_id,name,unit,trade,grade\n"
        + "".join(f"{w},{w},Mine/Section 1/Brigade 1,{t},{g}\n" for w, t, g in people),
    )
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "hewing,t,output,7,6,timbering,40,1935-01-01,decree,test\n",
    )
    shifts, output, crew = [], [], []
    for day in range(1, 11):
        date = f"1935-09-{day:02d}"
        shifts.append(f"P{day},{date},6,{FACES[0]},prepared,face prepared,{AIR}\n")
        output.append(f"P{day},hewing,30,t,\n")
        crew += [f"P{day},F1,hewing,6,,\n", f"P{day},T1,timbering,6,,\n"]
        for face in range(5):
            shift_id = f"N{day}-{face}"
            worker = OTHERS[(day + face) % len(OTHERS)]
            shifts.append(f"{shift_id},{date},6,{FACES[face]},standard,,\n")
            output.append(f"{shift_id},hewing,{9 if face == 0 else 7},t,\n")
            crew.append(f"{shift_id},{worker},hewing,6,,\n")
    header = "shift_id,date,hours,workplace,conditions,note,resources\n"
    write(folder, "shifts.csv", header + "".join(shifts))
    write(folder, "output.csv", "shift_id,operation,quantity,unit,rejected\n" + "".join(output))
    write(
        folder,
        "crew.csv",
        "shift_id,worker_id,operation,hours,credited,coefficient\n" + "".join(crew),
    )
    return folder


PERIOD = ("--from", "1935-09-01", "--to", "1935-09-30")


def test_the_report_finds_the_planted_favourite(db_url: str, tmp_path: Path) -> None:
    code, _, err = cli(db_url, "import", str(planted(tmp_path / "data")))
    assert code == 0, err
    report = ok(db_url, "equity", *PERIOD)
    rows = {r["key"]: r for r in report["rows"]}
    assert rows["F1"] == {
        "key": "F1",
        "workers": 1,
        "shifts": 10,
        "prepared": 10,
        "resources": 10,
        "assisted": 10,
        "best_workplace": 10,
        "prepared_percent": "100.0",
        "resources_percent": "100.0",
        "assisted_percent": "100.0",
        "best_workplace_percent": "100.0",
    }
    # The timberer worked the prepared shifts, but the favour was the hewer's.
    assert (rows["T1"]["shifts"], rows["T1"]["prepared"], rows["T1"]["assisted"]) == (10, 0, 0)
    assert sum(rows[w]["best_workplace"] for w in OTHERS) == 10
    assert report["best_workplaces"] == [{"workplace": FACES[0], "ordinary_percent": "128.6"}]
    prepared = next(c for c in report["concentration"] if c["favour"] == "prepared")
    # Ten workers, one holds every prepared shift: Gini (n-1)/n, Herfindahl 1, top decile 100%.
    assert prepared == {
        "favour": "prepared",
        "favoured": 10,
        "shifts": 70,
        "gini": "0.9000",
        "herfindahl": "1.0000",
        "top_decile_percent": "100.0",
    }
    named = {(w["favour"], w["key"]) for w in report["warnings"]}
    assert {("prepared", None), ("prepared", "F1"), ("assisted", "F1")} <= named
    assert ("best_workplace", "F1") in named and ("resources", "F1") in named
    assert not any(key in OTHERS for _, key in named)


def test_groups_brigades_and_exports(db_url: str, tmp_path: Path) -> None:
    code, _, err = cli(db_url, "import", str(planted(tmp_path / "data")))
    assert code == 0, err
    by_group = ok(db_url, "equity", *PERIOD, "--by", "group")
    keys = {r["key"]: (r["workers"], r["shifts"], r["prepared"]) for r in by_group["rows"]}
    assert keys == {"hewer/5": (8, 50, 0), "hewer/6": (1, 10, 10), "timberer/4": (1, 10, 0)}
    by_brigade = ok(db_url, "equity", *PERIOD, "--by", "brigade")
    assert [r["key"] for r in by_brigade["rows"]] == ["Mine/Section 1/Brigade 1"]
    # A higher threshold in a rule file, and a declared best workplace.
    rule = tmp_path / "rule.toml"
    rule.write_text(f'repeat_times = 20\ntop_decile_share = 1\nbest_workplaces = ["{FACES[4]}"]\n')
    quiet = ok(db_url, "equity", *PERIOD, "--rule", str(rule))
    assert [w for w in quiet["warnings"] if w["favour"] == "prepared"] == []
    assert [b["workplace"] for b in quiet["best_workplaces"]] == [FACES[4]]
    sheet, book = tmp_path / "rows.csv", tmp_path / "rows.xlsx"
    code, out, err = cli(db_url, "equity", *PERIOD, "--csv", str(sheet), "--xlsx", str(book))
    assert code == 0, err
    assert "warning: F1 had 10 prepared shifts" in out
    lines = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert lines[0]["key"] == "F1" and lines[0]["prepared"] == "10"
    cells = list(load_workbook(book).active.iter_rows(values_only=True))
    assert cells[0][0] == "key" and len(cells) == len(lines) + 1


def test_a_bad_rule_is_refused_with_its_key(db_url: str, tmp_path: Path) -> None:
    rule = tmp_path / "rule.toml"
    rule.write_text("colour = 1\n")
    code, _, err = cli(db_url, "equity", *PERIOD, "--rule", str(rule))
    assert code == 1
    assert f"{rule}:0:colour: unknown key" in err
    assert json.loads(cli(db_url, "equity", "--json")[1])["rows"] == []


def test_declared_resources_import_by_either_path_and_again(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """The bulk path stores the list as the row reader does; importing again changes nothing."""
    folder = planted(tmp_path / "data")
    text = (folder / "shifts.csv").read_text(encoding="utf-8")
    (folder / "shifts.csv").write_text(text.replace(AIR, " air ; timber", 1), encoding="utf-8")
    import_directory(engine, folder)
    assert not ok(db_url, "import", str(folder))["changed"]
    (folder / "shifts.csv").write_text(text, encoding="utf-8")
    assert not ok(db_url, "import", str(folder))["changed"]
    with engine.connect() as connection:
        stored = {s.resources for s in LedgerStore(connection).records(SHIFTS, Shift)}
    assert stored == {(), ("air", "timber")}
    report = ok(db_url, "equity", *PERIOD)
    assert {r["key"]: r["resources"] for r in report["rows"] if r["resources"]} == {"F1": 10}


def test_a_resource_named_twice_is_refused_where_it_stands(db_url: str, tmp_path: Path) -> None:
    folder = planted(tmp_path / "data")
    text = (folder / "shifts.csv").read_text(encoding="utf-8")
    (folder / "shifts.csv").write_text(text.replace(AIR, "air;air", 1), encoding="utf-8")
    code, _, err = cli(db_url, "import", str(folder))
    assert code == 1
    assert "shifts.csv:2:resources: names air twice" in err
    assert ok(db_url, "equity")["rows"] == []
