"""What the set-based close reads besides the crew frames: the few entries pay looks up by key.

A close over frames needs no crew row or shift as a Python object. Pay still reads, per worker
or per line: the workers and norms, the period's paid time, the reject faults of its shifts
(with those shifts and outputs, for the deduction's rate) and the outputs that record rejects
(the piece line says they are not paid). These are few; they come as a domain Ledger without
crew, so the domain's own slip code looks them up exactly as in the reference close.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, and_, select, text, union

from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.periods import Period
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.shifts import Shift
from stakhanov.domain.timesheets import TimeEntry
from stakhanov.store.frames import Roster, roster_of, worked_by
from stakhanov.store.ledger import LedgerStore, current_query
from stakhanov.store.records import (
    CREW,
    OUTPUT,
    REJECTS,
    SHIFTS,
    TIME,
    Record,
    RecordKind,
)


def _typed(connection: Connection, kind: RecordKind, query: Select[Any]) -> list[Record]:
    return [kind.from_row(row) for row in connection.execute(query)]


def pay_lookups(
    connection: Connection,
    period: Period,
    every_shift: bool = False,
    workers: Sequence[str] | None = None,
    roster: Roster | None = None,
) -> Ledger:
    """Workers, norms, the period's paid time, its reject faults and outputs with rejects;
    the shifts with reject faults, or with `every_shift` all the period's shifts (a scale that
    reads their dates or clock times needs them). With `workers`, only their paid time and
    the shifts they worked (frames.worked_by): what their own slips read. `roster`: the
    workers and norms read already."""
    store = LedgerStore(connection)
    shifts = SHIFTS.table
    dated = and_(shifts.c.date >= period.start, shifts.c.date <= period.end)
    if workers is not None:
        worked_sql = worked_by(workers, (period.start, period.end))
        roster = roster or roster_of(connection, worked_sql, workers)
        dated = and_(dated, shifts.c.shift_id.in_(text(worked_sql)))
    roster = roster or roster_of(connection)
    in_period = (
        current_query(SHIFTS).where(dated).with_only_columns(shifts.c.shift_id).order_by(None)
    )
    time_table = TIME.table
    time = current_query(TIME).where(
        and_(time_table.c.date >= period.start, time_table.c.date <= period.end)
    )
    if workers is not None:
        time = time.where(time_table.c.worker_id.in_(sorted(set(workers))))
    faults = current_query(REJECTS).where(REJECTS.table.c.shift_id.in_(in_period))
    found_faults = _typed(connection, REJECTS, faults)
    faulted = {f.shift_id for f in found_faults if isinstance(f, RejectFault)}
    outputs = OUTPUT.table
    rejected = current_query(OUTPUT).where(
        and_(outputs.c.shift_id.in_(in_period), outputs.c.rejected.is_not(None))
    )
    found_outputs = {
        o.key: o
        for o in [
            *_typed(connection, OUTPUT, rejected),
            *store.records(OUTPUT, MeasuredOutput, "shift_id", faulted),
        ]
        if isinstance(o, MeasuredOutput)
    }
    return Ledger.of(
        workers=roster.workers,
        norms=roster.norms,
        shifts=(
            [
                s
                for s in _typed(connection, SHIFTS, current_query(SHIFTS).where(dated))
                if isinstance(s, Shift)
            ]
            if every_shift
            else store.records(SHIFTS, Shift, "shift_id", faulted)
        ),
        outputs=found_outputs.values(),
        time=[t for t in _typed(connection, TIME, time) if isinstance(t, TimeEntry)],
        faults=[f for f in found_faults if isinstance(f, RejectFault)],
    )


def paid_workers(connection: Connection, period: Period) -> list[str]:
    """Every worker with a crew row or paid time dated in the period (current or not: a few
    more than are paid does no harm), in the order Python sorts them."""
    crew, time = CREW.table, TIME.table
    query = union(
        select(crew.c.worker_id).where(
            crew.c.shift_date >= period.start, crew.c.shift_date <= period.end
        ),
        select(time.c.worker_id).where(time.c.date >= period.start, time.c.date <= period.end),
    )
    return sorted(connection.scalars(query))
