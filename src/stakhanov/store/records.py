"""How each kind of record maps onto its ledger table, both ways.

The domain classes know nothing of tables; this module is the whole of the mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import Row, Table

from stakhanov.domain.errors import Source
from stakhanov.domain.hours import read_hours, stored_hours
from stakhanov.domain.incidents import Incident, parse_worker_ids
from stakhanov.domain.ledger import CrewEntry, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.plans import PlanTarget
from stakhanov.domain.provenance import Method, Provenance
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.timesheets import IdleCause, TimeEntry, TimeKind
from stakhanov.domain.work_orders import Participation, SplitRule, WorkOrder
from stakhanov.domain.workers import Worker
from stakhanov.store.governance_tables import plan_entries, provenance_entries
from stakhanov.store.metadata import derived
from stakhanov.store.pay_tables import pay_scale_entries, reject_fault_entries, time_entries
from stakhanov.store.recognition_tables import incident_entries
from stakhanov.store.schema import (
    crew_entries,
    norm_entries,
    output_entries,
    shift_entries,
    units,
    worker_entries,
)
from stakhanov.store.types import kept, written_places
from stakhanov.store.work_order_tables import ktu_entries, work_order_entries


@dataclass(frozen=True)
class ScaleDocument:
    """A pay scale version as imported: its key, currency and TOML text (parsed when used)."""

    name: str
    effective_from: dt.date
    currency: str
    document: str
    origin: Source | None = field(default=None, compare=False, repr=False)


Record = (
    Worker
    | Norm
    | Shift
    | MeasuredOutput
    | CrewEntry
    | TimeEntry
    | RejectFault
    | ScaleDocument
    | Incident
    | Provenance
    | PlanTarget
    | WorkOrder
    | Participation
)


def _origin(row: Row[Any]) -> Source | None:
    if row.source_file is None or row.source_row is None:
        return None
    return Source(row.source_file, row.source_row)


def hours_of(row: Row[Any]) -> Any:
    """A row's hours: its exact fraction where one was kept (20min is 1/3 h), else the decimal."""
    return read_hours(row.hours, row.hours_exact)


def _worker(row: Row[Any]) -> Worker:
    return Worker(row.worker_id, row.name, row.unit, row.trade, row.grade, origin=_origin(row))


def _norm(row: Row[Any]) -> Norm:
    return Norm(
        operation=row.operation,
        unit=row.unit,
        kind=NormKind(row.kind),
        norm=row.norm,
        norm_hours=row.norm_hours,
        effective_from=row.effective_from,
        includes=tuple(row.includes.split(";")) if row.includes else (),
        max_rate=row.max_rate,
        method=row.method,
        source=row.source,
        origin=_origin(row),
    )


def _shift(row: Row[Any]) -> Shift:
    return Shift(
        row.shift_id,
        row.date,
        hours_of(row),
        row.workplace,
        Conditions(row.conditions),
        row.note,
        tuple(row.resources.split(";")) if row.resources else (),
        row.start_time,
        row.end_time,
        origin=_origin(row),
    )


def _output(row: Row[Any]) -> MeasuredOutput:
    return MeasuredOutput(
        row.shift_id,
        row.operation,
        kept(row, "quantity"),
        row.unit,
        row.rejected,
        origin=_origin(row),
    )


def _crew(row: Row[Any]) -> CrewEntry:
    return CrewEntry(
        row.shift_id,
        row.worker_id,
        row.operation,
        hours_of(row),
        row.credited,
        row.coefficient,
        origin=_origin(row),
    )


def _incident(row: Row[Any]) -> Incident:
    return Incident(
        row.incident_id,
        row.date,
        row.shift_id,
        parse_worker_ids(row.worker_ids),
        row.severity,
        row.description,
        origin=_origin(row),
    )


def _provenance(row: Row[Any]) -> Provenance:
    return Provenance(
        row.operation,
        row.effective_from,
        Method(row.method),
        row.observations,
        row.pace_rating,
        row.allowances,
        row.evidence,
        row.approved_by,
        origin=_origin(row),
    )


def _time(row: Row[Any]) -> TimeEntry:
    return TimeEntry(
        row.worker_id,
        row.date,
        TimeKind(row.kind),
        row.operation,
        hours_of(row),
        row.note,
        IdleCause(row.cause) if row.cause else None,
        origin=_origin(row),
    )


def _plan(row: Row[Any]) -> PlanTarget:
    return PlanTarget(
        row.unit,
        row.operation,
        row.period_start,
        row.period_end,
        kept(row, "target"),
        row.unit_of_measure,
        origin=_origin(row),
    )


def _reject(row: Row[Any]) -> RejectFault:
    return RejectFault(
        row.shift_id, row.operation, row.worker_id, row.quantity, row.note, origin=_origin(row)
    )


