"""Ledgers for governance tests: one-worker shifts whose percentages are easy to check by hand.

The norm is 6 t per 6 h (1 t an hour), so a 6 h shift's output in tonnes x 100 / 6 is its
percent: 6 t is 100%, 6.6 t is 110%, 18 t is 300%.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.workers import Worker

START = dt.date(1936, 3, 1)
B1 = "Mine/Section 1/Brigade 1"
B2 = "Mine/Section 1/Brigade 2"


def norm(value: str = "6", effective: dt.date = dt.date(1936, 1, 1)) -> Norm:
    return Norm(
        "hewing",
        "t",
        NormKind.OUTPUT,
        Decimal(value),
        Decimal(6),
        effective,
        ("timbering",),
        Decimal(40),
        "decree",
    )


class Builder:
    """Adds shifts one by one; each gets the next date and its own id."""

    def __init__(self, *norms: Norm) -> None:
        self.norms = list(norms) or [norm()]
        self.workers: dict[str, Worker] = {}
        self.shifts: list[Shift] = []
        self.outputs: list[MeasuredOutput] = []
        self.crew: list[CrewEntry] = []

    def shift(
        self,
        worker: str,
        tonnes: str,
        unit: str = B1,
        prepared: bool = False,
        helpers: tuple[str, ...] = (),
        day: dt.date | None = None,
    ) -> str:
        shift_id = f"S{len(self.shifts) + 1}"
        date = day or START + dt.timedelta(days=len(self.shifts))
        self.workers.setdefault(worker, Worker(worker, f"Worker {worker}", unit))
        conditions = Conditions.PREPARED if prepared else Conditions.STANDARD
        self.shifts.append(Shift(shift_id, date, Decimal(6), unit, conditions))
        self.outputs.append(MeasuredOutput(shift_id, "hewing", Decimal(tonnes), "t"))
        self.crew.append(CrewEntry(shift_id, worker, "hewing", Decimal(6)))
        for helper in helpers:
            self.workers.setdefault(helper, Worker(helper, f"Worker {helper}", unit))
            self.crew.append(CrewEntry(shift_id, helper, "timbering", Decimal(6)))
        return shift_id

    def pooled(self, beneficiary: str, donor: str, tonnes: str, unit: str = B1) -> str:
        """A two-hewer shift whose whole output is credited to one of them."""
        shift_id = self.shift(beneficiary, tonnes, unit)
        self.crew[-1] = CrewEntry(shift_id, beneficiary, "hewing", Decimal(6), Decimal(tonnes))
        self.workers.setdefault(donor, Worker(donor, f"Worker {donor}", unit))
        self.crew.append(CrewEntry(shift_id, donor, "hewing", Decimal(6), Decimal(0)))
        return shift_id

    def ledger(self) -> Ledger:
        return Ledger.of(self.workers.values(), self.norms, self.shifts, self.outputs, self.crew)

    def csv(self) -> dict[str, str]:
        """The same ledger as import files."""
        norms = "\n".join(
            f"{n.operation},{n.unit},{n.kind.value},{n.norm},{n.norm_hours},"
            f"{';'.join(n.includes)},{n.max_rate},{n.effective_from},{n.method},"
            for n in self.norms
        )
        return {
            "workers.csv": "worker_id,name,unit,trade,grade\n"
            + "\n".join(f"{w.worker_id},{w.name},{w.unit},hewer,5" for w in self.workers.values()),
            "norms.csv": "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,"
            "method,source\n" + norms,
            "shifts.csv": "shift_id,date,hours,workplace,conditions,note\n"
            + "\n".join(
                f"{s.shift_id},{s.date},{s.hours},{s.workplace},{s.conditions.value},"
                for s in self.shifts
            ),
            "output.csv": "shift_id,operation,quantity,unit,rejected\n"
            + "\n".join(f"{o.shift_id},{o.operation},{o.quantity},{o.unit}," for o in self.outputs),
            "crew.csv": "shift_id,worker_id,operation,hours,credited,coefficient\n"
            + "\n".join(
                f"{c.shift_id},{c.worker_id},{c.operation},{c.hours},{_text(c.credited)},"
                for c in self.crew
            ),
        }


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def scenario() -> Builder:
    """Ordinary work by A-D, D's own record, a prepared record and an assisted record.

    Ordinary fair percents: A 100, 110; B 90, 100; C 110, 120; D 100. D's 18 t is 300% on a
    standard shift worked alone: D's own record. E's 24 t (400%) is prepared; F's 12 t with two
    timberers is assisted (stated 200%, fair 12 / (3 x 6) = 66.7%).
    """
    build = Builder()
    for worker, tonnes, unit in (
        ("A", "6", B1),
        ("A", "6.6", B1),
        ("B", "5.4", B1),
        ("B", "6", B1),
        ("C", "6.6", B2),
        ("C", "7.2", B2),
        ("D", "6", B2),
        ("D", "18", B2),
    ):
        build.shift(worker, tonnes, unit)
    build.shift("E", "24", B1, prepared=True)
    build.shift("F", "12", B1, helpers=("T1", "T2"))
    return build
