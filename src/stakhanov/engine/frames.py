"""The engine's input tables: a period's ledger entries as Arrow columns.

`frames_of` builds them from a domain Ledger (tests, small ledgers); `store.frames.read_frames`
reads them from the database. Both go through the same exact conversion to micro-units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import replace
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from stakhanov.domain.ledger import Ledger
from stakhanov.store.frames import Frames, NotMicro, typed


def _text(value: Decimal | None) -> str | None:
    """Positional text (never an exponent), keeping the written scale."""
    return None if value is None else format(value, "f")


def frames_of(ledger: Ledger, start: dt.date, end: dt.date) -> Frames:
    """The ledger's shifts in [start, end] with their outputs and crew, as frames."""
    shifts = ledger.shifts_between(start, end)
    ids = {s.shift_id for s in shifts}
    outputs = [o for o in ledger.outputs.values() if o.shift_id in ids]
    crew = [e for e in ledger.crew if e.shift_id in ids]
    raw_shifts = pa.table(
        {
            "entry_id": pa.array(range(len(shifts)), pa.int64()),
            "shift_id": [s.shift_id for s in shifts],
            "date": [s.date.isoformat() for s in shifts],
            "conditions": [s.conditions.value for s in shifts],
            "note": pa.array([s.note for s in shifts], pa.string()),
        }
    )
    raw_outputs = pa.table(
        {
            "entry_id": pa.array(range(len(outputs)), pa.int64()),
            "shift_id": [o.shift_id for o in outputs],
            "operation": [o.operation for o in outputs],
            "quantity": [_text(o.quantity) for o in outputs],
            "unit": [o.unit for o in outputs],
        }
    )
    raw_crew = pa.table(
        {
            "entry_id": pa.array(range(len(crew)), pa.int64()),
            "shift_id": [e.shift_id for e in crew],
            "worker_id": [e.worker_id for e in crew],
            "operation": [e.operation for e in crew],
            "hours": [_text(e.hours) for e in crew],
            "credited": pa.array([_text(e.credited) for e in crew], pa.string()),
            "coefficient": pa.array([_text(e.coefficient) for e in crew], pa.string()),
        }
    )
    tables = typed(raw_shifts, raw_outputs, raw_crew)
    homes = {w.worker_id: w.unit for w in ledger.workers.values()}
    grades = {w.worker_id: w.grade for w in ledger.workers.values()}
    return Frames(*tables, norms=ledger.norms.norms, homes=homes, grades=grades)


def without_pairs(frames: Frames, pairs: Collection[tuple[str, str]]) -> Frames:
    """The frames without the outputs and crew rows of the given (shift, operation) pairs
    (the work that work orders pay: domain/work_order_pay.py `without`)."""
    if not pairs:
        return frames
    keys = pa.array([f"{s}\x00{o}" for s, o in pairs], pa.string())

    def kept(table: pa.Table) -> pa.Table:
        key = pc.binary_join_element_wise(table["shift_id"], table["operation"], "\x00")
        return table.filter(pc.invert(pc.is_in(key, value_set=keys)))

    return replace(frames, outputs=kept(frames.outputs), crew=kept(frames.crew))


__all__ = ["Frames", "NotMicro", "frames_of", "without_pairs"]
