"""Tampering as someone with the database's password would: raw SQL, protective triggers off.

Every change is made inside a transaction the test rolls back, so one populated database serves
many hypothesis examples.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer, Table, insert, select, text

from stakhanov.store.chain import CHAINED, key_column
from stakhanov.store.types import ExactDecimal


def unguard(connection: Connection) -> None:
    """Switch off the append-only triggers and foreign keys until the transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        return
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    names = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    ).scalars()
    for name in list(names):
        connection.exec_driver_sql(f"DROP TRIGGER {name}")


def keys(connection: Connection) -> list[tuple[str, str]]:
    """(table, key) of every chained row, in chain order."""
    rows = connection.exec_driver_sql("SELECT table_name, row_key FROM chain_links ORDER BY seq")
    return [(table, key) for table, key in rows]


def editable(table: Table) -> list[str]:
    """Columns an edit can change without tripping a key: text and numbers, no key, no link."""
    key = key_column(table)
    return [
        c.name
        for c in table.columns
        if c.name != key
        and not c.foreign_keys
        and not c.unique
        and not isinstance(c.type, Boolean | Date | DateTime)
    ]


def _where(table: Table, key: str) -> tuple[str, dict[str, Any]]:
    column = table.c[key_column(table)]
    value: Any = int(key) if isinstance(column.type, Integer) else key
    return f"{column.name} = :key", {"key": value}


def edit(connection: Connection, name: str, key: str, column: str) -> None:
    table = CHAINED[name]
    where, params = _where(table, key)
    kind = table.c[column].type
    if isinstance(kind, Integer | ExactDecimal):
        change = f"COALESCE({column}, 0) + 1"
    else:
        change = f"CASE WHEN {column} = 'x' THEN 'y' ELSE 'x' END"
    connection.execute(text(f"UPDATE {name} SET {column} = {change} WHERE {where}"), params)


def delete(connection: Connection, name: str, key: str) -> None:
    where, params = _where(CHAINED[name], key)
    connection.execute(text(f"DELETE FROM {name} WHERE {where}"), params)


def forge(connection: Connection, name: str, key: str) -> str:
    """Insert a copy of a row under a new key, one value changed; the new key."""
    table = CHAINED[name]
    column = table.c[key_column(table)]
    row = dict(
        connection.execute(select(table).where(column == _value(column, key))).one()._mapping
    )
    if isinstance(column.type, Integer):
        top = connection.execute(select(column).order_by(column.desc()).limit(1)).scalar_one()
        row[column.name] = int(top) + 1000
    else:
        row[column.name] = f"{key}/forged"
    for other in table.columns:
        if other.unique and other.nullable:
            row[other.name] = None
    connection.execute(insert(table).values(row))
    return str(row[column.name])


def swap(connection: Connection, name: str, first: str, second: str) -> None:
    """Exchange two rows' places: each key now holds what the other one held."""
    table = CHAINED[name]
    column = key_column(table)
    numbered = isinstance(table.c[column].type, Integer)
    spare: Any = -1 if numbered else "~swap"
    a, b = (_value(table.c[column], k) for k in (first, second))
    for old, new in ((a, spare), (b, a), (spare, b)):
        connection.execute(
            text(f"UPDATE {name} SET {column} = :new WHERE {column} = :old"),
            {"new": new, "old": old},
        )


def _value(column: Any, key: str) -> Any:
    return int(key) if isinstance(column.type, Integer) else key


def insertable(table: Table) -> bool:
    """A copy can be inserted unless a unique value it must repeat forbids it."""
    return not any(c.unique and not c.nullable for c in table.columns)
