"""Imports on both databases: all or nothing, idempotent, corrections as reversing entries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from stakhanov.domain.attribution import crew_groups
from stakhanov.domain.ledger import MeasuredOutput
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.reports import everything
from stakhanov.services.tables import read_source
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import OUTPUT
from stakhanov.store.schema import LEDGER_TABLES, batches, crew_entries, output_entries, units
from tests.integration.helpers import append, mini_copy, write

pytestmark = pytest.mark.storage


def load(engine: Engine, folder: Path, **options: object):  # type: ignore[no-untyped-def]
    return import_batch(engine, read_source(folder, set(FORMATS)), **options)  # type: ignore[arg-type]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.scalar(select(func.count()).select_from(t)) or 0
            for t in (*LEDGER_TABLES, batches, units)
        }


def test_import_writes_every_row_with_its_source(engine: Engine, tmp_path: Path) -> None:
    report = load(engine, mini_copy(tmp_path))
    assert report.changed and report.batch_id == 1
    assert report.files["crew.csv"].added == 11
    with engine.connect() as connection:
        row = connection.execute(select(crew_entries).where(crew_entries.c.worker_id == "T1")).one()
        assert (row.source_file, row.source_row, row.batch_id) == ("crew.csv", 3, 1)
        assert row.written_at is not None
        unit_paths = set(connection.scalars(select(units.c.path)))
    assert {"Mine", "Mine/Section 1", "Works/Shop 1"} <= unit_paths


def test_importing_the_same_files_again_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    load(engine, folder)
    before = counts(engine)
    report = load(engine, folder)
    assert not report.changed and report.batch_id is None
    assert report.files["crew.csv"].unchanged == 11
    assert counts(engine) == before


def test_decimal_precision_is_kept_exactly(engine: Engine, tmp_path: Path) -> None:
    load(engine, mini_copy(tmp_path))
    with engine.connect() as connection:
        outputs = LedgerStore(connection).records(OUTPUT, MeasuredOutput)
        places = dict(
            connection.execute(
                select(output_entries.c.shift_id, output_entries.c.quantity_places)
            ).all()
        )
    quantities = {o.shift_id: o.quantity for o in outputs}
    assert str(quantities["S3"]) == "21.0" and str(quantities["S1"]) == "102"
    assert (places["S3"], places["S1"]) == (1, 0)


def test_a_bad_batch_writes_nothing_and_reports_every_problem(
    engine: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    append(folder, "crew.csv", "S2,NOBODY,hewing,6,,")
    append(folder, "crew.csv", "S4,L1,turning,25,,")
    append(folder, "shifts.csv", "S6,1935-02-30,6,Mine,standard,")
    with pytest.raises(ImportRejected) as rejected:
        load(engine, folder)
    shown = [str(p) for p in rejected.value.problems]
    assert "shifts.csv:7:date: must be an ISO date like 1935-08-31" in shown
    assert any(s.startswith("crew.csv:14:hours:") for s in shown)
    assert "crew.csv:13:worker_id: unknown worker 'NOBODY'" in shown
    assert counts(engine) == dict.fromkeys(counts(engine), 0)


def test_conflicting_row_is_an_error_without_correct(engine: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    load(engine, folder)
    changed = (folder / "output.csv").read_text().replace("S5,hewing,250,t,", "S5,hewing,230,t,")
    (folder / "output.csv").write_text(changed)
    (folder / "crew.csv").write_text(
        (folder / "crew.csv").read_text().replace("S5,H3,hewing,6,250,", "S5,H3,hewing,6,230,")
    )
    before = counts(engine)
    with pytest.raises(ImportRejected) as rejected:
        load(engine, folder)
    messages = [str(p) for p in rejected.value.problems]
    assert (
        "output.csv:6:quantity: conflicts with the stored row (quantity was '250'); "
        "use --correct to record a correction" in messages
    )
    assert counts(engine) == before


def test_correct_records_reversing_entries_and_keeps_history(
    engine: Engine, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    load(engine, folder)
    for name, old, new in (
        ("output.csv", "S5,hewing,250,t,", "S5,hewing,230,t,"),
        ("crew.csv", "S5,H3,hewing,6,250,", "S5,H3,hewing,6,230,"),
    ):
        path = folder / name
        path.write_text(path.read_text().replace(old, new))
    report = load(engine, folder, correct=True, reason="weighbridge recalibrated")
    assert report.files["output.csv"].corrected == 1 and report.files["crew.csv"].corrected == 1
    with engine.connect() as connection:
        rows = connection.execute(
            select(output_entries)
            .where(output_entries.c.shift_id == "S5")
            .order_by(output_entries.c.entry_id)
        ).all()
        kind = connection.scalar(select(batches.c.kind).where(batches.c.batch_id == 2))
    assert [str(r.quantity) for r in rows] == ["250", "250", "230"]
    original, reversal, replacement = rows
    assert reversal.reverses == original.entry_id
    assert reversal.reason == "weighbridge recalibrated"
    assert replacement.reverses is None and kind == "correction"
    # And importing the corrected files again is a no-op.
    assert not load(engine, folder).changed


def test_the_ledger_refuses_updates_and_deletes(engine: Engine, tmp_path: Path) -> None:
    load(engine, mini_copy(tmp_path))
    for statement in ("UPDATE crew_entries SET hours = 1", "DELETE FROM output_entries"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert counts(engine)["crew_entries"] == 11


def test_split_is_stored_as_declared_and_resolved_on_reading(
    engine: Engine, tmp_path: Path
) -> None:
    from stakhanov.domain.fulfilment import Grouping
    from stakhanov.domain.periods import parse_period
    from stakhanov.services.reports import fulfilment

    load(engine, mini_copy(tmp_path))
    rows = {
        (r.fulfilment.group, r.fulfilment.operation): r.fulfilment
        for r in fulfilment(engine, parse_period("1935-08-30..1935-08-30"), Grouping.SHIFT)
    }
    assert rows[(("S2", "H1"), "hewing")].output == 6  # 15000 kg split 6 : 9
    assert rows[(("S2", "H2"), "hewing")].output == 9


def test_crew_may_arrive_in_a_later_batch_than_its_output(engine: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    crew = (folder / "crew.csv").read_text()
    (folder / "crew.csv").unlink()
    load(engine, folder)
    later = write(tmp_path / "later", "crew.csv", crew).parent
    assert load(engine, later).files["crew.csv"].added == 11


def test_hours_per_day_counts_stored_shifts_too(engine: Engine, tmp_path: Path) -> None:
    load(engine, mini_copy(tmp_path))
    extra = tmp_path / "extra"
    write(extra, "shifts.csv", "shift_id,date,hours,workplace\nS9,1935-08-31,20,Mine\n")
    write(extra, "output.csv", "shift_id,operation,quantity,unit\nS9,hewing,10,t\n")
    write(extra, "crew.csv", "shift_id,worker_id,operation,hours\nS9,H1,hewing,19\n")
    with pytest.raises(ImportRejected) as rejected:
        load(engine, extra)
    (problem,) = rejected.value.problems
    assert str(problem).startswith("crew.csv:2:hours: worker H1 would work 25 hours on 1935-08-31")


def test_workbook_imports_like_the_csv_directory(engine: Engine, tmp_path: Path) -> None:
    import csv

    from openpyxl import Workbook

    folder = mini_copy(tmp_path)
    book = Workbook()
    book.remove(book.active)
    for name in ("workers", "norms", "shifts", "output", "crew"):
        sheet = book.create_sheet(name)
        with (folder / f"{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                sheet.append([_excel_value(v) for v in row])
    path = tmp_path / "shiftlog.xlsx"
    book.save(path)
    report = load(engine, path)
    assert report.files["crew.csv"].added == 11
    assert not load(engine, folder).changed  # the same data, so the CSVs change nothing


def _excel_value(text: str) -> object:
    if text.isdigit():
        return int(text)
    return text


def test_correct_withdraws_rows_the_shift_no_longer_lists(engine: Engine, tmp_path: Path) -> None:
    """A shift re-submitted under --correct is its complete crew: a wrong worker comes off."""
    folder = mini_copy(tmp_path)
    load(engine, folder)
    path = folder / "crew.csv"
    path.write_text(path.read_text().replace("S2,H2,hewing,6,,1.5\n", "S2,H3,hewing,6,,1.5\n"))
    with pytest.raises(ImportRejected) as rejected:
        load(engine, folder)  # a new hewer on a stored crew would silently re-split S2
    assert "use --correct with the shift's complete crew" in str(rejected.value.problems[0])
    report = load(engine, folder, correct=True, reason="wrong hewer entered")
    assert report.files["crew.csv"].withdrawn == 1 and report.files["crew.csv"].added == 1
    with engine.connect() as connection:
        workers = (
            connection.execute(
                text(
                    "SELECT c.worker_id FROM crew_entries c WHERE c.shift_id = 'S2' "
                    "AND c.reverses IS NULL "
                    "AND NOT EXISTS (SELECT 1 FROM crew_entries r WHERE r.reverses = c.entry_id) "
                    "ORDER BY c.worker_id"
                )
            )
            .scalars()
            .all()
        )
    assert workers == ["H1", "H3"]
    assert not load(engine, folder, correct=True).changed


def test_dry_run_validates_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    report = load(engine, mini_copy(tmp_path), dry_run=True)
    assert report.changed and report.batch_id is None
    assert counts(engine)["crew_entries"] == 0


def test_negative_zero_is_zero_so_a_second_import_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    """PostgreSQL's NUMERIC keeps no sign on zero: '-0' is stored and compared as 0."""
    folder = mini_copy(tmp_path)
    (folder / "output.csv").write_text(
        (folder / "output.csv").read_text().replace("S5,hewing,250,t,", "S5,hewing,250,t,-0")
    )
    (folder / "crew.csv").write_text(
        (folder / "crew.csv").read_text().replace("S5,H3,hewing,6,250,", "S5,H3,hewing,6,250,-0.0")
    )
    load(engine, folder)
    before = counts(engine)
    assert not load(engine, folder).changed
    assert counts(engine) == before


