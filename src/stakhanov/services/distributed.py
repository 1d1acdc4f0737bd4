"""The period close on a Dask cluster: the same slips as the local close, computed in parts.

The driver lists everyone who may have a slip, in worker order, and reads the period a run of
workers at a time, as the local close does (decision 0883): each run's frames (the shifts its
workers worked, with whole crews) and lookups go to the cluster, where the engine computes that
run's slips (decision 0884). Results come back in run order and are spooled to disk, so the
driver holds a few runs, not the period. A task is a pure function of its inputs, so a task
whose worker process dies is simply run again elsewhere: nothing is lost, and nothing is
written twice, because only the driver writes, once, in one transaction, after every part has
come back. If the ledger changed while the parts were computed, nothing is written and the
close says so. A period the engine cannot keep exact is computed by the domain's reference on
the cluster instead, in parts that keep crews together (domain.partitions).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.errors import Problem
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.partitions import Part, part_ledger, parts_of
from stakhanov.domain.payroll import Adjustments, ExternalBonus, Payroll, compute_payroll
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import PayScale, ScaleBook
from stakhanov.domain.wording import say
from stakhanov.engine.close import close_in_parts
from stakhanov.services import payroll, payroll_engine
from stakhanov.services.pay_history import histories
from stakhanov.services.pay_spool import PartRefused, PaySpool, spooled
from stakhanov.store.bulk import lock_ledger_writes
from stakhanov.store.frames import Frames
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import PayStore, analyze_after_close
from stakhanov.store.watermarks import snapshot_reads

ENV_SCHEDULER = "STAKHANOV_DASK_SCHEDULER"


LedgerMoved = payroll.LedgerMoved


@dataclass(frozen=True)
class Inputs:
    """What a close reads, taken in one read transaction."""

    ledger: Ledger
    book: ScaleBook
    bonuses: tuple[ExternalBonus, ...]
    adjustments: dict[str, Adjustments]
    watermark: int  # the last batch written when the inputs were read
    history: dict[str, PayHistory] = field(default_factory=dict)  # average wage, art. 104


def close_part(
    ledger: Ledger,
    period: Period,
    scales: Sequence[PayScale],
    bonuses: Sequence[ExternalBonus],
    adjustments: dict[str, Adjustments],
    workers: frozenset[str],
    history: dict[str, PayHistory] | None = None,
) -> tuple[list[PaySlip], list[Problem]]:
    """One part's slips: the domain's payroll over the part's entries, kept for its workers."""
    payroll = compute_payroll(
        ledger,
        period,
        ScaleBook.of(scales),
        bonuses=bonuses,
        adjustments=adjustments,
        history=history,
    )
    return [s for s in payroll.slips if s.worker_id in workers], list(payroll.problems)


def paid_workers(inputs: Inputs, period: Period) -> set[str]:
    """Everyone who may get a slip: crew, paid time, bonuses and adjustments."""
    ledger = inputs.ledger
    found = {e.worker_id for e in ledger.crew} | {t.worker_id for t in ledger.time}
    found |= {b.worker_id for b in inputs.bonuses if b.date in period}
    return found | set(inputs.adjustments)


@contextmanager
def client_for(scheduler: str | None) -> Iterator[Any]:
    """A client of the given scheduler, or of a LocalCluster on this machine's cores."""
    from dask import distributed as dask

    address = scheduler or os.environ.get(ENV_SCHEDULER)
    if address:
        with dask.Client(address) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    cluster = dask.LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=min(os.cpu_count() or 1, 8),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
    )
    with cluster, dask.Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def compute_parts(inputs: Inputs, period: Period, client: Any, parts: int | None = None) -> Payroll:
    """Every part's slips computed on the cluster, merged as the local close orders them."""
    workers = paid_workers(inputs, period)
    count = parts or max(1, 4 * len(client.scheduler_info().get("workers", {})))
    plan = parts_of(inputs.ledger, workers, count)
    futures = [_submit(client, inputs, period, part) for part in plan]
    results = client.gather(futures)
    slips = sorted((s for found, _ in results for s in found), key=lambda s: s.worker_id)
    problems: list[Problem] = []
    for _, found in results:
        problems += [p for p in found if p not in problems]
    return Payroll(period, tuple(slips), tuple(problems))


def _submit(client: Any, inputs: Inputs, period: Period, part: Part) -> Any:
    adjustments = {w: a for w, a in inputs.adjustments.items() if w in part.workers}
    bonuses = [b for b in inputs.bonuses if b.worker_id in part.workers]
    return client.submit(
        close_part,
        part_ledger(inputs.ledger, part),
        period,
        list(inputs.book.scales),
        bonuses,
        adjustments,
        part.workers,
        {w: h for w, h in inputs.history.items() if w in part.workers},
        key=f"stakhanov-close-{period}-part-{part.index}",
        pure=False,
    )


