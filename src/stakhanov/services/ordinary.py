"""Ordinary work of a period, per worker and operation, for honour boards and titles.

`tallies` sums the read model's stored results set-based (engine.ordinary): its cost grows with
the results of the unit asked, never with the ledger. `reference_tallies` is the domain's own
path (a ledger snapshot, the audit, ordinary_work, tally_by) that it must equal number for
number; it serves where the engine cannot stay exact, and the tests.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from fractions import Fraction

import pyarrow as pa
from sqlalchemy import Connection

from stakhanov import engine as set_based
from stakhanov.domain.fulfilment import results
from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm
from stakhanov.domain.performance import Tally, Work, ordinary_work, rejected_hours_of
from stakhanov.domain.periods import Period
from stakhanov.domain.shifts import Shift
from stakhanov.domain.units import is_within
from stakhanov.engine import ordinary
from stakhanov.services import reviews  # a module: reviews reads the read model, which keeps these
from stakhanov.store import ordinary as ordinary_store
from stakhanov.store import ordinary_sums as sums_store
from stakhanov.store import read_model as store
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, NORMS, OUTPUT, SHIFTS

ByOperation = dict[tuple[str, str], Tally]  # (worker, operation) -> tally
BATCH_ROWS = 250_000  # results read and summed at once, at most (a worker's never split)
BATCH_WORKERS = 1_000  # listed workers read and summed at once


def tallies(
    connection: Connection,
    period: Period,
    within: str | None,
    incidents: Sequence[Incident],
    thresholds: Collection[Fraction] | None = None,
    worker_id: str | None = None,
    per_worker: bool = False,
    worker_ids: Sequence[str] | None = None,
    audited: bool = True,
) -> ByOperation:
    """Tallies of the ordinary work of the period's workers at home within the unit (None:
    everyone; of that worker alone with `worker_id`), per worker and operation; `incidents`
    those of the period. With `thresholds`, each tally counts the results reaching each
    (share_at_least of those alone; none: what a board asks), else lists every result's
    percentage; `per_worker`: one tally per worker, keyed (worker, ""), its shifts counted
    (engine.ordinary.tallies). The results are read and summed a batch of workers at a time
    (store.read_model.ordinary_batches), so no more than a batch's rows are held at once.
    `worker_ids`: of those workers alone (by their index, a slice at a time); `audited` False
    keeps the doubtful results in (what the kept tallies hold, decision 0899)."""
    if store.is_stale(connection):
        return reference_tallies(
            connection, period, within, incidents, worker_id, worker_ids, audited
        )
    if worker_ids is not None:
        return _of_workers(connection, period, incidents, thresholds, worker_ids, audited)
    subtrees = None if within is None else [within]
    dialect = connection.dialect.name
    worked = None
    if worker_id is not None:
        worked = sums_store.worked_by_any(period.start, period.end, [worker_id])
        batches = [(worker_id, worker_id)]
    else:
        if within is not None:
            worked = store.worked_within(period.start, period.end, [within], dialect)
        batches = store.ordinary_batches(connection, period.start, period.end, subtrees, BATCH_ROWS)
    outputs = ordinary_store.rejected_outputs(connection, period, worked)
    doubtful = ordinary_store.doubtful(connection, period, worked) if audited else frozenset()
    zero = _zero_shares(connection, period, outputs)
    checked = ordinary.rejects(outputs)
    found: ByOperation = {}
    for batch in batches:
        rows = store.ordinary_frame(connection, period.start, period.end, subtrees, batch)
        try:
            found |= ordinary.tallies(
                rows, checked, doubtful, incidents, zero, thresholds, per_worker
            )
        except set_based.Unsupported:
            return reference_tallies(
                connection, period, within, incidents, worker_id, audited=audited
            )
    return found


def _of_workers(
    connection: Connection,
    period: Period,
    incidents: Sequence[Incident],
    thresholds: Collection[Fraction] | None,
    worker_ids: Sequence[str],
    audited: bool,
) -> ByOperation:
    """`tallies` of the listed workers, read by the (worker_id, date) index, a slice of them
    at a time (a worker's tallies need his rows alone)."""
    found: ByOperation = {}
    for i in range(0, len(worker_ids), BATCH_WORKERS):
        part = worker_ids[i : i + BATCH_WORKERS]
        worked = sums_store.worked_by_any(period.start, period.end, part)
        outputs = ordinary_store.rejected_outputs(connection, period, worked)
        doubtful = ordinary_store.doubtful(connection, period, worked) if audited else frozenset()
        rows = sums_store.ordinary_rows(connection, period.start, period.end, part)
        try:
            zero = _zero_shares(connection, period, outputs)
            found |= ordinary.tallies(rows, outputs, doubtful, incidents, zero, thresholds)
        except set_based.Unsupported:
            found |= reference_tallies(
                connection, period, None, incidents, worker_ids=part, audited=audited
            )
    return found


def of_results(
    connection: Connection, period: Period, keys: Collection[tuple[str, str, str]]
) -> ByOperation:
    """Tallies per worker and operation of those results (shift, operation, worker) of the
    period that are ordinary work, their shifts listed, as `tallies` sums them."""
    chosen = set(keys)
    shift_ids = sorted({shift for shift, _, _ in chosen})
    if not shift_ids:
        return {}
    worked = sums_store.shifts_listed(shift_ids)
    outputs = ordinary_store.rejected_outputs(connection, period, worked)
    rows = sums_store.shift_frame(connection, period.start, period.end, shift_ids)
    columns = [rows.column(c).to_pylist() for c in ("shift_id", "operation", "worker_id")]
    found = zip(*columns, strict=True)
    rows = rows.filter(pa.array([key in chosen for key in found], pa.bool_()))
    try:
        zero = _zero_shares(connection, period, outputs)
        return ordinary.tallies(rows, outputs, (), (), zero, ())
    except set_based.Unsupported:
        ledger = LedgerStore(connection).snapshot(set(shift_ids))
        works = ordinary_work(ledger, period)
        return by_operation(
            w for w in works if (w.result.shift_id, w.result.operation, w.worker_id) in chosen
        )


def _zero_shares(
    connection: Connection, period: Period, outputs: Sequence[MeasuredOutput]
) -> dict[ordinary.Key, Fraction]:
    """Rejected hours of each normed result whose output has rejects but a zero quantity (the
    share goes by hours): the domain's own computation, over those few shifts only."""
    empty = {(o.shift_id, o.operation) for o in outputs if not o.quantity and o.rejected}
    if not empty:
        return {}
    ids = {shift for shift, _ in empty}
    read = LedgerStore(connection).records
    ledger = Ledger.of(  # no workers or paid time: a result's share reads neither
        norms=read(NORMS, Norm),
        shifts=read(SHIFTS, Shift, "shift_id", ids),
        outputs=read(OUTPUT, MeasuredOutput, "shift_id", ids),
        crew=read(CREW, CrewEntry, "shift_id", ids),
    )
    return {
        (r.shift_id, r.operation, r.worker_id): rejected_hours_of(ledger, r)
        for r in results(ledger, period.start, period.end)
        if (r.shift_id, r.operation) in empty and r.earned is not None
    }


def reference_tallies(
    connection: Connection,
    period: Period,
    within: str | None,
    incidents: Sequence[Incident],
    worker_id: str | None = None,
    worker_ids: Sequence[str] | None = None,
    audited: bool = True,
) -> ByOperation:
    """`tallies` by the domain's reference code over a snapshot of the shifts worked."""
    ledger_store = LedgerStore(connection)
    listed = None if worker_ids is None else set(worker_ids)
    asked = list(worker_ids) if worker_ids is not None else None
    if worker_id is not None or asked is not None:
        asked = asked if asked is not None else [worker_id] if worker_id else []
        sql = sums_store.worked_by_any(period.start, period.end, asked)
        shift_ids = {r[0] for r in connection.exec_driver_sql(sql)}
    elif within is None:
        shift_ids = ledger_store.shift_ids_between(period.start, period.end)
    else:
        shift_ids = store.shifts_worked_within(connection, period.start, period.end, [within])
    ledger = ledger_store.snapshot(shift_ids)
    doubtful = reviews.doubtful_results(connection, ledger, period) if audited else frozenset()
    home = {w.worker_id: w.unit for w in ledger.workers.values()}
    return by_operation(
        w
        for w in ordinary_work(ledger, period, incidents, doubtful)
        if (within is None or is_within(home.get(w.worker_id, ""), within))
        and (worker_id is None or w.worker_id == worker_id)
        and (listed is None or w.worker_id in listed)
    )


def by_operation(works: Iterable[Work]) -> ByOperation:
    """Work tallied per (worker, operation)."""
    found: ByOperation = {}
    for work in works:
        found.setdefault((work.worker_id, work.result.operation), Tally()).add(work)
    return found
