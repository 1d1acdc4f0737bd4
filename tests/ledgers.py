"""Small ledgers built in code, for tests that check numbers by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.workers import Worker

DAY = dt.date(1935, 8, 31)


def hewing_norm(norm: str = "7", max_rate: str | None = "40") -> Norm:
    return Norm(
        "hewing",
        "t",
        NormKind.OUTPUT,
        Decimal(norm),
        Decimal(6),
        dt.date(1935, 1, 1),
        ("timbering",),
        Decimal(max_rate) if max_rate else None,
    )


def worker(worker_id: str, unit: str = "Mine/Section 1/Brigade 1") -> Worker:
    return Worker(worker_id, f"Worker {worker_id}", unit)


def shift(
    shift_id: str = "S1", hours: str = "6", prepared: bool = False, day: dt.date = DAY
) -> Shift:
    conditions = Conditions.PREPARED if prepared else Conditions.STANDARD
    return Shift(shift_id, day, Decimal(hours), "Mine/Section 1/Brigade 1", conditions)


def crew(
    worker_id: str,
    operation: str = "hewing",
    hours: str = "6",
    credited: str | None = None,
    coefficient: str | None = None,
    shift_id: str = "S1",
) -> CrewEntry:
    return CrewEntry(
        shift_id,
        worker_id,
        operation,
        Decimal(hours),
        Decimal(credited) if credited is not None else None,
        Decimal(coefficient) if coefficient is not None else None,
    )


def one_shift(
    quantity: str,
    *entries: CrewEntry,
    prepared: bool = False,
    norm: Norm | None = None,
    unit: str = "t",
) -> Ledger:
    ids = sorted({e.worker_id for e in entries})
    return Ledger.of(
        workers=[worker(w) for w in ids],
        norms=[norm or hewing_norm()],
        shifts=[shift(prepared=prepared)],
        outputs=[MeasuredOutput("S1", "hewing", Decimal(quantity), unit)],
        crew=entries,
    )


def stakhanov_shift() -> Ledger:
    """31 August 1935: 102 t credited to the hewer; two timberers and an assistant."""
    return one_shift(
        "102",
        crew("AS", credited="102"),
        crew("T1", "timbering"),
        crew("T2", "timbering"),
        crew("KP", "assist"),
        prepared=True,
    )
