"""The read model's queries: which shifts a batch touched, replacing and reading derived rows.

Rows are replaced per shift: every row of a touched shift is deleted and the shift's current
results inserted, so a reversed entry's results are gone and a correction's are in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Table,
    and_,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles

from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm
from stakhanov.domain.shifts import Shift
from stakhanov.domain.workers import Worker
from stakhanov.store.frames import after, fetch, literal
from stakhanov.store.ledger import LedgerStore, current_query
from stakhanov.store.metadata import units
from stakhanov.store.read_model_tables import read_results
from stakhanov.store.records import CREW, NORMS, OUTPUT, SHIFTS, WORKERS
from stakhanov.store.schema import crew_entries

INSERT_CHUNK = 10_000
KEYS_AT_ONCE = 500  # keys per IN list


Stored = tuple[Any, ...] | dict[str, Any]


def one_of(columns: Sequence[ColumnElement[Any]], keys: Iterable[tuple[Any, ...]]) -> Any:
    """SQL: the columns hold one of the keys (a few hundred at most), each key its own AND of
    equalities. SQLite answers `(a, b) IN (VALUES ...)` by scanning the whole table, which
    made a sliced import's sums quadratic (decision 0911); it answers this form by index
    (MULTI-INDEX OR), as PostgreSQL does both."""
    matches = (and_(*(c == v for c, v in zip(columns, key, strict=True))) for key in keys)
    return or_(false(), *matches)


def replace_keyed(
    connection: Connection,
    table: Table,
    columns: Sequence[ColumnElement[Any]],
    keys: Iterable[tuple[Any, ...]] | None,
    rows: Sequence[Stored],
) -> None:
    """Delete the rows of `table` whose `columns` hold one of `keys` (None: every row), a few
    hundred keys per statement, then insert `rows` (insert_rows)."""
    if keys is None:
        connection.execute(delete(table))
    else:
        listed = sorted(set(keys))
        for i in range(0, len(listed), KEYS_AT_ONCE):
            part = listed[i : i + KEYS_AT_ONCE]
            connection.execute(delete(table).where(one_of(columns, part)))
    insert_rows(connection, table, rows)


def insert_rows(connection: Connection, table: Table, rows: Sequence[Stored]) -> None:
    """Insert derived rows through the driver: a COPY on PostgreSQL, an executemany elsewhere.

    A row is a tuple in the table's column order without its `row_id` (as the engine writes
    them, dates as ISO text), or a dict by column name. Every column of a derived table is
    text, a number or a date, so no per-value type processing is needed (at a factory's month
    SQLAlchemy's took a third of the refresh).
    """
    if not rows:
        return
    names = [c.name for c in table.columns if c.name != "row_id"]
    values = [_plain(row, names) if isinstance(row, dict) else row for row in rows]
    assert all(len(row) == len(names) for row in values[:1]), "a row fills all but row_id"
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(names))
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
    for i in range(0, len(values), INSERT_CHUNK):
        cursor.executemany(sql, values[i : i + INSERT_CHUNK])


def _plain(row: dict[str, Any], names: Sequence[str]) -> tuple[Any, ...]:
    return tuple(v.isoformat() if isinstance(v, dt.date) else v for v in map(row.get, names))


def as_dicts(result: Any) -> list[dict[str, Any]]:
    """A query's rows as dicts, its column names taken once (a row's `_mapping` builds them
    again for every row: a third of reading a few thousand sums)."""
    names = list(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result]


def touched_shifts(batch_id: int) -> str:
    """SQL: the shifts whose results a batch can change.

    Its own shift, output and crew entries (reversals repeat the payload they reverse), every
    shift of a worker it (re)wrote (the home unit is kept per row), and every shift from the
    earliest date of a norm version it wrote (a new version decides later results).
    """
    n = int(batch_id)
    return (
        f"SELECT shift_id FROM shift_entries WHERE batch_id = {n}"
        f" UNION SELECT shift_id FROM output_entries WHERE batch_id = {n}"
        f" UNION SELECT shift_id FROM crew_entries WHERE batch_id = {n}"
        " UNION SELECT shift_id FROM crew_entries WHERE worker_id IN"
        f" (SELECT worker_id FROM worker_entries WHERE batch_id = {n})"
        " UNION SELECT shift_id FROM shift_entries WHERE date >="
        f" (SELECT min(effective_from) FROM norm_entries WHERE batch_id = {n})"
    )


SLICED = "read_refresh_shifts"  # a refresh's shifts, held for its transaction


def shift_slices(connection: Connection, shifts_sql: str, size: int) -> list[str]:
    """SQL of each slice of at most `size` of the shifts `shifts_sql` selects, in id order.

    The shifts are held numbered in a temporary table for the transaction (end_slices drops
    it), so a large batch's refresh reads and writes a bounded number of shifts at a time; a
    slice is a range of numbers, and no id is read into Python.
    """
    postgres = connection.dialect.name == "postgresql"
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SLICED}")
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE {SLICED} (n INTEGER PRIMARY KEY, shift_id VARCHAR(100) NOT NULL)"
        + (" ON COMMIT DROP" if postgres else "")
    )
    connection.exec_driver_sql(
        f"INSERT INTO {SLICED} (n, shift_id) SELECT row_number() OVER (ORDER BY shift_id),"
        f" shift_id FROM (SELECT DISTINCT shift_id FROM ({shifts_sql}) q"
        " WHERE shift_id IS NOT NULL) d"
    )
    if postgres:
        connection.exec_driver_sql(f"ANALYZE {SLICED}")
    count = connection.scalar(text(f"SELECT count(*) FROM {SLICED}")) or 0
    if count <= size:
        return [f"SELECT shift_id FROM {SLICED}"]
    return [
        f"SELECT shift_id FROM {SLICED} WHERE n > {low} AND n <= {low + size}"
        for low in range(0, count, size)
    ]


def end_slices(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SLICED}")


LARGE_BATCH = 1000  # crew entries; beyond, the tables' statistics are refreshed first
LEDGER_NAMES = ("shift_entries", "output_entries", "crew_entries", "worker_entries")
SAMPLED_ROWS = 1000  # SQLite's ANALYZE reads this many rows of each index (analysis_limit)


def plan_for_batch(connection: Connection, batch_id: int) -> None:
    """Let the database plan the refresh of a large batch with statistics that count it.

    Inside the writing transaction the planner still believes the tables hold what they held
    before. PostgreSQL would pick nested loops over what are now thousands of rows. SQLite
    without statistics reads a slice's current entries by the `reverses` index, where every
    current entry is NULL, instead of by their shifts: the whole table for every slice, which
    at a million crew rows was most of the import. ANALYZE in the transaction counts its own
    rows (on SQLite a sample of each index, milliseconds); small writes keep the statistics
    they have, and a SQLite ledger that has none gets them.
    """
    written = connection.scalar(
        select(func.count()).select_from(crew_entries).where(crew_entries.c.batch_id == batch_id)
    )
    large = (written or 0) > LARGE_BATCH
    if connection.dialect.name == "postgresql":
        if large:
            connection.exec_driver_sql(f"ANALYZE {', '.join(LEDGER_NAMES)}")
        return
    if large or (_grown(connection) and not _has_statistics(connection)):
        connection.exec_driver_sql(f"PRAGMA analysis_limit={SAMPLED_ROWS}")
        for name in LEDGER_NAMES:
            connection.exec_driver_sql(f"ANALYZE {name}")
        connection.exec_driver_sql("PRAGMA analysis_limit=0")


def _grown(connection: Connection) -> bool:
    """Whether the crew entries are many enough for a plan to matter (by the newest key)."""
    newest = connection.scalar(select(func.max(crew_entries.c.entry_id)))
    return (newest or 0) > 10 * LARGE_BATCH


def _has_statistics(connection: Connection) -> bool:
    """Whether SQLite holds statistics of the crew entries (ANALYZE has run since they grew)."""
    held = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if held is None:
        return False
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'crew_entries' LIMIT 1"
    ).first()
    return found is not None


def replace(connection: Connection, shifts_sql: str | None, rows: Iterable[Stored]) -> int:
    """Delete the rows of the shifts `shifts_sql` selects (None: every row), insert `rows`
    (insert_rows); the rows written."""
    query = delete(read_results)
    if shifts_sql is not None:
        query = query.where(read_results.c.shift_id.in_(text(shifts_sql)))
    connection.execute(query)
    listed = list(rows)
    insert_rows(connection, read_results, listed)
    return len(listed)


def rows_of(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> list[dict[str, Any]]:
    """Derived rows of [start, end] of workers at home within any subtree, or of one worker."""
    c = read_results.c
    query = select(read_results).where(c.date >= start, c.date <= end)
    if within is not None:
        query = query.where(homes_within(c.home, within))
    if worker_id is not None:
        query = query.where(c.worker_id == worker_id)
    query = query.order_by(c.date, c.shift_id, c.row_id)
    return [dict(r._mapping) for r in connection.execute(query)]


ROW_COLUMNS = (
    "row_id AS entry_id, shift_id, CAST(date AS TEXT) AS date, worker_id, home, operation,"
    " hours, output, unit, norm_output_num, norm_output_den, earned_num, earned_den,"
    " fair_num, fair_den, assisted, pooled, prepared"
)


def homes_within(column: Any, within: Sequence[str]) -> Any:
    """SQL: a read row's home (`column`) lies within any subtree, as `homes_within_text`
    writes it: the homes by the index of units first, then the rows by (home, date).

    A date range with `paths_within` on the home leads SQLite to read the whole range by date
    (every brigade's days) and filter them; a list of homes it reads home by home.
    """
    homes = WORKERS.table.c.unit
    return column.in_(select(homes).where(paths_within(homes, within)))


def homes_within_text(within: Sequence[str], dialect: str | None) -> str:
    """SQL condition: the row's home lies within any subtree, by the (home, date) index.

    A subtree becomes the home units under it: every home is some worker entry's unit, and
    worker entries are few.
    """
    inside = within_text("unit", within, dialect)
    return f"home IN (SELECT unit FROM worker_entries WHERE {inside})"


def within_text(column: str, subtrees: Sequence[str], dialect: str | None = None) -> str:
    """SQL text: the path column lies within any subtree (none: nothing); on SQLite and
    PostgreSQL (`dialect`) as a range an index answers, as `paths_within` does."""
    if dialect in RANGED:
        column = RANGED[dialect].format(column)
        below = [
            f"({column} >= {literal(s + '/')} AND {column} < {literal(s + '0')})" for s in subtrees
        ]
    else:
        below = [f"substr({column}, 1, {len(s) + 1}) = {literal(s + '/')}" for s in subtrees]
    paths = " OR ".join(
        f"{column} = {literal(s)} OR {under}" for s, under in zip(subtrees, below, strict=True)
    )
    return paths or "false"


# How each database compares a path by its code points: SQLite's text already does.
RANGED = {"sqlite": "{}", "postgresql": '{} COLLATE "C"'}


def worked_within(start: dt.date, end: dt.date, within: Sequence[str], dialect: str | None) -> str:
    """SQL: ids of [start, end]'s shifts where a worker at home within the subtrees has a
    result (`dialect`: the database it runs on, as `within_text` takes it)."""
    return (
        "SELECT DISTINCT shift_id FROM read_results"
        f" WHERE date >= '{start.isoformat()}' AND date <= '{end.isoformat()}'"
        f" AND {homes_within_text(within, dialect)}"
    )


def shifts_worked_within(
    connection: Connection, start: dt.date, end: dt.date, within: Sequence[str]
) -> set[str]:
    """Ids of [start, end]'s shifts where a worker at home within the subtrees has a result."""
    sql = worked_within(start, end, within, connection.dialect.name)
    return {r[0] for r in connection.exec_driver_sql(sql)}


def results_frame(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> pa.Table:
    """The rows of rows_of as Arrow text columns, read without a Python object per row."""
    sql = (
        f"SELECT {ROW_COLUMNS} FROM read_results"
        f" WHERE date >= '{start.isoformat()}' AND date <= '{end.isoformat()}'"
    )
    if within is not None:
        sql += f" AND {homes_within_text(within, connection.dialect.name)}"
    if worker_id is not None:
        sql += f" AND worker_id = {literal(worker_id)}"
    return fetch(connection, sql + after(connection, "row_id"))


ORDINARY_COLUMNS = (
    "row_id AS entry_id, shift_id, CAST(date AS TEXT) AS date, worker_id, operation, hours,"
    " earned_num, earned_den, fair_num, fair_den"
)


def _ordinary_where(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None,
    workers: tuple[str, str] | None,
) -> str:
    # A batch of workers is read by the (worker_id, date) index: SQLite would take the date
    # index for a month and scan it all for each batch, unless told the date is no key (+).
    date = "+date" if workers is not None and connection.dialect.name == "sqlite" else "date"
    sql = (
        f" WHERE {date} >= '{start.isoformat()}' AND {date} <= '{end.isoformat()}'"
        " AND earned_num IS NOT NULL AND NOT prepared"
    )
    if within is not None:
        sql += f" AND {homes_within_text(within, connection.dialect.name)}"
    if workers is not None:
        sql += f" AND worker_id >= {literal(workers[0])} AND worker_id <= {literal(workers[1])}"
    return sql


def ordinary_batches(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    rows: int = 250_000,
) -> list[tuple[str, str]]:
    """Ranges of worker ids (first, last, in the database's order) whose ordinary_frame holds
    about `rows` rows each at most (a worker's rows never split), covering every worker with
    one: a worker's tallies need his rows alone, so they can be summed a batch at a time."""
    sql = "SELECT worker_id, count(*) FROM read_results"
    sql += _ordinary_where(connection, start, end, within, None)
    sql += " GROUP BY worker_id ORDER BY worker_id"
    batches: list[tuple[str, str]] = []
    first: str | None = None
    last = ""
    held = 0
    for worker_id, count in connection.exec_driver_sql(sql):
        if first is not None and held + count > rows:
            batches.append((first, last))
            first = None
        if first is None:
            first, held = worker_id, 0
        last = worker_id
        held += count
    if first is not None:
        batches.append((first, last))
    return batches


def ordinary_frame(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    workers: tuple[str, str] | None = None,
) -> pa.Table:
    """The normed results of standard shifts of [start, end] (of workers at home within the
    subtrees, None: all; of the workers from workers[0] to workers[1] if given), only the
    columns ordinary work sums, as Arrow text columns."""
    sql = f"SELECT {ORDINARY_COLUMNS} FROM read_results"
    sql += _ordinary_where(connection, start, end, within, workers)
    return fetch(connection, sql + after(connection, "row_id"))


def is_stale(connection: Connection) -> bool:
    """True when the ledger holds crew but the read model nothing (a database from before it)."""
    empty = connection.scalar(select(~exists(select(read_results.c.row_id))))
    crew = connection.scalar(select(exists(select(crew_entries.c.entry_id))))
    return bool(empty) and bool(crew)


def paths_within(column: Any, subtrees: Sequence[str]) -> Any:
    """SQL: the path column lies within any subtree (none: nothing)."""
    if not subtrees:
        return false()
    return _Within(column, tuple(subtrees))


class _Within(ColumnElement[bool]):
    """`paths_within`, written for each database (decisions 0893, 0896): as a range of text,
    which an index of the column answers, where text compares by code points (SQLite's bytes,
    PostgreSQL's collation "C"), so that the paths below `s/` are those from `s/` up to `s0`;
    elsewhere by the path's first characters, right under any collation."""

    inherit_cache = False  # compiled per statement: the subtrees are part of its text
    type = Boolean()
    # A condition already: else SQLite, without a boolean type, is given `(...) = 1`, which no
    # index answers.
    _is_implicitly_boolean = True

    def __init__(self, column: Any, subtrees: tuple[str, ...]) -> None:
        self.column = column
        self.subtrees = subtrees


@compiles(_Within)
def _within_by_prefix(element: _Within, compiler: Any, **kw: Any) -> str:
    column = element.column
    prefixed = (
        or_(column == s, func.substr(column, 1, len(s) + 1) == s + "/") for s in element.subtrees
    )
    return f"({compiler.process(or_(*prefixed), **kw)})"  # one term among the query's ANDs


@compiles(_Within, "sqlite")
def _within_by_range(element: _Within, compiler: Any, **kw: Any) -> str:
    return _ranges(element.column, element.subtrees, compiler, **kw)


@compiles(_Within, "postgresql")
def _within_by_bytes(element: _Within, compiler: Any, **kw: Any) -> str:
    """By bytes (collation "C"), where the range holds whatever the database's collation, and
    the indexes of migration 0049 answer it (decision 0896)."""
    return _ranges(element.column.collate("C"), element.subtrees, compiler, **kw)


def _ranges(column: Any, subtrees: Sequence[str], compiler: Any, **kw: Any) -> str:
    ranged = (or_(column == s, and_(column >= s + "/", column < s + "0")) for s in subtrees)
    return f"({compiler.process(or_(*ranged), **kw)})"  # one term among the query's ANDs


def shift_page(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    workplaces: Sequence[str] | None = None,
    worker_id: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    search: str | None = None,
    sort: str = "date",
    descending: bool = True,
) -> list[str]:
    """Ids of the period's shifts, newest first unless sorted otherwise: one worker's, or at
    workplaces in subtrees; with a search, those whose id, workplace or a crew member's worker
    id contains it (a LIKE pattern)."""
    table = SHIFTS.table
    column = SHIFT_SORTS.get(sort, table.c.date)
    keys = [column, table.c.shift_id] if column is not table.c.shift_id else [column]
    query = (
        _shifts_found(start, end, workplaces, worker_id, search)
        .with_only_columns(table.c.shift_id)
        .order_by(None)
        .order_by(*(k.desc() if descending else k.asc() for k in keys))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(connection.scalars(query.offset(offset or None)))


SHIFT_SORTS = {
    "date": SHIFTS.table.c.date,
    "shift": SHIFTS.table.c.shift_id,
    "workplace": SHIFTS.table.c.workplace,
    "hours": SHIFTS.table.c.hours,
}
"""The columns a list of shifts may be sorted by (the shift id breaks ties)."""


def shift_count(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    workplaces: Sequence[str] | None = None,
    search: str | None = None,
) -> int:
    """How many shifts shift_page would page through."""
    found = _shifts_found(start, end, workplaces, None, search).order_by(None).subquery()
    return int(connection.scalar(select(func.count()).select_from(found)) or 0)


def _shifts_found(
    start: dt.date,
    end: dt.date,
    workplaces: Sequence[str] | None,
    worker_id: str | None,
    search: str | None,
) -> Any:
    table = SHIFTS.table
    query = current_query(SHIFTS).where(table.c.date >= start, table.c.date <= end)
    crew = current_query(CREW).with_only_columns(CREW.table.c.shift_id).order_by(None)
    if worker_id is not None:
        query = query.where(table.c.shift_id.in_(crew.where(CREW.table.c.worker_id == worker_id)))
    elif workplaces is not None:
        query = query.where(table.c.workplace.in_(workplaces_within(workplaces)))
    if search:
        members = crew.where(CREW.table.c.worker_id.ilike(search, escape="\\"))
        query = query.where(
            or_(
                table.c.shift_id.ilike(search, escape="\\"),
                table.c.workplace.ilike(search, escape="\\"),
                table.c.shift_id.in_(members),
            )
        )
    return query


def shifts_at(workplaces: Sequence[str], dialect: str | None) -> str:
    """SQL: the shifts entered at workplaces within any of the subtrees.

    The subtrees become the workplaces under them (every workplace is a known unit), so the
    (workplace, date) index finds the shifts; the units by their path's index where `dialect`
    names the database (`within_text`), as an enterprise's units are many.
    """
    return (
        "SELECT shift_id FROM shift_entries WHERE workplace IN"
        f" (SELECT path FROM units WHERE {within_text('path', workplaces, dialect)})"
    )


def workplaces_within(workplaces: Sequence[str]) -> Any:
    """The known units within the subtrees, by their paths' index: every workplace is one,
    so that what is kept per workplace is then found by a (workplace, date) index, each
    workplace's rows at once (a range of paths leaves the database guessing)."""
    return select(units.c.path).where(paths_within(units.c.path, workplaces))


def shifts_snapshot(connection: Connection, shift_ids: Sequence[str]) -> Ledger:
    """A domain Ledger of the given shifts with only their crews' workers, and the norms.

    What a page of shifts needs to show credits and results, without the period's time
    entries or every worker of the enterprise.
    """
    store = LedgerStore(connection)
    crew = store.records(CREW, CrewEntry, "shift_id", shift_ids)
    return Ledger.of(
        workers=store.records(WORKERS, Worker, "worker_id", {c.worker_id for c in crew}),
        norms=store.records(NORMS, Norm),
        shifts=store.records(SHIFTS, Shift, "shift_id", shift_ids),
        outputs=store.records(OUTPUT, MeasuredOutput, "shift_id", shift_ids),
        crew=crew,
    )
