"""Bulk reads and writes of ledger rows as text, without per-row ORM work.

A bulk import keeps every cell as the text the file holds (already checked) and converts it
only here, at the edge: `to_stored` and `from_stored` are the one conversion each way, so a
change of how a column is stored changes these two functions and nothing else.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Date, Engine, Table, select
from sqlalchemy.engine import Dialect

from stakhanov.store.metadata import derived
from stakhanov.store.read_model_tables import READ_TABLES
from stakhanov.store.records import KINDS, SHIFTS, RecordKind
from stakhanov.store.schema import batches, shift_entries
from stakhanov.store.types import ExactDecimal

CHUNK = 20_000
# Any constant shared by every writer of the ledger (pg_advisory_xact_lock takes a bigint).
IMPORT_LOCK = 0x5354414B  # "STAK"
BOOKKEEPING = ("batch_id", "source_file", "source_row", "written_at")
PLACES = "_places"  # a column that keeps the scale another was written with


def to_stored(column: Column[Any], text: str | None, dialect: Dialect) -> Any:
    """A checked cell's text as the column stores it (through the column's own bind step)."""
    if text is None or text == "":
        return None
    value: Any = text
    if isinstance(column.type, ExactDecimal):
        value = Decimal(text)
    elif isinstance(column.type, Date):
        value = dt.date.fromisoformat(text)
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value


def from_stored(column: Column[Any], value: Any, dialect: Dialect) -> str:
    """A stored value as the text an import file would hold for it ('' for none)."""
    if dialect.name != "postgresql":  # psycopg already gives Decimal and date
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        value = process(value) if process else value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def payload_columns(kind: RecordKind) -> list[str]:
    """The columns an import file fills, in table order (a `<column>_places` is derived)."""
    skip = {"entry_id", "reverses", "reason", *BOOKKEEPING}
    return [
        c.name
        for c in kind.table.columns
        if c.name not in skip and not _keeps_scale(c) and not derived(c)
    ]


def _keeps_scale(column: Column[Any]) -> bool:
    return column.name.endswith(PLACES)


def scale_columns(table: Table, columns: Sequence[str]) -> list[tuple[int, str]]:
    """(index in `columns`, name) of the columns that keep the written scale of one of them."""
    return [(i, c + PLACES) for i, c in enumerate(columns) if c + PLACES in table.c]


def places_in(text: str | None) -> int | None:
    """The decimals a number was written with ('50.0' has 1); None for an empty cell."""
    if not text:
        return None
    _, point, decimals = text.partition(".")
    return len(decimals) if point else 0


def append_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    chunks: Iterable[Sequence[Sequence[Any]]],
    bookkeeping: tuple[int, str, dt.datetime],
    shift_dates: Callable[[Sequence[str]], Mapping[str, dt.date]] | None = None,
) -> int:
    """Append rows given as column chunks ([source_row, *texts]): a COPY per chunk on
    PostgreSQL, an executemany per chunk elsewhere. Runs inside the caller's transaction (all
    or nothing).

    A table with a derived `shift_date` takes it by the row's shift id from `shift_dates`,
    asked for each chunk's shifts (their current dates, read before the chunk's COPY starts:
    decisions 0594 and 0882), so no mapping of every shift of the batch is held.
    """
    batch_id, source_file, written_at = bookkeeping
    dialect = connection.dialect
    targets = [table.c[name] for name in columns]
    stamp = _stamp(table, written_at, dialect)
    scales = scale_columns(table, columns)
    names = [*BOOKKEEPING, *columns, *(name for _, name in scales)]
    dated = "shift_date" in table.c
    if dated:
        assert shift_dates is not None, f"{table.name} needs its shifts' dates"
        names.append("shift_date")
        at_shift = list(columns).index("shift_id")
        stored_date = _binder(table.c.shift_date, dialect)
    # Columns repeat their values (a month has thirty dates): convert each distinct text once.
    caches: list[dict[Any, Any]] = [{} for _ in targets]

    plains = [_is_plain(c, dialect) for c in targets]

    def rows() -> Iterator[list[tuple[Any, ...]]]:
        for source_rows, *texts in chunks:
            cells = [
                [t or None for t in values]
                if plain
                else [
                    cache[t] if t in cache else cache.setdefault(t, to_stored(c, t, dialect))
                    for t in values
                ]
                for c, plain, cache, values in zip(targets, plains, caches, texts, strict=True)
            ]
            cells += [[places_in(t) for t in texts[i]] for i, _ in scales]
            if dated:
                assert shift_dates is not None
                ids = texts[at_shift]
                found = shift_dates(sorted(set(ids)))
                date_of = {k: stored_date(v) for k, v in found.items()}
                cells.append([date_of[shift_id] for shift_id in ids])
            n = len(source_rows)
            yield list(
                zip(
                    [batch_id] * n, [source_file] * n, source_rows, [stamp] * n, *cells, strict=True
                )
            )

    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    written = 0
    if dialect.name == "postgresql":
        for chunk in rows():  # the next chunk's dates are read between two COPYs
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
            written += len(chunk)
        return written
    marks = ", ".join("?" * len(names))
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
    for chunk in rows():
        cursor.executemany(sql, chunk)
        written += len(chunk)
    return written


def _at_scale(text: str, places: int | None) -> str:
    """A stored number's text at the scale it was written with."""
    if not text or places is None:
        return text
    return format(Decimal(text).quantize(Decimal(1).scaleb(-places)), "f")


