"""Pay on both databases: scale versions, close and lock, adjustments, determinism, bonuses."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select, text, update
from sqlalchemy.exc import DBAPIError

from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.payslips import canonical, digest
from stakhanov.domain.periods import Period
from stakhanov.services import payroll
from stakhanov.services.importing import ImportRejected
from stakhanov.services.scales import import_scales
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.pay_tables import pay_lines, pay_periods, pay_scale_entries, pay_slips
from stakhanov.store.schema import shift_entries
from tests.integration.helpers import append, mini_copy, write
from tests.integration.test_import import load
from tests.pay import scale_text

pytestmark = pytest.mark.storage
AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))
SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
EXTRA = '[time_work]\nfraction = "1"\n[[deductions]]\ncode = "union"\npercent = "1"\n'


def scale_file(folder: Path, extra: str = EXTRA, name: str = "test.toml") -> Path:
    return write(folder, name, scale_text(extra, percent="auto"))


def ready(engine: Engine, tmp_path: Path) -> Path:
    folder = mini_copy(tmp_path)
    load(engine, folder)
    import_scales(engine, [scale_file(tmp_path / "scales")])
    return folder


def test_scales_import_is_idempotent_and_versioned(engine: Engine, tmp_path: Path) -> None:
    path = scale_file(tmp_path)
    first = import_scales(engine, [path])
    assert first.added == ["test (1935-01-01)"] and first.batch_id is not None
    # The same terms written differently change nothing.
    path.write_text(scale_text(EXTRA, percent="auto") + "# a comment\n", encoding="utf-8")
    again = import_scales(engine, [path])
    assert again.unchanged == ["test (1935-01-01)"] and again.batch_id is None
    changed = scale_file(tmp_path, EXTRA.replace('"1"\n[[', '"0.9"\n[['), "changed.toml")
    with pytest.raises(ImportRejected) as rejected:
        import_scales(engine, [changed])
    assert "already stored with other terms" in str(rejected.value.problems[0])
    corrected = import_scales(engine, [changed], correct=True, reason="typo in time work")
    assert corrected.corrected == ["test (1935-01-01)"]
    with engine.connect() as connection:
        rows = connection.execute(select(pay_scale_entries.c.reverses, pay_scale_entries.c.reason))
        assert [(r.reverses is not None, r.reason) for r in rows] == [
            (False, None),
            (True, "typo in time work"),
            (False, None),
        ]


def test_a_bad_scale_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    good = scale_file(tmp_path)
    bad = write(tmp_path, "bad.toml", scale_text("[rest]\npay = 'sometimes'\n"))
    with pytest.raises(ImportRejected) as rejected:
        import_scales(engine, [good, bad])
    assert [str(p) for p in rejected.value.problems] == [
        "bad.toml:16:rest.pay: must be one of: average, tariff, all_pay, minimum_wage"
    ]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(pay_scale_entries)) == 0


def test_close_locks_the_period_and_show_reads_it_back(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    report = payroll.close(engine, AUGUST)
    assert not report.already and report.slips == 6  # L1's turning too
    found = payroll.slips(engine, AUGUST)
    assert found.closed is not None and found.closed.digest == report.digest
    assert digest(found.slips) == report.digest
    h1 = next(s for s in found.slips if s.worker_id == "H1")
    # S2 (30 Aug): 15000 kg = 15 t split 6 : 9 by hours x coefficient; H1 gets 6 t x 12/7
    # = 10.29 at tariff 2.00. S1: 102 t, fair 364.3% (as in the unit tests) = 289.72.
    assert h1.gross == Decimal("10.29") + Decimal("289.72")
    assert h1.deductions[0].amount == Decimal("3.00")  # 1% of 300.01 = 3.0001
    with engine.connect() as connection:
        stored = connection.execute(select(pay_periods)).one()
        assert stored.gross == sum(s.gross for s in found.slips) == report.gross
        assert stored.net == sum(s.net for s in found.slips)
        line_total = connection.scalar(select(func.count()).select_from(pay_lines))
        assert line_total == sum(len(s.lines) + len(s.deductions) for s in found.slips)
    again = payroll.close(engine, AUGUST)
    assert again.already and again.digest == report.digest
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(pay_periods)) == 1


def test_locked_rows_refuse_update_and_delete(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    payroll.close(engine, AUGUST)
    for statement in (
        update(pay_lines).values(amount=Decimal("1000000")),
        pay_slips.delete(),
        update(pay_periods).values(digest="x"),
    ):
        with pytest.raises(DBAPIError, match="locked"), engine.begin() as connection:
            connection.execute(statement)


def test_a_refused_close_reads_pay_s_inputs_once_and_lists_every_problem_of_the_period(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(engine, tmp_path)
    other = scale_text(EXTRA, percent="auto").replace('name = "test"', 'name = "other"')
    import_scales(engine, [write(tmp_path / "scales", "other.toml", other)])
    with engine.connect() as connection:
        expected = list(payroll.compute(connection, AUGUST).problems)
    assert any("more than one scale" in str(p) for p in expected)
    read = []
    inputs = payroll.pay_inputs

    def counted(*args: Any) -> Any:  # the real reads, counted
        read.append(args[1])
        return inputs(*args)

    monkeypatch.setattr(payroll, "pay_inputs", counted)
    with pytest.raises(payroll.PayrollRejected) as refused:
        payroll.close(engine, AUGUST)
    assert refused.value.problems == expected
    assert read == [AUGUST]  # once: the parts and the list of problems share them


def test_periods_never_overlap_and_a_gap_before_a_closed_one_still_closes(
    engine: Engine, tmp_path: Path
) -> None:
    # Closing September first (by mistake, or to check it) must not leave August unpayable.
    ready(engine, tmp_path)
    september = payroll.close(engine, SEPTEMBER)
    # Shifts of 30 and 31 August lie before it in no closed period: the report says so.
    assert september.unpaid == payroll.Unpaid(dt.date(1935, 8, 30), dt.date(1935, 8, 31), 2)
    overlapping = Period(dt.date(1935, 9, 15), dt.date(1935, 10, 15))
    with pytest.raises(payroll.PayrollRejected) as refused:
        payroll.close(engine, overlapping)
    assert "overlaps the closed period 1935-09-01..1935-09-30" in str(refused.value.problems[0])
    # A part of a closed period is not shown as if it were still to be paid.
    part = payroll.slips(engine, Period(dt.date(1935, 9, 1), dt.date(1935, 9, 2)))
    assert part.slips == [] and "overlaps the closed period" in str(part.problems[0])
    august = payroll.close(engine, AUGUST)
    assert not august.already and august.slips == 6 and august.unpaid is None
    h1 = payroll.slips(engine, AUGUST, "H1").slips[0]
    assert h1.gross == Decimal("10.29") + Decimal("289.72")  # as when closed first


def test_a_gap_closed_late_does_not_pay_a_correction_twice(engine: Engine, tmp_path: Path) -> None:
    folder = ready(engine, tmp_path)
    day = [Period(dt.date(1935, 8, d), dt.date(1935, 8, d)) for d in (30, 31)]
    early_september = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 2))
    payroll.close(engine, day[0])
    assert payroll.close(engine, early_september).unpaid == payroll.Unpaid(
        dt.date(1935, 8, 31), dt.date(1935, 8, 31), 1
    )
    # S2 of 30 August is re-weighed after both closes: 15000 kg -> 15600 kg, H1 6.24 t of it.
    (folder / "output.csv").write_text(
        (folder / "output.csv").read_text().replace("S2,hewing,15000,kg,", "S2,hewing,15600,kg,")
    )
    load(engine, folder, correct=True, reason="weighbridge re-read")
    payroll.close(engine, Period(dt.date(1935, 9, 3), dt.date(1935, 9, 3)))
    later = payroll.slips(engine, Period(dt.date(1935, 9, 3), dt.date(1935, 9, 3)), "H1").slips
    paid = [line for line in later[0].lines if line.code == "adjustment"]
    # 6.24 t x 12/7 = 10.697 -> 10.70, against 10.29 paid: 0.41, in the next close.
    assert [(line.reference, line.amount) for line in paid] == [
        ("1935-08-30..1935-08-30:piece:S2:hewing", Decimal("0.41"))
    ]
    # The gap of 31 August, closed last, pays its own work and not that correction again.
    payroll.close(engine, day[1])
    gap = {s.worker_id: s for s in payroll.slips(engine, day[1]).slips}
    assert gap["H1"].gross == Decimal("289.72")
    assert not any(line.code == "adjustment" for s in gap.values() for line in s.lines)


def test_a_late_correction_is_paid_as_an_adjustment(engine: Engine, tmp_path: Path) -> None:
    folder = ready(engine, tmp_path)
    before = payroll.close(engine, AUGUST)
    # S1 of 31 August was 102 t; it is corrected to 105 t after the close.
    (folder / "output.csv").write_text(
        (folder / "output.csv").read_text().replace("S1,hewing,102,t,", "S1,hewing,105,t,")
    )
    (folder / "crew.csv").write_text(
        (folder / "crew.csv").read_text().replace("S1,H1,hewing,6,102,", "S1,H1,hewing,6,105,")
    )
    load(engine, folder, correct=True, reason="weighbridge re-read")
    locked = payroll.slips(engine, AUGUST)
    assert digest(locked.slips) == before.digest  # the closed period never changes
    september = payroll.close(engine, SEPTEMBER)
    assert september.adjusted == 1
    h1 = payroll.slips(engine, SEPTEMBER, "H1").slips[0]
    adjustments = {line.key: line for line in h1.lines if line.code == "adjustment"}
    # 105 t x 12/7 = 180.00 (was 174.86); fair 375%: 105 - 28 = 77 t x 6/7 = 66.00 (was
    # 63.43); 105 - 42 = 63 t x 6/7 = 54.00 (was 51.43).
    piece = adjustments["adjustment:1935-08-01..1935-08-31:piece:S1:hewing"]
    assert piece.amount == Decimal("5.14")
    assert piece.reference == "1935-08-01..1935-08-31:piece:S1:hewing"
    tier = adjustments["adjustment:1935-08-01..1935-08-31:tier-100:S1:hewing"]
    assert tier.amount == Decimal("2.57")
    union = next(d for d in h1.deductions if d.code == "adjustment")
    assert union.amount == Decimal("0.10")  # 1% of 310.30 = 3.10 against 3.00 paid
    # The next close does not pay the same correction again.
    october = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31))
    assert payroll.close(engine, october).slips == 0


def test_closing_the_same_data_is_byte_identical(db_url: str, tmp_path: Path) -> None:
    texts = []
    for attempt in ("a", "b"):
        url = db_url
        if db_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / attempt}.db"
        engine = make_engine(url)
        upgrade(engine)
        if attempt == "b" and not db_url.startswith("sqlite"):
            with engine.begin() as connection:  # a second PostgreSQL run: clear the first
                for table in ("pay_lines", "pay_slips", "pay_periods"):
                    connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                    connection.exec_driver_sql(f"DELETE FROM {table}")
            report = payroll.close(engine, AUGUST)
        else:
            ready(engine, tmp_path / attempt)
            report = payroll.close(engine, AUGUST)
        texts.append((canonical(payroll.slips(engine, AUGUST).slips), report.digest))
        engine.dispose()
    assert texts[0] == texts[1]
    assert json.loads(texts[0][0])[0]["worker_id"] == "H1"


def prepared_shift_bonus(connection: Connection, period: Period) -> list[ExternalBonus]:
    """A real source: 5.00 for every crew member of a prepared shift (read with SQL)."""
    rows = connection.execute(
        text(
            "SELECT s.shift_id, s.date, c.worker_id FROM shift_entries s "
            "JOIN crew_entries c ON c.shift_id = s.shift_id "
            "WHERE s.conditions = 'prepared' ORDER BY c.worker_id"
        )
    )
    return [
        ExternalBonus(
            row.worker_id,
            row.date if isinstance(row.date, dt.date) else dt.date.fromisoformat(row.date),
            "crew-award",
            Decimal("5.00"),
            "RUB",
            "award to the crew of a prepared shift",
            f"award:{row.shift_id}:{row.worker_id}",
        )
        for row in rows
    ]


def test_bonus_sources_passed_to_the_close_become_slip_lines(
    engine: Engine, tmp_path: Path
) -> None:
    ready(engine, tmp_path)
    payroll.close(engine, AUGUST, sources=[prepared_shift_bonus])
    slips = {s.worker_id: s for s in payroll.slips(engine, AUGUST).slips}
    for worker_id in ("H1", "T1", "T2", "P1"):
        line = next(line for line in slips[worker_id].lines if line.code == "crew-award")
        assert line.amount == Decimal("5.00")
        assert line.reference == f"award:S1:{worker_id}"
    assert not any(line.code == "crew-award" for line in slips["H2"].lines)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(shift_entries)) == 5


def test_paid_time_and_faults_import_all_or_nothing(engine: Engine, tmp_path: Path) -> None:
    folder = ready(engine, tmp_path)
    pay_inputs = tmp_path / "pay"
    write(
        pay_inputs,
        "time.csv",
        "worker_id,date,kind,operation,hours,note\n"
        "H1,1935-08-29,idle,hewing,2,no empty tubs\nH1,1935-08-29,rest,hewing,1,\n",
    )
    write(
        pay_inputs,
        "rejects.csv",
        "shift_id,operation,worker_id,quantity,note\nS2,hewing,H2,400,stone\n",
    )
    report = load(engine, pay_inputs)
    assert report.files["time.csv"].added == 2 and report.files["rejects.csv"].added == 1
    assert not load(engine, pay_inputs).changed
    append(pay_inputs, "time.csv", "NOBODY,1935-08-29,idle,hewing,2,")
    append(pay_inputs, "time.csv", "H1,1935-08-31,idle,hewing,19,")
    append(pay_inputs, "rejects.csv", "S2,hewing,H1,200,")
    append(pay_inputs, "rejects.csv", "S1,hewing,T1,1,")
    with pytest.raises(ImportRejected) as rejected:
        load(engine, pay_inputs)
    shown = [str(p) for p in rejected.value.problems]
    assert "time.csv:4:worker_id: unknown worker 'NOBODY'" in shown
    assert any(s.startswith("time.csv:5:hours: worker H1 would work 25") for s in shown)
    assert any(
        s.startswith("rejects.csv:3:quantity: faults of S2 hewing add up to 600") for s in shown
    )
    assert "rejects.csv:4:worker_id: 'T1' is not credited on hewing in S1" in shown
    assert payroll.slips(engine, AUGUST).problems == []
    assert folder.exists()
