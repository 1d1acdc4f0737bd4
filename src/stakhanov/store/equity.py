"""Where each shift of a period was worked, as columns, for the equity report's engine.

Read like the frames (store/frames.py): current entries only, straight into Arrow.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from sqlalchemy import Engine

from stakhanov.store.frames import _AFTER, _CURRENT, _fetch

_WORKPLACES = (
    "SELECT entry_id, shift_id, workplace FROM shift_entries "
    f"WHERE {_CURRENT.format(t='shift_entries')} AND date >= '{{start}}' AND date <= '{{end}}'"
    + _AFTER
)
SCHEMA = pa.schema([("shift_id", pa.string()), ("workplace", pa.string())])


def shift_workplaces(engine: Engine, start: dt.date, end: dt.date) -> pa.Table:
    """(shift_id, workplace) of the current shifts dated within [start, end]."""
    after = "-1" if engine.dialect.name == "postgresql" else "?"
    sql = _WORKPLACES.format(start=start.isoformat(), end=end.isoformat(), after=after)
    table = _fetch(engine, sql)
    return table.select(["shift_id", "workplace"]).cast(SCHEMA)