def _is_plain(column: Column[Any], dialect: Dialect) -> bool:
    """Text stored as written: `to_stored` would only turn '' into None."""
    if isinstance(column.type, ExactDecimal | Date):
        return False
    return column.type.dialect_impl(dialect).bind_processor(dialect) is None


def _binder(column: Column[Any], dialect: Dialect) -> Any:
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda value: value)


def _stamp(table: Table, written_at: dt.datetime, dialect: Dialect) -> Any:
    process = table.c.written_at.type.dialect_impl(dialect).bind_processor(dialect)
    return process(written_at) if process else written_at


def analyze(engine: Engine, tables: Iterable[Table]) -> None:
    """Refresh the planner's statistics after a large write, outside the import's transaction:
    on PostgreSQL, whose autovacuum may be off, the read model's too, which the write
    refreshed (it samples a table, so this costs seconds at any size)."""
    names = sorted({t.name for t in tables})
    if not names:
        return
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            names = sorted({*names, *(t.name for t in READ_TABLES)})
            connection.exec_driver_sql(f"ANALYZE {', '.join(names)}")
        else:
            for name in names:
                connection.exec_driver_sql(f"ANALYZE {name}")
        connection.commit()


def lock_ledger_writes(connection: Connection) -> None:
    """Serialise writers of the ledger until this transaction ends.

    An advisory lock, not a table lock: a table lock on `batches` would also stop every other
    kind of write that opens a batch (a pay scale, a review) for the whole import.
    SQLite has one writer at a time anyway.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({IMPORT_LOCK})")


def written_by(
    connection: Connection, batch_ids: Iterable[int]
) -> tuple[bool, set[str], set[dt.date]]:
    """What the batches wrote: whether any entry without a shift (master data), the shifts
    of their entries that have one, and those shifts' dates."""
    chosen = sorted(batch_ids)
    shift_ids: set[str] = set()
    for kind in KINDS:
        table = kind.table
        if "shift_id" not in table.c:
            query = select(table.c.entry_id).where(table.c.batch_id.in_(chosen))
            if connection.execute(query.limit(1)).first() is not None:
                return True, set(), set()
            continue
        found = select(table.c.shift_id).where(table.c.batch_id.in_(chosen))
        shift_ids.update(connection.scalars(found))
    if not shift_ids:
        return False, set(), set()
    table = SHIFTS.table
    days = connection.scalars(select(table.c.date).where(table.c.shift_id.in_(sorted(shift_ids))))
    return False, shift_ids, set(days)


def batch_ids(connection: Connection) -> set[int]:
    return set(connection.scalars(select(batches.c.batch_id)))


_TEMP = ("bulk_ids", "bulk_dates", "bulk_scope")