def test_a_reference_to_a_refused_row_points_at_that_row(engine: Engine, tmp_path: Path) -> None:
    """The shift's own problem is the one to fix; its output and crew are not 'unknown'."""
    folder = mini_copy(tmp_path)
    path = folder / "shifts.csv"
    path.write_text(path.read_text().replace("S4,1935-08-30,8,", "S4,1935-8-30,8,"))
    append(folder, "crew.csv", "S4,NOBODY,turning,8,,")
    with pytest.raises(ImportRejected) as rejected:
        load(engine, folder)
    assert [str(p) for p in rejected.value.problems] == [
        "shifts.csv:5:date: must be an ISO date like 1935-08-31",
        "output.csv:5:shift_id: shift 'S4' is not imported: its row shifts.csv:5 has problems",
        "crew.csv:11:shift_id: shift 'S4' is not imported: its row shifts.csv:5 has problems",
        "crew.csv:13:shift_id: shift 'S4' is not imported: its row shifts.csv:5 has problems",
        "crew.csv:13:worker_id: unknown worker 'NOBODY'",
    ]
    assert counts(engine) == dict.fromkeys(counts(engine), 0)


def test_a_text_longer_than_its_column_is_a_located_problem_on_both_databases(
    engine: Engine, tmp_path: Path
) -> None:
    """PostgreSQL enforces column lengths that SQLite ignores: both refuse it before writing."""
    folder = tmp_path / "long"
    write(
        folder,
        "workers.csv",
        f"worker_id,name,unit\nW1,{'N' * 201},Mine\n{'W' * 101},A,Mine\nW3,A,Mine/{'S' * 201}\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        load(engine, folder)
    assert [str(p) for p in rejected.value.problems] == [
        "workers.csv:2:name: is 201 characters long; at most 200",
        "workers.csv:3:worker_id: is 101 characters long; at most 100",
        "workers.csv:4:unit: a unit's name is at most 200 characters",
    ]
    assert counts(engine) == dict.fromkeys(counts(engine), 0)


def test_a_corrected_crew_keeps_its_file_order_for_ties(engine: Engine, tmp_path: Path) -> None:
    """10 t over three equal hewers: the extra tonne goes to the first row, also after a
    correction of that row (which, appended alone, would have gone last)."""
    folder = mini_copy(tmp_path)
    append(folder, "shifts.csv", "S9,1935-09-04,6,Mine/Section 1/Brigade 2,standard,")
    append(folder, "output.csv", "S9,hewing,10,t,")
    for hewer in ("H1", "H2", "H3"):
        append(folder, "crew.csv", f"S9,{hewer},hewing,6,,")
    load(engine, folder)
    path = folder / "crew.csv"
    path.write_text(path.read_text().replace("S9,H1,hewing,6,,\n", "S9,H1,hewing,6,,1\n"))
    report = load(engine, folder, correct=True, reason="coefficient written out")
    crew = report.files["crew.csv"]
    assert (crew.added, crew.corrected, crew.withdrawn) == (0, 1, 0)
    assert crew.unchanged == 13
    ledger = everything(engine)
    (group,) = crew_groups(ledger, ledger.shifts["S9"])
    assert [(c.worker_id, c.quantity) for c in group.doers] == [
        ("H1", Decimal(4)),
        ("H2", Decimal(3)),
        ("H3", Decimal(3)),
    ]
    assert not load(engine, folder, correct=True).changed
