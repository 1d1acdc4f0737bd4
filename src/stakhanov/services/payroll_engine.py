"""Which path computes a period's slips: the set-based engine (default) or the domain reference.

Both give the same slips, line for line, and the same digest (property tests prove it); the
reference reads the period as Python objects and stays the readable definition of pay. A
caller picks the reference for a block of work with `computed_by(REFERENCE)`: the close, the
provisional slips and the CLI's `payroll close --engine reference` all go through `compute`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace

from sqlalchemy import Connection

from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.payroll import Adjustments, ExternalBonus, Payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.whatif import proposed_norms
from stakhanov.engine.close import close_in_parts, close_payroll
from stakhanov.engine.frames import without_pairs
from stakhanov.services.work_orders import covered_in, piece_ledger
from stakhanov.store.frames import Frames, NotMicro, Roster, frames_on, roster_of, worked_by
from stakhanov.store.pay_inputs import paid_workers, pay_lookups

Unsupported = NotMicro  # a period the engine cannot keep exact

ENGINE = "engine"
REFERENCE = "reference"
METHODS = (ENGINE, REFERENCE)

_method: ContextVar[str] = ContextVar("stakhanov_payroll_method", default=ENGINE)


def method() -> str:
    """The path `compute` takes in this context."""
    return _method.get()


@contextmanager
def computed_by(chosen: str) -> Iterator[None]:
    """Compute slips by `chosen` (ENGINE or REFERENCE) within the block."""
    if chosen not in METHODS:
        raise ValueError(f"unknown payroll method {chosen!r}")
    token = _method.set(chosen)
    try:
        yield
    finally:
        _method.reset(token)


def set_based(
    connection: Connection,
    period: Period,
    book: ScaleBook,
    bonuses: Sequence[ExternalBonus],
    adjustments: Mapping[str, Adjustments],
    history: Mapping[str, PayHistory] | None = None,
    workers: Sequence[str] | None = None,
) -> Payroll | None:
    """The period's slips through the engine, on the caller's connection and transaction;
    None when the period holds values the engine cannot keep exact (use the reference). With
    `workers`, only the shifts they worked are read: their slips are whole, others' are not."""
    try:
        frames, lookups = inputs_of(connection, period, book, workers)
        return close_payroll(frames, lookups, period, book, bonuses, adjustments, history)
    except Unsupported:
        return None


def workers_pay(
    connection: Connection,
    period: Period,
    book: ScaleBook,
    bonuses: Sequence[ExternalBonus],
    history: Mapping[str, PayHistory],
    workers: Collection[str],
    norms: Sequence[Norm],
) -> tuple[Payroll, Payroll] | None:
    """The workers' own slips for the period under the stored norms and with `norms` in force
    on every date (domain.whatif.proposed_norms), without adjustments: the shifts they worked
    are read once and closed twice, the second time with the norms replaced in the frames
    (which the session's rates are built from) and in the lookups (which the slips read). None
    when the engine cannot keep the period exact (use the reference)."""
    try:
        frames, lookups = inputs_of(connection, period, book, sorted(workers))
        revised = replace(frames, norms=proposed_norms(NormBook.of(frames.norms), norms).norms)
        changed = lookups.with_norms(proposed_norms(lookups.norms, norms))
        old = close_payroll(frames, lookups, period, book, bonuses, None, history, workers)
        new = close_payroll(revised, changed, period, book, bonuses, None, history, workers)
        return old, new
    except Unsupported:
        return None


def set_based_parts(
    connection: Connection,
    period: Period,
    book: ScaleBook,
    bonuses: Sequence[ExternalBonus],
    adjustments: Mapping[str, Adjustments],
    history: Mapping[str, PayHistory] | None = None,
    read_workers: int | None = None,
) -> Iterator[Payroll] | None:
    """The same slips in parts of workers, in worker order (engine.close.close_in_parts); None
    when the frames cannot be kept exact. A later part may still raise Unsupported.

    The period is read `read_workers` workers at a time (default READ_WORKERS): each read
    takes the shifts they worked, with whole crews, so that a close holds one read's frames,
    not the period's, however large the period (decision 0883), and the workers of its
    crews, not the workforce (decision 0892)."""
    reads = runs(everyone(connection, period, bonuses, adjustments), read_workers or READ_WORKERS)
    try:  # the first read here: a period the engine cannot keep exact is known at once
        first = inputs_of(connection, period, book, reads[0] if len(reads) > 1 else None)
    except Unsupported:
        return None
    held = [first]  # let go of once its slips are made
    del first

    def parts() -> Iterator[Payroll]:
        if len(reads) == 1:  # the whole period in one read
            yield from close_in_parts(*held.pop(), period, book, bonuses, adjustments, history)
            return
        for chunk in reads:
            frames, lookups = held.pop() if held else inputs_of(connection, period, book, chunk)
            yield from close_in_parts(
                frames,
                lookups,
                period,
                book,
                bonuses,
                adjustments,
                history,
                only=(chunk[0], chunk[-1]),
            )
            del frames, lookups

    return parts()


READ_WORKERS = 10_000
"""Workers whose shifts one read of a close takes: about 230,000 crew rows of a month."""


def everyone(
    connection: Connection,
    period: Period,
    bonuses: Sequence[ExternalBonus],
    adjustments: Mapping[str, Adjustments],
) -> list[str]:
    """Everyone who may have a slip, in text order: a crew row or paid time dated in the
    period, a bonus of the period or an adjustment."""
    found = set(paid_workers(connection, period)) | set(adjustments)
    found |= {b.worker_id for b in bonuses if b.date in period}
    return sorted(found)


def runs(ordered: list[str], size: int) -> list[list[str]]:
    """The sorted workers in runs of `size`: each run a span no other run's worker falls
    within (at least one run, maybe empty)."""
    return [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]


def inputs_of(
    connection: Connection,
    period: Period,
    book: ScaleBook,
    workers: Sequence[str] | None = None,
    roster: Roster | None = None,
) -> tuple[Frames, Ledger]:
    """The period's frames (of the shifts `workers` worked) without the work brigade work
    orders pay (their funds pay it), and the entries pay looks up by key."""
    covered = covered_in(connection, period)
    worked = None if workers is None else worked_by(workers, (period.start, period.end))
    if roster is None:  # with workers, their crews' workers only, not the workforce
        roster = roster_of(connection, worked, workers or ())
    read = frames_on(connection, period.start, period.end, shifts_sql=worked, roster=roster)
    frames = without_pairs(read, covered)
    every_shift = any(s.reads_shifts for s in book.scales)
    lookups = pay_lookups(connection, period, every_shift, workers, roster)
    return frames, piece_ledger(connection, period, lookups)
