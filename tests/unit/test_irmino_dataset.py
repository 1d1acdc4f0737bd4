"""The generated Central-Irmino demo data keeps the import contract and the historical facts."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from stakhanov.data import historical_records_path
from stakhanov.data.irmino import write_demo_dataset

FILES = ("workers.csv", "norms.csv", "shifts.csv", "output.csv", "crew.csv")
CONTRACT_HEADERS = {
    "workers.csv": "worker_id,name,unit,trade,grade",
    "norms.csv": (
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source"
    ),
    "shifts.csv": "shift_id,date,hours,workplace,conditions,note",
    "output.csv": "shift_id,operation,quantity,unit,rejected",
    "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient",
}
RECORDS = {
    "1935-08-31-S8-B1-F1": Decimal(102),
    "1935-09-09-S8-B1-F1": Decimal(175),
    "1935-09-19-S8-B1-F1": Decimal(227),
}
RECORD_CREW = [
    ("W001", "hewing", Decimal(6), "credited"),
    ("W003", "timbering", Decimal(6), ""),
    ("W004", "timbering", Decimal(6), ""),
    ("W002", "assist", Decimal(6), ""),
]
POOLED = "1935-09-12-S6-B2-F3"
IMPLAUSIBLE = "1935-09-14-S6-H1"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("irmino")
    write_demo_dataset(directory)
    return directory


def rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def crews(directory: Path) -> dict[str, list[dict[str, str]]]:
    by_shift: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows(directory, "crew.csv"):
        by_shift[row["shift_id"]].append(row)
    return by_shift


def test_same_seed_gives_byte_identical_files(demo: Path, tmp_path: Path) -> None:
    write_demo_dataset(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (demo / name).read_bytes(), name


def test_another_seed_gives_other_ordinary_output(demo: Path, tmp_path: Path) -> None:
    write_demo_dataset(tmp_path, seed=1936)
    assert (tmp_path / "output.csv").read_bytes() != (demo / "output.csv").read_bytes()
    assert (tmp_path / "norms.csv").read_bytes() == (demo / "norms.csv").read_bytes()


def test_the_staged_shifts_do_not_depend_on_the_seed(tmp_path: Path) -> None:
    write_demo_dataset(tmp_path, seed=7)
    shift_ids = {s["shift_id"] for s in rows(tmp_path, "shifts.csv")}
    assert {*RECORDS, POOLED, IMPLAUSIBLE} <= shift_ids


@pytest.mark.parametrize("name", FILES)
def test_headers_are_exactly_the_contract(demo: Path, name: str) -> None:
    first_line = (demo / name).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == CONTRACT_HEADERS[name]


def test_ids_are_unique(demo: Path) -> None:
    worker_ids = [w["worker_id"] for w in rows(demo, "workers.csv")]
    shift_ids = [s["shift_id"] for s in rows(demo, "shifts.csv")]
    output_keys = [(o["shift_id"], o["operation"]) for o in rows(demo, "output.csv")]
    assert len(set(worker_ids)) == len(worker_ids)
    assert len(set(shift_ids)) == len(shift_ids)
    assert len(set(output_keys)) == len(output_keys)


def test_worker_count_and_historical_people(demo: Path) -> None:
    workers = {w["worker_id"]: w for w in rows(demo, "workers.csv")}
    assert 140 <= len(workers) <= 170
    assert workers["W001"]["name"] == "Alexei Stakhanov"
    assert workers["W001"]["unit"] == "Central-Irmino/Section 8/Brigade 1"
    assert workers["W002"]["name"] == "Konstantin Petrov"
    assert workers["W002"]["trade"] == "party organiser"
    assert {workers["W003"]["trade"], workers["W004"]["trade"]} == {"timberer"}
    assert any(w["name"] == "Miron Dyukanov" for w in workers.values())
    assert all(w["grade"] in {"3", "4", "5", "6"} for w in workers.values())


def test_every_reference_exists(demo: Path) -> None:
    workers = {w["worker_id"] for w in rows(demo, "workers.csv")}
    shifts = {s["shift_id"] for s in rows(demo, "shifts.csv")}
    measured = {(o["shift_id"], o["operation"]) for o in rows(demo, "output.csv")}
    norms = {n["operation"]: n for n in rows(demo, "norms.csv")}
    assert {shift_id for shift_id, _ in measured} == shifts
    for row in rows(demo, "crew.csv"):
        assert row["shift_id"] in shifts
        assert row["worker_id"] in workers
        operation = row["operation"]
        included = {
            (row["shift_id"], measured_op)
            for measured_op, norm in norms.items()
            if operation in norm["includes"].split(";")
        }
        is_measured = (row["shift_id"], operation) in measured
        assert operation == "assist" or is_measured or included & measured, row


def test_every_measured_operation_has_a_crew(demo: Path) -> None:
    by_shift = crews(demo)
    for output in rows(demo, "output.csv"):
        operations = {c["operation"] for c in by_shift[output["shift_id"]]}
        assert output["operation"] in operations, output


def test_shifts_are_working_days_of_august_and_september_1935(demo: Path) -> None:
    for shift in rows(demo, "shifts.csv"):
        day = date.fromisoformat(shift["date"])
        assert date(1935, 8, 1) <= day <= date(1935, 9, 30)
        assert day.weekday() != 6, shift
        assert shift["shift_id"].startswith(shift["date"])
        assert Decimal(0) < Decimal(shift["hours"]) <= Decimal(24)
        assert shift["conditions"] in {"standard", "prepared"}


def test_record_shifts_have_exact_quantities_and_crews(demo: Path) -> None:
    shifts = {s["shift_id"]: s for s in rows(demo, "shifts.csv")}
    output = {(o["shift_id"], o["operation"]): o for o in rows(demo, "output.csv")}
    by_shift = crews(demo)
    for shift_id, tonnes in RECORDS.items():
        assert shifts[shift_id]["conditions"] == "prepared"
        assert shifts[shift_id]["note"]
        assert Decimal(shifts[shift_id]["hours"]) == 6
        hewn = output[(shift_id, "hewing")]
        assert (Decimal(hewn["quantity"]), hewn["unit"]) == (tonnes, "t")
        crew = [
            (c["worker_id"], c["operation"], Decimal(c["hours"]), c["credited"])
            for c in by_shift[shift_id]
        ]
        expected = [(w, op, h, str(tonnes) if c else "") for w, op, h, c in RECORD_CREW]
        assert crew == expected
    prepared = {s["shift_id"] for s in shifts.values() if s["conditions"] == "prepared"}
    assert prepared == set(RECORDS)


def test_stakhanov_works_ordinary_shifts_too(demo: Path) -> None:
    output = {(o["shift_id"], o["operation"]): o for o in rows(demo, "output.csv")}
    ordinary = [
        Decimal(output[(c["shift_id"], "hewing")]["quantity"])
        for c in rows(demo, "crew.csv")
        if c["worker_id"] == "W001" and c["shift_id"] not in RECORDS
    ]
    assert len(ordinary) > 30
    assert all(Decimal(6) <= tonnes <= Decimal(13) for tonnes in ordinary)


def test_explicit_credits_add_up_exactly(demo: Path) -> None:
    output = {(o["shift_id"], o["operation"]): o for o in rows(demo, "output.csv")}
    credits: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows(demo, "crew.csv"):
        if row["operation"] in {"timbering", "assist"}:
            assert row["credited"] == "", row
        else:
            credits[(row["shift_id"], row["operation"])].append(row["credited"])
    explicit = 0
    for key, given in credits.items():
        if all(c == "" for c in given):
            continue
        explicit += 1
        assert all(c != "" for c in given), key
        assert sum((Decimal(c) for c in given), Decimal(0)) == Decimal(output[key]["quantity"])
    assert explicit > 1000


def test_both_crediting_styles_are_present(demo: Path) -> None:
    split = [c for c in rows(demo, "crew.csv") if c["operation"] == "hewing" and not c["credited"]]
    assert len(split) > 500
    assert any(c["coefficient"] for c in split)


def test_no_worker_has_more_than_24_hours_on_one_date(demo: Path) -> None:
    dates = {s["shift_id"]: s["date"] for s in rows(demo, "shifts.csv")}
    hours: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    shifts_per_day: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows(demo, "crew.csv"):
        key = (row["worker_id"], dates[row["shift_id"]])
        hours[key] += Decimal(row["hours"])
        shifts_per_day[key] += 1
    assert max(hours.values()) <= 24
    assert max(shifts_per_day.values()) == 1


def test_size_keeps_importing_fast(demo: Path) -> None:
    assert 4000 <= len(rows(demo, "crew.csv")) <= 8000


def test_not_every_hewing_shift_is_assisted(demo: Path) -> None:
    by_shift = crews(demo)
    hewing = [o["shift_id"] for o in rows(demo, "output.csv") if o["operation"] == "hewing"]
    assisted = [
        s for s in hewing if any(c["operation"] in {"timbering", "assist"} for c in by_shift[s])
    ]
    assert 0 < len(assisted) < len(hewing) / 2


def test_staged_pooled_shift(demo: Path) -> None:
    output = {(o["shift_id"], o["operation"]): o for o in rows(demo, "output.csv")}
    crew = crews(demo)[POOLED]
    quantity = Decimal(output[(POOLED, "hewing")]["quantity"])
    hours = sum((Decimal(c["hours"]) for c in crew), Decimal(0))
    shares = [quantity * Decimal(c["hours"]) / hours for c in crew]
    credited = [Decimal(c["credited"]) for c in crew]
    assert len(crew) == 3
    assert {c["operation"] for c in crew} == {"hewing"}
    assert any(c < s / 10 for c, s in zip(credited, shares, strict=True))
    assert any(c > s for c, s in zip(credited, shares, strict=True))


def test_one_implausible_credit(demo: Path) -> None:
    max_rate = {n["operation"]: Decimal(n["max_rate"]) for n in rows(demo, "norms.csv")}
    per_norm_unit = {
        (o["shift_id"], o["operation"]): Decimal("0.001") if o["unit"] == "kg" else Decimal(1)
        for o in rows(demo, "output.csv")
    }
    beyond = [
        c["shift_id"]
        for c in rows(demo, "crew.csv")
        if c["credited"]
        and c["operation"] in max_rate
        and Decimal(c["credited"]) * per_norm_unit[(c["shift_id"], c["operation"])]
        > max_rate[c["operation"]] * Decimal(c["hours"])
    ]
    assert beyond == [IMPLAUSIBLE]


def test_some_output_is_weighed_in_kg(demo: Path) -> None:
    units = [o["unit"] for o in rows(demo, "output.csv")]
    assert 2 <= units.count("kg") <= 3
    assert set(units) == {"t", "kg", "piece"}


def test_norms(demo: Path) -> None:
    norms = {n["operation"]: n for n in rows(demo, "norms.csv")}
    assert set(norms) == {"hewing", "loading", "haulage", "drill sharpening"}
    hewing = norms["hewing"]
    assert (hewing["norm"], hewing["norm_hours"], hewing["includes"]) == ("7", "6", "timbering")
    sharpening = norms["drill sharpening"]
    assert (sharpening["kind"], sharpening["norm_hours"]) == ("time", "")


def test_historical_records_are_bundled() -> None:
    path = historical_records_path()
    with path.open(encoding="utf-8", newline="") as file:
        claims = list(csv.DictReader(file))
    assert path.name == "historical_records.csv"
    stakhanov = [c for c in claims if c["claim_id"].startswith("stakhanov-1935-08-31")]
    assert len(stakhanov) == 4  # the sources disagree; every claim keeps its own row
    assert {c["output"] for c in stakhanov} == {"102"}


def test_the_demo_prints_a_column_of_outputs_at_one_scale() -> None:
    """A sum keeps the longest scale of its terms (1888.300); the demo's column does not."""
    from decimal import Decimal

    from stakhanov.cli.demo import _output, _places

    column = [Decimal("1888.300"), Decimal("430.0"), Decimal("2566.3")]
    assert [_output(v, _places(list(column))) for v in column] == ["1888.3", "430.0", "2566.3"]
    whole = [Decimal("102"), Decimal("175.00")]
    assert [_output(v, _places(list(whole))) for v in whole] == ["102", "175"]
