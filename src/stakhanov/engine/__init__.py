"""The set-based engine: fulfilment and the audit over whole periods, in DuckDB, exactly.

The domain's row-by-row functions stay the readable reference; property tests prove these equal
to them. A period the engine cannot keep exact raises Unsupported, and callers use the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from stakhanov.domain.audit import Finding
from stakhanov.domain.equity import Opportunity
from stakhanov.domain.fulfilment import Fulfilment, Grouping
from stakhanov.engine import audit as _audit
from stakhanov.engine import equity as _equity
from stakhanov.engine import fulfilment as _fulfilment
from stakhanov.engine import stored_rows as _stored_rows
from stakhanov.engine.fulfilment import ExactResult
from stakhanov.engine.session import session
from stakhanov.store.frames import Frames, NotMicro

Unsupported = NotMicro
T = TypeVar("T")


@contextmanager
def _guarded() -> Iterator[None]:
    try:
        yield
    except duckdb.OutOfRangeException as err:  # a HUGEINT overflowed: never a wrong number
        raise Unsupported(str(err)) from err


def _run(frames: Frames, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    with _guarded(), session(frames) as db:
        return work(db)


def results(frames: Frames) -> list[ExactResult]:
    return _run(frames, _fulfilment.exact_results)


def read_model_rows(frames: Frames) -> tuple[list[tuple[Any, ...]], list[Finding]]:
    """The frames' results as read_results rows (engine.stored_rows) and the audit's findings,
    from one session (the crews are attributed once)."""
    return _run(
        frames,
        lambda db: (_stored_rows.result_rows(db, frames.homes), _audit.findings(db, frames)),
    )


def fulfilment(
    frames: Frames, grouping: Grouping, within: Sequence[str] | None = None
) -> list[Fulfilment]:
    """Results summed by grouping, for workers at home within any of the subtrees (None: all)."""
    return _run(frames, lambda db: _fulfilment.aggregate(db, frames.homes, grouping, within))


def findings(frames: Frames) -> list[Finding]:
    return _run(frames, lambda db: _audit.findings(db, frames))


def equity(
    frames: Frames, places: pa.Table, choose: Callable[[dict[str, Fraction]], tuple[str, ...]]
) -> tuple[dict[str, Fraction], tuple[str, ...], list[Opportunity]]:
    """Ordinary fulfilment per workplace, the best workplaces `choose` picks from it, and each
    worker's shifts and favourable shifts; `places` is (shift_id, workplace)."""
    return _run(frames, lambda db: _equity.equity(db, places, choose))


__all__ = [
    "ExactResult",
    "Frames",
    "Unsupported",
    "equity",
    "findings",
    "fulfilment",
    "read_model_rows",
    "results",
]