def _scale(row: Row[Any]) -> ScaleDocument:
    return ScaleDocument(
        row.name, row.effective_from, row.currency, row.document, origin=_origin(row)
    )


def _work_order(row: Row[Any]) -> WorkOrder:
    return WorkOrder(
        row.work_order,
        row.unit,
        row.period_start,
        row.period_end,
        tuple(row.operations.split(";")) if row.operations else (),
        row.measure,
        row.rate,
        row.fund,
        SplitRule(row.split),
        row.currency,
        row.minor_unit,
        row.ktu_min,
        row.ktu_max,
        row.note,
        origin=_origin(row),
    )


def _participation(row: Row[Any]) -> Participation:
    return Participation(
        row.work_order,
        row.worker_id,
        row.ktu,
        row.ktu_reason,
        None if row.hours is None else hours_of(row),
        row.tariff,
        origin=_origin(row),
    )


PLACES = "_places"  # a column that keeps the written scale of the column it is named after
EXACT = "_exact"  # a column that keeps the exact fraction of the hours column it is named after


def _payload(record: Record, table: Table) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for column in table.c:
        if column.name in _BOOKKEEPING or derived(column):
            continue
        if column.name.endswith(PLACES):
            payload[column.name] = written_places(getattr(record, column.name[: -len(PLACES)]))
            continue
        if column.name.endswith(EXACT):
            hours = getattr(record, column.name[: -len(EXACT)])
            payload[column.name] = None if hours is None else stored_hours(hours)[1]
            continue
        value = getattr(record, column.name)
        if f"{column.name}{EXACT}" in table.c and value is not None:
            value = stored_hours(value)[0]  # what SQL reads; rounded only beside the fraction
        if isinstance(value, tuple):
            value = ";".join(value) or None
        elif isinstance(value, Enum):
            value = value.value
        payload[column.name] = value
    return payload


_BOOKKEEPING = frozenset(
    {"entry_id", "batch_id", "reverses", "reason", "source_file", "source_row", "written_at"}
)


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: its import file, its table, its natural key and its mapping."""

    file: str
    table: Table
    key_columns: tuple[str, ...]
    from_row: Callable[[Row[Any]], Record]

    def key(self, record: Record) -> tuple[Any, ...]:
        return tuple(getattr(record, name) for name in self.key_columns)

    def to_row(self, record: Record) -> dict[str, Any]:
        return _payload(record, self.table)

    def differences(self, stored: Record, incoming: Record) -> list[str]:
        """Fields whose stored value differs. A number's written scale counts only where the
        table keeps it (50 and 50.0 differ as an output quantity: precision drives splits)."""
        changed: list[str] = []
        old, new = self.to_row(stored), self.to_row(incoming)
        for name in old:
            field_name = name.removesuffix(PLACES).removesuffix(EXACT)
            if old[name] != new[name] and field_name not in changed:
                changed.append(field_name)
        return changed


WORKERS = RecordKind("workers.csv", worker_entries, ("worker_id",), _worker)
NORMS = RecordKind("norms.csv", norm_entries, ("operation", "effective_from"), _norm)
SHIFTS = RecordKind("shifts.csv", shift_entries, ("shift_id",), _shift)
OUTPUT = RecordKind("output.csv", output_entries, ("shift_id", "operation"), _output)
CREW = RecordKind("crew.csv", crew_entries, ("shift_id", "worker_id", "operation"), _crew)
PROVENANCE = RecordKind(
    "provenance.csv", provenance_entries, ("operation", "effective_from"), _provenance
)
PLANS = RecordKind(
    "plans.csv",
    plan_entries,
    ("unit", "operation", "period_start", "period_end"),
    _plan,
)

TIME = RecordKind("time.csv", time_entries, ("worker_id", "date", "kind", "operation"), _time)
REJECTS = RecordKind(
    "rejects.csv", reject_fault_entries, ("shift_id", "operation", "worker_id"), _reject
)

INCIDENTS = RecordKind("incidents.csv", incident_entries, ("incident_id",), _incident)

WORK_ORDERS = RecordKind("work_orders.csv", work_order_entries, ("work_order",), _work_order)
KTU = RecordKind("ktu.csv", ktu_entries, ("work_order", "worker_id"), _participation)

# Pay scales are imported from TOML files (`stakhanov scales import`), not with the CSV files.
SCALES = RecordKind("scales", pay_scale_entries, ("name", "effective_from"), _scale)

# Dependency order: what a later kind refers to is written first.
KINDS = (
    WORKERS,
    NORMS,
    SHIFTS,
    OUTPUT,
    CREW,
    TIME,
    REJECTS,
    PROVENANCE,
    PLANS,
    INCIDENTS,
    WORK_ORDERS,
    KTU,
)


# A unit's name (one part of its path) fits the units table's column.
UNIT_NAME_LENGTH: int = units.c.name.type.length  # type: ignore[attr-defined]
