"""Read-side use cases: fulfilment, audit, and the lists of workers and norms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov import engine as set_based
from stakhanov.domain.audit import Finding, audit
from stakhanov.domain.fulfilment import (
    Fulfilment,
    Grouping,
    Result,
    aggregate,
    key_function,
    results,
)
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm
from stakhanov.domain.numbers import shown_sum
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.shifts import Shift
from stakhanov.domain.units import is_within
from stakhanov.domain.workers import Worker
from stakhanov.services import read_model
from stakhanov.store import worker_lists
from stakhanov.store.db import Source, reading
from stakhanov.store.frames import frames_on, read_frames
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import NORMS, SHIFTS, WORKERS


def ledger_for(engine: Source, period: Period) -> Ledger:
    with reading(engine) as connection:
        store = LedgerStore(connection)
        shift_ids = store.shift_ids_between(period.start, period.end)
        return store.snapshot(shift_ids, (period.start, period.end))


def everything(engine: Source) -> Ledger:
    with reading(engine) as connection:
        return LedgerStore(connection).snapshot()


@dataclass(frozen=True)
class FulfilmentRow:
    """One line of the fulfilment report, keyed as the contract fixes (docs/contract.md)."""

    grouping: Grouping
    fulfilment: Fulfilment

    def as_dict(self) -> dict[str, Any]:
        f = self.fulfilment
        row: dict[str, Any] = {}
        if self.grouping is Grouping.SHIFT:
            row["shift_id"], row["worker_id"] = f.group
        elif self.grouping is Grouping.WORKER:
            row["worker_id"] = f.group[0]
        elif self.grouping in (Grouping.BRIGADE, Grouping.UNIT):
            row["unit"] = f.group[0]
        row["operation"] = f.operation
        row["shifts"] = f.shifts
        row["hours"] = shown_sum(f.hours)  # the same digits from a roll-up or a kept sum
        row["output"] = shown_sum(f.output)
        if self.grouping not in (Grouping.BRIGADE, Grouping.UNIT):
            row["unit"] = f.unit
        row["quantity_unit"] = f.unit
        row["norm_output"] = None if f.norm_output is None else shown(f.norm_output)
        row["percent"] = f.percent
        row["fair_percent"] = f.fair_percent
        return row


def home_unit_of(ledger: Ledger) -> Callable[[str], str]:
    def home_unit(worker_id: str) -> str:
        worker = ledger.workers.get(worker_id)
        return worker.unit if worker else "(unknown)"

    return home_unit


def subtrees_of(within: str | Sequence[str] | None) -> list[str] | None:
    """The subtrees to keep (None: everyone); one path or several."""
    if within is None or within == "":
        return None
    return [within] if isinstance(within, str) else list(within)


def results_within(
    ledger: Ledger, period: Period, within: str | Sequence[str] | None = None
) -> list[Result]:
    """Results of workers whose home unit lies in the subtree (or any of the subtrees)."""
    found = results(ledger, period.start, period.end)
    subtrees = subtrees_of(within)
    if subtrees is None:
        return found
    home_unit = home_unit_of(ledger)
    return [r for r in found if any(is_within(home_unit(r.worker_id), s) for s in subtrees)]


def fulfilment(
    engine: Source,
    period: Period,
    grouping: Grouping,
    within: str | Sequence[str] | None = None,
    worker_id: str | None = None,
) -> list[FulfilmentRow]:
    """From the read model: only the scope's stored results are read and summed."""
    found = read_model.fulfilment(engine, period, grouping, subtrees_of(within), worker_id)
    return [FulfilmentRow(grouping, f) for f in found]


def fulfilment_from_ledger(
    engine: Engine, period: Period, grouping: Grouping, within: str | Sequence[str] | None = None
) -> list[FulfilmentRow]:
    """The period recomputed from the ledger, set-based; the domain where it cannot be exact."""
    subtrees = subtrees_of(within)
    try:
        frames = read_frames(engine, period.start, period.end, subtrees)
        found = set_based.fulfilment(frames, grouping, subtrees)
    except set_based.Unsupported:
        ledger = ledger_for(engine, period)
        keys = key_function(grouping, home_unit_of(ledger))
        found = aggregate(results_within(ledger, period, within), keys)
    return [FulfilmentRow(grouping, f) for f in found]


