"""Keyed reads and deletes of the read model (decision 0911): the rows of the keys asked, found
by index, never by reading the whole table."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, MetaData, Table, delete, select, text

from stakhanov.store.read_model import one_of

pytestmark = pytest.mark.storage

DAYS = [dt.date(2025, 9, d) for d in (1, 2, 3)]


def test_the_keys_asked_and_no_other_rows(engine: Engine) -> None:
    table = Table("read_unit_total_days", MetaData(), autoload_with=engine)
    rows = [
        {"date": d, "unit_path": u, "homes": 1, "hours": "1", **_ratios()}
        for d in DAYS
        for u in ("A", "A/B", "C")
    ]
    asked = [(DAYS[0], "A"), (DAYS[2], "A/B"), (DAYS[1], "missing")]
    keys = (table.c.date, table.c.unit_path)
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)
        found = connection.execute(
            select(table.c.date, table.c.unit_path).where(one_of(keys, asked))
        ).all()
        assert sorted((_day(d), u) for d, u in found) == sorted(asked[:2])
        assert connection.execute(select(table).where(one_of((table.c.date,), []))).all() == []
        connection.execute(delete(table).where(one_of(keys, asked)))
        left = connection.execute(select(table.c.date, table.c.unit_path)).all()
        assert len(left) == len(rows) - 2 and (DAYS[0], "A") not in {(_day(d), u) for d, u in left}
        if connection.dialect.name == "sqlite":  # a row-value IN list would read every row
            compiled = select(table.c.homes).where(one_of(keys, asked))
            sql = str(compiled.compile(connection, compile_kwargs={"literal_binds": True}))
            plan = " ".join(
                str(r[-1]) for r in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            )
            assert "MULTI-INDEX OR" in plan and "SCAN read_unit_total_days" not in plan, plan
        connection.rollback()


def _ratios() -> dict[str, str]:
    return {f"{n}_{p}": "1" for n in ("earned", "fair") for p in ("num", "den")}


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
