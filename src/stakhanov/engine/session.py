"""An in-process DuckDB over a period's frames, bounded in memory and free to spill to disk.

The norms are few, so their exact rates are worked out once in Python (with the domain's unit
conversion) and joined as small tables of integer numerators and denominators.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.domain.norms import MINUTES_PER_HOUR, Norm, NormKind
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.values import places_of
from stakhanov.engine.attribution import build_attribution
from stakhanov.store.frames import Frames
from stakhanov.store.types import plain

MEMORY_ENV = "STAKHANOV_ENGINE_MEMORY"
TEMP_ENV = "STAKHANOV_ENGINE_TEMP"
DEFAULT_MEMORY = "1GB"


def memory_limit() -> str:
    """DuckDB's memory limit, past which it spills to its temporary directory."""
    return os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)


def connect() -> duckdb.DuckDBPyConnection:
    db = duckdb.connect(config={"memory_limit": memory_limit()})
    temp = os.environ.get(TEMP_ENV) or os.path.join(tempfile.gettempdir(), "stakhanov-engine")
    db.execute(f"SET temp_directory = '{temp}'")
    db.execute("SET preserve_insertion_order = false")
    return db


_held: tuple[int, duckdb.DuckDBPyConnection] | None = None
_opening = threading.Lock()


def kept_cursor() -> duckdb.DuckDBPyConnection:
    """A connection of its own to one in-process database kept by this process: opening a
    database takes 20-70 ms, more than summing a month's day sums. A forked process opens
    its own."""
    global _held
    with _opening:
        if _held is None or _held[0] != os.getpid():
            _held = (os.getpid(), connect())
        return _held[1].cursor()


def versions(norms: tuple[Norm, ...]) -> list[Norm]:
    """One version per (operation, effective_from): the last written, as NormBook decides."""
    chosen: dict[tuple[str, Any], Norm] = {}
    for norm in norms:
        chosen[(norm.operation, norm.effective_from)] = norm
    return list(chosen.values())


def _norm_tables(versions: list[Norm]) -> tuple[pa.Table, pa.Table]:
    rates = [Fraction(n.max_rate) if n.max_rate is not None else None for n in versions]
    norms = pa.table(
        {
            "norm_id": pa.array(range(len(versions)), pa.int64()),
            "operation": pa.array([n.operation for n in versions], pa.string()),
            "effective_from": pa.array([n.effective_from for n in versions], pa.date32()),
            "norm_unit": pa.array([n.unit for n in versions], pa.string()),
            "max_num": pa.array([r.numerator if r else None for r in rates], pa.int64()),
            "max_den": pa.array([r.denominator if r else None for r in rates], pa.int64()),
        }
    )
    pairs = sorted({(i, op) for i, n in enumerate(versions) for op in n.includes})
    includes = pa.table(
        {
            "norm_id": pa.array([i for i, _ in pairs], pa.int64()),
            "operation": pa.array([op for _, op in pairs], pa.string()),
        }
    )
    return norms, includes


def _earning(norm: Norm) -> tuple[Fraction, Fraction]:
    """(standard hours per unit, norm output per hour), exactly."""
    value = Fraction(norm.norm)
    if norm.kind is NormKind.TIME:
        return value / Fraction(MINUTES_PER_HOUR), Fraction(MINUTES_PER_HOUR) / value
    assert norm.norm_hours is not None
    hours = Fraction(norm.norm_hours)
    return hours / value, value / hours


def _rates(db: duckdb.DuckDBPyConnection, versions: list[Norm]) -> pa.Table:
    """Per (norm version, output unit): conversion factor, standard hours and norm output rates."""
    pairs = db.execute(
        "SELECT DISTINCT norm_id, out_unit FROM groups WHERE norm_id IS NOT NULL ORDER BY ALL"
    ).fetchall()
    columns: dict[str, list[Any]] = {k: [] for k in ("norm_id", "out_unit", "f", "k", "m")}
    for norm_id, out_unit in pairs:
        norm = versions[norm_id]
        factor = Fraction(conversion_factor(out_unit, norm.unit))
        per_unit, per_hour = _earning(norm)
        for key, value in zip(
            columns, (norm_id, out_unit, factor, factor * per_unit, per_hour), strict=True
        ):
            columns[key].append(value)
    table: dict[str, Any] = {
        "norm_id": pa.array(columns["norm_id"], pa.int64()),
        "out_unit": pa.array(columns["out_unit"], pa.string()),
    }
    for key in ("f", "k", "m"):
        # Python ints of any size: DuckDB reads them as HUGEINT through a decimal string.
        table[f"{key}_num"] = pa.array([str(v.numerator) for v in columns[key]], pa.string())
        table[f"{key}_den"] = pa.array([str(v.denominator) for v in columns[key]], pa.string())
    # The decimals of the factor as the domain multiplies by it (kg to t: 0.001 has 3).
    table["f_places"] = pa.array([_places(f) for f in columns["f"]], pa.int32())
    return pa.table(table)


def _places(factor: Fraction) -> int:
    return places_of(plain(Decimal(factor.numerator) / Decimal(factor.denominator)))


@contextmanager
def session(frames: Frames) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the frames registered and the crew groups and results built."""
    db = connect()
    try:
        chosen = versions(frames.norms)
        norms, includes = _norm_tables(chosen)
        for name, table in (
            ("shifts", frames.shifts),
            ("outputs", frames.outputs),
            ("crew", frames.crew),
            ("norms", norms),
            ("includes", includes),
        ):
            db.register(name, table)
        build_attribution(db, lambda: _rates(db, chosen))
        yield db
    finally:
        db.close()
