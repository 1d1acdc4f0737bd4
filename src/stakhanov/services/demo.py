"""The demo: build the Central-Irmino mine of 1935 through the ordinary import, then report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from stakhanov.data import preset_scales
from stakhanov.data.irmino import write_demo_dataset
from stakhanov.data.irmino_pay import write_pay_inputs
from stakhanov.domain.audit import Finding, FindingKind
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function, results
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.services import demo_governance, demo_recognition, payroll, reports
from stakhanov.services.demo_recognition import RecognitionReport
from stakhanov.services.importing import ImportReport, Progress, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.scales import import_scales
from stakhanov.services.tables import RawBatch, read_source

DEMO_PERIOD = Period(dt.date(1935, 8, 1), dt.date(1935, 9, 30))
RECORD_OPERATION = "hewing"
LABEL = "stakhanov demo (Central-Irmino 1935)"
MASTER_DATA = ("workers.csv", "norms.csv")
TOP = 5
PAY_PERIODS = (
    Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31)),
    Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30)),
)
PAY_SCALE = "coal-1935"
RECORD_DAY = dt.date(1935, 8, 31)
RECORD_HEWER = "W001"  # Alexei Stakhanov
ORDINARY_HEWER = "W005"  # Miron Dyukanov, a hewer at the same mine, on an ordinary shift


@dataclass(frozen=True)
class PayDemo:
    """The demo's pay: both months closed, and two August slips to set side by side."""

    closes: list[payroll.CloseReport]
    slips: list[PaySlip]  # the record hewer's, then the ordinary hewer's (August)

    def lines_on(self, slip: PaySlip, day: dt.date) -> list[PayLine]:
        """The lines a slip has for the shifts of one day."""
        return [line for line in slip.lines if line.explain.startswith(day.isoformat())]


@dataclass(frozen=True)
class DemoReport:
    imported: ImportReport
    records: list[dict[str, Any]]
    brigades: list[dict[str, Any]]
    workers: list[dict[str, Any]]
    findings: list[Finding]
    pay: PayDemo | None = None
    governance: demo_governance.Showcase | None = None
    recognition: RecognitionReport | None = None

    @property
    def finding_counts(self) -> dict[str, int]:
        counts = Counter(f.kind.value for f in self.findings)
        return {kind.value: counts.get(kind.value, 0) for kind in FindingKind}


def build(engine: Engine, progress: Progress | None = None, seed: int = 1935) -> DemoReport:
    """Write the demo data set to CSV, import it like any user's files, and summarise it.

    Workers and norms come first; the record attempts are registered before the shift logs
    arrive, as a foreman would; recognition runs before pay closes, so that a record's money
    award is paid on September's slip.
    """
    with tempfile.TemporaryDirectory(prefix="stakhanov-demo-") as folder:
        write_demo_dataset(Path(folder), seed=seed)
        write_pay_inputs(Path(folder))
        batch = read_source(Path(folder), set(FORMATS))
        master = {name: batch.tables[name] for name in MASTER_DATA}
        logs = {name: t for name, t in batch.tables.items() if name not in MASTER_DATA}
        first = import_batch(engine, RawBatch(master, batch.problems, LABEL), author="demo")
        demo_recognition.register_attempts(engine)
        second = import_batch(engine, RawBatch(logs, [], LABEL), author="demo", progress=progress)
    imported = ImportReport(second.batch_id, {**first.files, **second.files})
    recognition = demo_recognition.run(engine)
    report = summarise(engine, imported, pay=close_pay(engine))
    return dataclasses.replace(
        report,
        governance=demo_governance.build(engine),
        recognition=demo_recognition.with_paid_awards(engine, recognition),
    )


def close_pay(engine: Engine) -> PayDemo:
    """Load the coal-1935 preset scale and close August and September 1935, in order."""
    import_scales(engine, [preset_scales()[PAY_SCALE]], author="demo")
    closes = [payroll.close(engine, period, author="demo") for period in PAY_PERIODS]
    august = payroll.slips(engine, PAY_PERIODS[0]).slips
    chosen = [s for w in (RECORD_HEWER, ORDINARY_HEWER) for s in august if s.worker_id == w]
    return PayDemo(closes, chosen)


def summarise(engine: Engine, imported: ImportReport, pay: PayDemo | None = None) -> DemoReport:
    ledger = reports.ledger_for(engine, DEMO_PERIOD)
    found = results(ledger, DEMO_PERIOD.start, DEMO_PERIOD.end)

    def home(worker_id: str) -> str:
        return ledger.workers[worker_id].unit

    def name(worker_id: str) -> str:
        return ledger.workers[worker_id].name

    records = []
    for result in found:
        if not (result.prepared and result.operation == RECORD_OPERATION):
            continue
        helpers = ", ".join(
            f"{name(e.worker_id)} ({e.operation})"
            for e in ledger.crew_of(result.shift_id)
            if e.worker_id != result.worker_id
        )
        records.append(
            {
                "date": result.date,
                "shift_id": result.shift_id,
                "worker": name(result.worker_id),
                "output": result.output,
                "unit": result.unit,
                "percent": _rounded(result.percent),
                "fair_percent": _rounded(result.fair_percent),
                "helpers": helpers,
            }
        )

    # Rankings use honest conditions only: prepared record shifts are not ordinary work.
    ordinary = [r for r in found if r.operation == RECORD_OPERATION and not r.prepared]
    brigades = [
        {
            "unit": f.group[0],
            "shifts": f.shifts,
            "output": f.output,
            "percent": f.percent,
            "fair_percent": f.fair_percent,
        }
        for f in aggregate(ordinary, key_function(Grouping.BRIGADE, home))
    ]
    workers = [
        {
            "worker_id": f.group[0],
            "name": name(f.group[0]),
            "unit": home(f.group[0]),
            "shifts": f.shifts,
            "output": f.output,
            "percent": f.percent,
            "fair_percent": f.fair_percent,
        }
        for f in aggregate(ordinary, key_function(Grouping.WORKER, home))
    ]
    by_fair = lambda row: (-(row["fair_percent"] or 0), row.get("unit", ""))  # noqa: E731
    return DemoReport(
        imported=imported,
        records=records,
        brigades=sorted(brigades, key=by_fair)[:TOP],
        workers=sorted(workers, key=by_fair)[:TOP],
        findings=reports.findings(engine, DEMO_PERIOD),
        pay=pay,
    )


def _rounded(value: Any) -> Any:
    from stakhanov.domain.rounding import percent_or_none

    return percent_or_none(value)