def shift_date(connection: Connection, shift_id: str) -> dt.date | None:
    found = LedgerStore(connection).records(SHIFTS, Shift, "shift_id", [shift_id])
    return found[0].date if found else None


def findings(
    engine: Source,
    period: Period,
    kinds: set[str] | None = None,
    workplaces: Sequence[str] | None = None,
) -> list[Finding]:
    """The audit set-based in DuckDB; the domain's reference path where it cannot stay exact.

    With `workplaces` (subtrees), only shifts entered at workplaces within them are read.
    """
    shifts_sql: str | None = None
    try:
        with reading(engine) as connection:
            dialect = connection.dialect.name
            shifts_sql = None if workplaces is None else read_model.shifts_at(workplaces, dialect)
            frames = frames_on(connection, period.start, period.end, shifts_sql=shifts_sql)
        found = set_based.findings(frames)
    except set_based.Unsupported:
        with reading(engine) as connection:
            store = LedgerStore(connection)
            ids = store.shift_ids_between(period.start, period.end)
            if shifts_sql is not None:
                ids &= read_model.shift_ids(connection, shifts_sql)
            ledger = store.snapshot(ids, (period.start, period.end))
        found = audit(ledger, period.start, period.end)
    return [f for f in found if kinds is None or f.kind.value in kinds]


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "shift_id": finding.shift_id,
        "operation": finding.operation,
        "worker_ids": list(finding.worker_ids),
        "message": finding.message,
        "date": finding.date,
    }


def workers(
    engine: Source, within: str | None = None, ids: Iterable[str] | None = None
) -> list[Worker]:
    """Current workers by id: every one, those whose home lies `within` a unit, or those
    named by `ids`; a page that shows some workers reads those, not the workforce."""
    wanted = None if ids is None else set(ids)
    with reading(engine) as connection:
        store = LedgerStore(connection)
        if within is not None:
            found = worker_lists.workers_within(connection, within)
        elif wanted is not None:
            found = store.records(WORKERS, Worker, "worker_id", wanted)
        else:
            found = store.records(WORKERS, Worker)
    chosen = [w for w in found if wanted is None or w.worker_id in wanted]
    return sorted(chosen, key=lambda w: w.worker_id)


def homes(engine: Source, ids: Iterable[str]) -> dict[str, str]:
    """The home units of the workers named (those the ledger knows)."""
    return {w.worker_id: w.unit for w in workers(engine, ids=ids)}


def norms(engine: Source, on: dt.date | None = None) -> list[Norm]:
    """Every norm version, or only those in force on a date."""
    with reading(engine) as connection:
        found = LedgerStore(connection).records(NORMS, Norm)
    found.sort(key=lambda n: (n.operation, n.effective_from))
    if on is None:
        return found
    in_force: dict[str, Norm] = {}
    for norm in found:
        if norm.effective_from <= on:
            in_force[norm.operation] = norm
    return list(in_force.values())


def norm_dict(norm: Norm) -> dict[str, Any]:
    return {
        "operation": norm.operation,
        "unit": norm.unit,
        "kind": norm.kind.value,
        "norm": norm.norm,
        "norm_hours": norm.norm_hours,
        "includes": list(norm.includes),
        "max_rate": norm.max_rate,
        "effective_from": norm.effective_from,
        "method": norm.method,
        "source": norm.source,
        "per_hour": rounded(norm.per_hour, Decimal("0.001")).normalize(),
    }


def worker_dict(worker: Worker) -> dict[str, Any]:
    return {
        "worker_id": worker.worker_id,
        "name": worker.name,
        "unit": worker.unit,
        "trade": worker.trade,
        "grade": worker.grade,
    }
