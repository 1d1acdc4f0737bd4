"""Which path computes a period's slips: the set-based engine (default) or the domain reference.

Both give the same slips, line for line, and the same digest (property tests prove it); the
reference reads the period as Python objects and stays the readable definition of pay. A
caller picks the reference for a block of work with `computed_by(REFERENCE)`: the close, the
provisional slips and the CLI's `payroll close --engine reference` all go through `compute`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Connection

from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import Adjustments, ExternalBonus, Payroll
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from stakhanov.engine.close import close_in_parts, close_payroll
from stakhanov.engine.frames import without_pairs
from stakhanov.services.work_orders import covered_in, piece_ledger
from stakhanov.store.frames import Frames, NotMicro, frames_on, worked_by
from stakhanov.store.pay_inputs import pay_lookups

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
        frames, lookups = _inputs(connection, period, book, workers)
        return close_payroll(frames, lookups, period, book, bonuses, adjustments, history)
    except Unsupported:
        return None


def set_based_parts(
    connection: Connection,
    period: Period,
    book: ScaleBook,
    bonuses: Sequence[ExternalBonus],
    adjustments: Mapping[str, Adjustments],
    history: Mapping[str, PayHistory] | None = None,
) -> Iterator[Payroll] | None:
    """The same slips in parts of workers, in worker order (engine.close.close_in_parts); None
    when the frames cannot be kept exact. A later part may still raise Unsupported."""
    try:
        frames, lookups = _inputs(connection, period, book)
    except Unsupported:
        return None
    return close_in_parts(frames, lookups, period, book, bonuses, adjustments, history)


def _inputs(
    connection: Connection, period: Period, book: ScaleBook, workers: Sequence[str] | None = None
) -> tuple[Frames, Ledger]:
    """The period's frames (of the shifts `workers` worked) without the work brigade work
    orders pay (their funds pay it), and the entries pay looks up by key."""
    covered = covered_in(connection, period)
    worked = None if workers is None else worked_by(workers, (period.start, period.end))
    read = frames_on(connection, period.start, period.end, shifts_sql=worked)
    frames = without_pairs(read, covered)
    every_shift = any(s.reads_shifts for s in book.scales)
    lookups = pay_lookups(connection, period, every_shift, workers)
    return frames, piece_ledger(connection, period, lookups)
