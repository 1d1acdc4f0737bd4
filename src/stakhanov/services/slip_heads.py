"""What a printed pay slip says above its lines: who pays, whom, in what unit, at which grade
and tariff, and on what day.

The employer is the top unit of the worker's unit path (`Donbassugol/...` is paid by
Donbassugol) unless `STAKHANOV_EMPLOYER` names it. The pay date is `STAKHANOV_PAY_DAY` (a day of
the month after the period) when set, else the day the period was closed; a slip of an open
period is not paid yet and says so.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import Engine

from stakhanov.domain.numbers import text
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.workers import Worker
from stakhanov.services.payroll import Slips
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import PayStore
from stakhanov.store.records import WORKERS

ENV_EMPLOYER = "STAKHANOV_EMPLOYER"
ENV_PAY_DAY = "STAKHANOV_PAY_DAY"


@dataclass(frozen=True)
class SlipHead:
    employer: str
    unit: str
    grade: str
    tariff: str
    pay_date: str

    def lines(self) -> list[tuple[str, str]]:
        return [
            ("Employer", self.employer),
            ("Unit", self.unit),
            ("Grade", self.grade),
            ("Tariff", self.tariff),
            ("Pay date", self.pay_date),
        ]


def pay_date(period: Period, closed_on: dt.date | None, pay_day: str | None = None) -> str:
    """The configured day of the month after the period, else the day it was closed."""
    if pay_day:
        following = period.end + dt.timedelta(days=1)
        day = max(1, min(int(pay_day), 28))  # a day every month has
        on = following.replace(day=day)
        if on <= period.end:
            on = (following.replace(day=28) + dt.timedelta(days=4)).replace(day=day)
        return on.isoformat()
    if closed_on is None:
        return "not paid yet: the period is open (paid when it is closed)"
    return f"{closed_on.isoformat()} (the day the period was closed)"


def heads(engine: Engine, found: Slips) -> dict[str, SlipHead]:
    """The head of every slip in `found`, by worker id."""
    ids = sorted({s.worker_id for s in found.slips})
    with engine.connect() as connection:
        workers = {
            w.worker_id: w
            for w in LedgerStore(connection).records(WORKERS, Worker, "worker_id", ids)
        }
        scales, _ = PayStore(connection).scales()
    standing = ScaleBook.of(scales).standing(found.period.end)
    closed_on = found.closed.closed_at.date() if found.closed else None
    paid = pay_date(found.period, closed_on, os.environ.get(ENV_PAY_DAY))
    named = os.environ.get(ENV_EMPLOYER, "").strip()
    found_heads = {}
    for worker_id in ids:
        worker = workers.get(worker_id)
        unit = worker.unit if worker else ""
        grade = worker.grade if worker else None
        tariffs = [
            f"{text(tariff)} {scale.currency} per hour ({scale.label})"
            for scale in standing
            if (tariff := scale.tariff(grade)) is not None
        ]
        found_heads[worker_id] = SlipHead(
            employer=named or unit.split("/")[0] or "not recorded",
            unit=unit or "not recorded",
            grade=grade or "not recorded",
            tariff="; ".join(tariffs) or "no scale in force pays this grade",
            pay_date=paid,
        )
    return found_heads