class StoredScope:
    """What a bulk import is judged against, read on a connection of its own.

    It writes only temporary tables (a join with them replaces chunks of IN lists) and holds no
    write lock, so checking a large batch keeps nobody waiting.
    """

    def __init__(self, engine: Engine) -> None:
        self.dialect = engine.dialect
        self.postgres = engine.dialect.name == "postgresql"
        self.raw: Any = engine.raw_connection()
        self.mark = "%s" if self.postgres else "?"
        self._drop()

    def close(self) -> None:
        if self.postgres:
            self.raw.rollback()
        else:
            self._drop()
        self.raw.close()

    def _drop(self) -> None:
        if not self.postgres:
            cursor = self.raw.cursor()
            for name in _TEMP:
                cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")

    def select(self, ids: Iterable[str], dates: Iterable[str], since: str | None) -> None:
        """The shifts in scope: the batch's, every stored one on their dates, and, when the
        batch brings norms, every stored one from the earliest norm's date on."""
        date_type = "DATE" if self.postgres else "TEXT"
        cursor = self.raw.cursor()
        cursor.execute("CREATE TEMP TABLE bulk_ids (value VARCHAR(100) PRIMARY KEY)")
        cursor.execute(f"CREATE TEMP TABLE bulk_dates (value {date_type} PRIMARY KEY)")
        self._fill(cursor, "bulk_ids", ((i,) for i in ids))
        date = shift_entries.c.date
        self._fill(cursor, "bulk_dates", ((to_stored(date, d, self.dialect),) for d in dates))
        later = f"OR date >= {self.mark}" if since else ""
        cursor.execute(
            f"""CREATE TEMP TABLE bulk_scope AS
            WITH cur AS (SELECT shift_id, date FROM shift_entries t
                         WHERE {_current("shift_entries")})
            SELECT shift_id FROM cur WHERE shift_id IN (SELECT value FROM bulk_ids)
              OR date IN (SELECT value FROM bulk_dates)
              OR date IN (SELECT date FROM cur WHERE shift_id IN (SELECT value FROM bulk_ids))
              {later}
            UNION SELECT value FROM bulk_ids""",
            (to_stored(date, since, self.dialect),) if since else (),
        )
        if self.postgres:
            cursor.execute("ANALYZE bulk_ids; ANALYZE bulk_scope")

    def _fill(self, cursor: Any, table: str, rows: Iterator[tuple[Any, ...]]) -> None:
        if self.postgres:
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        while chunk := list(itertools.islice(rows, CHUNK)):
            cursor.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", chunk)

    def current(self, kind: RecordKind) -> Iterator[list[tuple[Any, ...]]]:
        """Chunks of (entry_id, *payload as text) of the kind's current rows in scope."""
        names = payload_columns(kind)
        table = kind.table
        scales = scale_columns(table, names)
        selected = [*names, *(name for _, name in scales)]
        cursor = self.raw.cursor()
        cursor.execute(
            f"SELECT t.entry_id, {', '.join('t.' + n for n in selected)} FROM {table.name} t "
            f"WHERE {_current(table.name)} AND t.shift_id IN (SELECT shift_id FROM bulk_scope) "
            "ORDER BY t.entry_id"
        )
        columns = [table.c[n] for n in names]
        plain = [_is_plain(c, self.dialect) for c in columns]
        caches: list[dict[Any, str]] = [{} for _ in columns]
        while rows := cursor.fetchmany(CHUNK):
            values = list(zip(*rows, strict=True))
            texts = [
                ["" if v is None else v for v in cells]
                if fast
                else [from_stored(c, v, self.dialect) for v in cells]
                if self.postgres  # Decimal('8') == Decimal('8.0'): no cache keyed by value
                else [
                    cache[v] if v in cache else cache.setdefault(v, from_stored(c, v, self.dialect))
                    for v in cells
                ]
                for c, fast, cache, cells in zip(
                    columns, plain, caches, values[1 : 1 + len(names)], strict=True
                )
            ]
            for (index, _), kept in zip(scales, values[1 + len(names) :], strict=True):
                texts[index] = [_at_scale(t, p) for t, p in zip(texts[index], kept, strict=True)]
            yield list(zip(values[0], *texts, strict=True))

    def voided(self) -> set[str]:
        """The batch's shift ids that were written once and are no longer current."""
        cursor = self.raw.cursor()
        cursor.execute(
            "SELECT DISTINCT e.shift_id FROM shift_entries e "
            "WHERE e.shift_id IN (SELECT value FROM bulk_ids) AND NOT EXISTS "
            "(SELECT 1 FROM shift_entries t WHERE t.shift_id = e.shift_id AND "
            f"{_current('shift_entries')})"
        )
        return {row[0] for row in cursor.fetchall()}


def _current(table: str) -> str:
    """Entries of `t` that are not reversals and have not been reversed."""
    return (
        f"t.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM {table} r"
        " WHERE r.reverses = t.entry_id AND r.reverses IS NOT NULL)"
    )
