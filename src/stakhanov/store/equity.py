"""Where each shift of a period was worked, as columns, for the equity report's engine.

Read like the frames (store/frames.py): current entries only, straight into Arrow.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from stakhanov.store.frames import after, current, fetch

_WORKPLACES = (
    "SELECT entry_id, shift_id, workplace, resources FROM shift_entries "
    f"WHERE {current('shift_entries')} AND date >= '{{start}}' AND date <= '{{end}}'"
)
SCHEMA = pa.schema(
    [("shift_id", pa.string()), ("workplace", pa.string()), ("resourced", pa.bool_())]
)


def shift_workplaces(engine: Engine, start: dt.date, end: dt.date) -> pa.Table:
    """(shift_id, workplace, resourced) of the current shifts dated within [start, end];
    `resourced` is true where extra resources were declared by name."""
    sql = _WORKPLACES.format(start=start.isoformat(), end=end.isoformat())
    with engine.connect() as connection:
        table = fetch(connection, sql + after(connection))
    resources = table["resources"].cast(pa.string())
    resourced = pc.fill_null(pc.not_equal(resources, ""), False)
    return pa.table([table["shift_id"], table["workplace"], resourced], schema=SCHEMA)
