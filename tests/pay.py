"""Pay scales and graded ledgers for tests whose numbers are checked by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import Payroll, compute_payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale, ScaleBook

AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))

BASE = """
name = "test"
effective_from = "1935-01-01"
currency = "RUB"
percent = "{percent}"
basis = "{basis}"
[grades]
"5" = "2.00"
"4" = "1.70"
[[tiers]]
above = 100
multiplier = "1.5"
[[tiers]]
above = 150
multiplier = "2"
"""


def scale_text(extra: str = "", percent: str = "stated", basis: str = "shift") -> str:
    return BASE.format(percent=percent, basis=basis) + extra


def scale(extra: str = "", percent: str = "stated", basis: str = "shift") -> PayScale:
    parsed, problems = parse_scale(scale_text(extra, percent, basis), "test.toml")
    assert parsed is not None, problems
    return parsed


def graded(ledger: Ledger, grade: str = "5", **more: object) -> Ledger:
    """The ledger with every worker in one tariff grade (and other fields replaced)."""
    return Ledger.of(
        workers=[replace(w, grade=grade) for w in ledger.workers.values()],
        norms=ledger.norms,
        shifts=ledger.shifts.values(),
        outputs=ledger.outputs.values(),
        crew=ledger.crew,
        time=more.get("time", ledger.time),  # type: ignore[arg-type]
        faults=more.get("faults", ledger.faults),  # type: ignore[arg-type]
    )


def pay(ledger: Ledger, *scales: PayScale, period: Period = AUGUST, **options: object) -> Payroll:
    return compute_payroll(ledger, period, ScaleBook.of(scales), **options)  # type: ignore[arg-type]


def amounts(payroll: Payroll, worker_id: str) -> dict[str, Decimal]:
    slip = payroll.slip(worker_id)
    assert slip is not None
    return {line.key: line.amount for line in (*slip.lines, *slip.deductions)}