def read_inputs(
    connection: Connection,
    period: Period,
    sources: Sequence[payroll.BonusSource] = payroll.SOURCES,
) -> Inputs:
    """The period's ledger, scales, bonuses and pending adjustments, read as a local close."""
    book = payroll.scale_book(PayStore(connection))
    return Inputs(
        payroll.snapshot(connection, period),
        book,
        tuple(payroll.external_bonuses(connection, period, sources)),
        payroll.pending(connection, period, book, sources),
        LedgerStore(connection).last_batch(),
        histories(connection, period, book),
    )


def close(
    engine: Engine,
    period: Period,
    author: str | None = None,
    scheduler: str | None = None,
    parts: int | None = None,
    sources: Sequence[payroll.BonusSource] = payroll.SOURCES,
) -> payroll.CloseReport:
    """Close the period with its slips computed on a Dask cluster (a LocalCluster by default)."""
    with snapshot_reads(engine.connect()) as connection, connection.begin():
        already = payroll.closed_before(connection, period)
        if already is not None:
            return already
        watermark = LedgerStore(connection).last_batch()
        with client_for(scheduler) as client:
            spool = spool_on(connection, period, client, parts, sources)
    try:
        with engine.begin() as connection:
            lock_ledger_writes(connection)
            if LedgerStore(connection).last_batch() != watermark:
                raise LedgerMoved(
                    say(
                        "the ledger changed while %(period)s was being computed on the "
                        "cluster; nothing was written: close it again",
                        period=period,
                    )
                )
            report = payroll.write_spool(connection, period, spool, author)
        analyze_after_close(engine, spool.lines)
        return report
    finally:
        spool.close()


def spool_on(
    connection: Connection,
    period: Period,
    client: Any,
    parts: int | None = None,
    sources: Sequence[payroll.BonusSource] = payroll.SOURCES,
) -> PaySpool:
    """The period's slips computed on the cluster and spooled in worker order; refused with
    every problem of the period if it has any."""
    inputs = payroll.pay_inputs(connection, period, sources)
    workers = len(client.scheduler_info().get("workers", {}))
    count = parts or max(1, 4 * workers)
    try:
        try:
            found = _engine_parts(connection, period, inputs, client, count, max(2, 2 * workers))
            return spooled(period, found)
        except payroll_engine.Unsupported:  # the reference's parts, from the period's snapshot
            computed = compute_parts(
                read_inputs(connection, period, sources), period, client, count
            )
            if computed.problems:
                raise PartRefused(computed.problems) from None
            return spooled(period, (computed,), on_disk=False)
    except PartRefused:  # every problem of the period, as the local close lists them
        problems = payroll.compute(connection, period, sources, inputs=inputs).problems
        raise payroll.PayrollRejected(list(problems)) from None


def _engine_parts(
    connection: Connection,
    period: Period,
    inputs: payroll.PayInputs,
    client: Any,
    count: int,
    in_flight: int,
) -> Iterator[Payroll]:
    """Each run's slips from the cluster, in run order, in about `count` runs (of at most
    READ_WORKERS workers each), `in_flight` of them sent at a time."""
    book, bonuses, adjustments, history = inputs
    ordered = payroll_engine.everyone(connection, period, bonuses, adjustments)
    size = min(payroll_engine.READ_WORKERS, max(1, -(-len(ordered) // count)))
    window: deque[Any] = deque()
    try:
        for index, run in enumerate(payroll_engine.runs(ordered, size)):
            if not run:
                continue
            frames, lookups = payroll_engine.inputs_of(connection, period, book, run)
            members = set(run)
            window.append(
                client.submit(
                    close_run,
                    frames,  # with the workers of its crews alone (payroll_engine.inputs_of)
                    lookups,
                    period,
                    list(book.scales),
                    [b for b in bonuses if b.worker_id in members],
                    {w: a for w, a in adjustments.items() if w in members},
                    {w: h for w, h in history.items() if w in members},
                    (run[0], run[-1]),
                    key=f"stakhanov-close-{period}-part-{index}",
                    pure=False,
                )
            )
            if len(window) >= in_flight:  # the driver holds a few runs' inputs, not the period's
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        for future in window:
            future.cancel()


def close_run(
    frames: Frames,
    lookups: Ledger,
    period: Period,
    scales: Sequence[PayScale],
    bonuses: Sequence[ExternalBonus],
    adjustments: dict[str, Adjustments],
    history: dict[str, PayHistory],
    only: tuple[str, str],
) -> Payroll:
    """One run's slips by the engine, on a cluster worker: those of the workers in `only`."""
    found = list(
        close_in_parts(
            frames, lookups, period, ScaleBook.of(scales), bonuses, adjustments, history, None, only
        )
    )
    return found[0] if found else Payroll(period, ())
