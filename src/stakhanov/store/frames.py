"""The ledger of a period as columns: Arrow tables read straight from the database.

Shifts, outputs and crew rows of a period never become Python objects here: SQLite is read with
ADBC and PostgreSQL with COPY ... TO STDOUT, both into Arrow. Exact decimals become int64
micro-units (value x 10^6) in DuckDB, never through a float; workers and norms are small and
come as domain records. A value the micro-unit columns cannot hold exactly raises Unsupported.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Connection, Engine

from stakhanov.domain.norms import Norm
from stakhanov.domain.units import is_within
from stakhanov.domain.workers import Worker
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import NORMS, WORKERS

SHIFTS_SCHEMA = pa.schema(
    [
        ("entry_id", pa.int64()),
        ("shift_id", pa.string()),
        ("date", pa.date32()),
        ("prepared", pa.bool_()),
        ("note", pa.string()),
    ]
)
OUTPUTS_SCHEMA = pa.schema(
    [
        ("entry_id", pa.int64()),
        ("shift_id", pa.string()),
        ("operation", pa.string()),
        ("quantity", pa.int64()),  # micro-units
        ("places", pa.int32()),  # decimals the quantity was written with: the split's quantum
        ("unit", pa.string()),
    ]
)
CREW_SCHEMA = pa.schema(
    [
        ("entry_id", pa.int64()),  # file order: ties of the split go to the earliest row
        ("shift_id", pa.string()),
        ("worker_id", pa.string()),
        ("operation", pa.string()),
        ("hours", pa.int64()),  # micro-units
        ("hours_places", pa.int32()),  # as written, for the audit's messages
        ("credited", pa.int64()),  # micro-units, null when not given
        ("credited_places", pa.int32()),  # decimals of the credit as the domain reads it
        ("coefficient", pa.int64()),  # micro-units, null for 1
    ]
)
MAX_PLACES = 6
UNKNOWN_HOME = "(unknown)"  # the home of a worker the ledger does not list
CHUNK_ROWS = 500_000
# Columns whose text never holds a comma, a quote or a line break, and is never empty: SQLite
# writes them unquoted, a quarter less work for a frame of sums. Sums and ratios are numbers.
_PLAIN_COLUMNS = {
    "date",
    "conditions",
    "quantity",
    "hours",
    "credited",
    "coefficient",
    "output",
    "normed_hours",
    *(f"{r}_{part}" for r in ("norm_output", "earned", "fair") for part in ("num", "den")),
}


class NotMicro(Exception):
    """A value has more decimal places, or more digits, than int64 micro-units hold."""


@dataclass(frozen=True)
class Frames:
    """The current ledger entries of a period as columns, with the (small) master data."""

    shifts: pa.Table
    outputs: pa.Table
    crew: pa.Table
    norms: tuple[Norm, ...]
    homes: dict[str, str]  # worker_id -> home unit
    grades: dict[str, str | None] = field(default_factory=dict)  # worker_id -> tariff grade


@dataclass(frozen=True)
class Roster:
    """The norms and the workers a read of frames and pay lookups needs (homes, grades,
    names): every worker, or those of the shifts read (`roster_of`)."""

    norms: tuple[Norm, ...]
    workers: list[Worker]

    @cached_property
    def homes(self) -> dict[str, str]:
        return {w.worker_id: w.unit for w in self.workers}

    @cached_property
    def grades(self) -> dict[str, str | None]:
        return {w.worker_id: w.grade for w in self.workers}


def roster_of(
    connection: Connection, worked: str | None = None, also: Iterable[str] = ()
) -> Roster:
    """Every norm and worker; with `worked` (SQL of shift ids), only the workers of those
    shifts' current crews and `also`: a read of some shifts needs their crews' homes and
    grades, not the whole workforce (a million workers are gigabytes as records)."""
    store = LedgerStore(connection)
    norms = tuple(store.records(NORMS, Norm))
    if worked is None:
        return Roster(norms, store.records(WORKERS, Worker))
    crews = connection.exec_driver_sql(
        f"SELECT DISTINCT worker_id FROM crew_entries WHERE {_CURRENT.format(t='crew_entries')}"
        f" AND shift_id IN ({worked})"
    )
    named = {w for (w,) in crews} | set(also)
    return Roster(norms, store.records(WORKERS, Worker, "worker_id", named))


def micro(column: str, stored: str | None = None) -> str:
    """SQL (DuckDB) turning a decimal column as read into exact int64 micro-units.

    SQLite stores micro-units already; PostgreSQL's NUMERIC(30,6) and a domain value's text
    (`stored` None) are scaled exactly, never through a float.
    """
    if stored == "sqlite":
        return f"CAST({column} AS BIGINT)"
    return f"CAST(CAST({column} AS DECIMAL(38, 6)) * 1000000 AS BIGINT)"


def places(column: str) -> str:
    """SQL (DuckDB): the decimals a value was written with, from its canonical text."""
    point = f"strpos({column}, '.')"
    return (
        f"CAST(CASE WHEN {column} IS NULL THEN NULL WHEN {point} > 0"
        f" THEN length({column}) - {point} ELSE 0 END AS INTEGER)"
    )


def plain_places(micro_value: str) -> str:
    """SQL (DuckDB): the decimals of a stored value read back plain (6.000000 is 6, 1.5 is 1.5)."""
    steps = " ".join(f"WHEN {micro_value} % {10 ** (6 - p)} = 0 THEN {p}" for p in range(6))
    return f"CAST(CASE WHEN {micro_value} IS NULL THEN NULL {steps} ELSE 6 END AS INTEGER)"


def exact(column: str) -> str:
    """SQL: true when the text holds no more than six decimals (else micro() would round),
    written positionally (an exponent such as 0E-7 hides its written scale)."""
    return (
        f"({column} IS NULL OR (CAST({column} AS DECIMAL(38, 12))"
        f" = CAST({column} AS DECIMAL(38, 6)) AND {places(column)} <= {MAX_PLACES}"
        f" AND NOT contains(upper({column}), 'E')))"
    )


# `r.reverses IS NOT NULL` lets PostgreSQL read the small partial index of reversals (0590).
_CURRENT = (
    "reverses IS NULL AND NOT EXISTS (SELECT 1 FROM {t} r"
    " WHERE r.reverses = {t}.entry_id AND r.reverses IS NOT NULL)"
)


def current(table: str) -> str:
    """The condition that keeps a ledger table's current entries: not a reversal, not reversed."""
    return _CURRENT.format(t=table)


_RAW_SHIFTS = (
    "SELECT entry_id, shift_id, CAST(date AS TEXT) AS date, conditions, note FROM shift_entries "
    f"WHERE {_CURRENT.format(t='shift_entries')} AND date >= '{{start}}' AND date <= '{{end}}'"
)


def after(connection: Connection, column: str = "entry_id") -> str:
    """SQL ending a query for `fetch`: SQLite's chunks start after a bound entry_id."""
    start = "-1" if connection.dialect.name == "postgresql" else "?"
    return f" AND {column} > {start} ORDER BY {column}"


_OUTPUT_TABLE = (
    "output_entries",
    "entry_id, shift_id, operation, CAST(quantity AS TEXT) AS quantity, "
    "CAST(quantity_places AS TEXT) AS quantity_places, unit",
)
_CREW_TABLE = (
    "crew_entries",
    # the exact fraction where one was kept (20min is 1/3 h): `typed` then refuses the period
    "entry_id, shift_id, worker_id, operation,"
    " COALESCE(hours_exact, CAST(hours AS TEXT)) AS hours, "
    "CAST(credited AS TEXT) AS credited, CAST(coefficient AS TEXT) AS coefficient",
)


def _raw_of(shifts: str, of: tuple[str, str], start: dt.date, end: dt.date) -> str:
    """The current rows of a table whose shift is among `shifts` (a query of shift entries
    of [start, end]). A current row carries its shift's date: bounding it by the period lets
    PostgreSQL read only the period's monthly partitions (decision 0593)."""
    table, columns = of
    ids = shifts.replace("SELECT entry_id, shift_id,", "SELECT shift_id,", 1)
    return (
        f"SELECT {columns} FROM {table} WHERE {_CURRENT.format(t=table)} "
        f"AND {within_dates(start, end)} AND shift_id IN (SELECT shift_id FROM ({ids}) s)"
    )


def within_dates(start: dt.date, end: dt.date, column: str = "shift_date") -> str:
    return f"{column} >= '{start.isoformat()}' AND {column} <= '{end.isoformat()}'"


def read_frames(
    engine: Engine,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
) -> Frames:
    """Current shifts, outputs and crew of [start, end] as Arrow, with workers and norms.

    With `within` (unit subtrees) or `worker_id`, only the shifts that an in-scope worker
    worked are read, each with its whole crew: attribution needs every member, and a
    brigade's report then costs what the brigade worked, not what the enterprise did.
    """
    with engine.connect() as connection:
        return frames_on(connection, start, end, within, worker_id)


def frames_in(connection: Connection, start: dt.date, end: dt.date) -> Frames:
    """The whole period on the caller's connection, inside its transaction (the period close)."""
    return frames_on(connection, start, end)


def frames_on(
    connection: Connection,
    start: dt.date,
    end: dt.date,
    within: Sequence[str] | None = None,
    worker_id: str | None = None,
    shifts_sql: str | None = None,
    roster: Roster | None = None,
) -> Frames:
    """read_frames on an open connection (a write's own transaction sees its own entries).

    `shifts_sql`, a query of shift ids, narrows the read further (the read model's refresh);
    `roster`, the workers and norms read already.
    """
    if roster is None and within is None and (worker_id or shifts_sql):
        # The workers of the shifts read: a worker's or a slice's read costs its crews.
        read = worked_by([worker_id], (start, end)) if worker_id else shifts_sql
        roster = roster_of(connection, read, [worker_id] if worker_id else ())
    roster = roster or roster_of(connection)
    norms, homes, grades = roster.norms, roster.homes, roster.grades
    narrowed = ""
    if within is not None or worker_id is not None:
        candidates = list(homes) if worker_id is None else [worker_id]
        chosen = [
            w
            for w in candidates
            if within is None or any(is_within(homes.get(w, UNKNOWN_HOME), s) for s in within)
        ]
        narrowed += f" AND shift_id IN ({worked_by(chosen, (start, end))})"
    if shifts_sql is not None:
        narrowed += f" AND shift_id IN ({shifts_sql})"
    dialect = connection.dialect.name
    # SQLite reads in chunks from a bound parameter; PostgreSQL in one COPY.
    later = after(connection)
    shifts = _RAW_SHIFTS.format(start=start.isoformat(), end=end.isoformat()) + narrowed
    queries = (
        shifts,
        _raw_of(shifts, _OUTPUT_TABLE, start, end),
        _raw_of(shifts, _CREW_TABLE, start, end),
    )
    raw = [fetch(connection, sql + later) for sql in queries]
    tables = typed(raw[0], raw[1], raw[2], stored=dialect)
    return Frames(*tables, norms=norms, homes=homes, grades=grades)


def worked_by(worker_ids: Iterable[str], period: tuple[dt.date, dt.date] | None = None) -> str:
    """SQL: the shifts where any of the workers has a current crew entry (in the period)."""
    ids = ", ".join(literal(w) for w in sorted(set(worker_ids))) or "NULL"
    dated = f" AND {within_dates(*period)}" if period else ""
    return (
        f"SELECT shift_id FROM crew_entries WHERE {_CURRENT.format(t='crew_entries')}"
        f" AND worker_id IN ({ids}){dated}"
    )


def literal(text: str) -> str:
    """SQL string literal (both databases keep backslashes as they are)."""
    return "'" + text.replace("'", "''") + "'"


def typed(
    shifts: pa.Table, outputs: pa.Table, crew: pa.Table, stored: str | None = None
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The raw columns as the frame schema: exact micro-units, dates, flags.

    `stored` names the database the columns come from (its exact numbers, and the written
    scale of a quantity in `quantity_places`); None for the text of domain values.
    """
    db = duckdb.connect()
    for name, table in (("raw_shifts", shifts), ("raw_outputs", outputs), ("raw_crew", crew)):
        db.register(name, _as_text(table))
    if stored is None:
        # Hours no micro-unit holds (20min is 1/3 h): the domain computes the period. Stored
        # rows carry them as `1/3` too (hours_exact), which the cast to micro-units refuses.
        thirds = db.execute("SELECT count(*) FROM raw_crew WHERE contains(hours, '/')").fetchall()
        if thirds[0][0]:
            raise NotMicro("the period holds hours no decimal holds exactly (20min is 1/3 h)")
        finer = db.execute(
            f"SELECT (SELECT count(*) FROM raw_outputs WHERE NOT {exact('quantity')}),"
            " (SELECT count(*) FROM raw_crew WHERE NOT ("
            f"{exact('hours')} AND {exact('credited')} AND {exact('coefficient')}))"
        ).fetchall()[0]
        if any(finer):
            raise NotMicro(f"the period holds values finer than {MAX_PLACES} decimal places")
    quantity_places = places("quantity") if stored is None else "CAST(quantity_places AS INTEGER)"

    def written(column: str) -> str:
        return places(column) if stored is None else plain_places(micro(column, stored))

    try:
        result = (
            db.sql(
                "SELECT CAST(entry_id AS BIGINT) AS entry_id, shift_id, CAST(date AS DATE) AS date,"
                " conditions = 'prepared' AS prepared, note FROM raw_shifts ORDER BY entry_id"
            ).to_arrow_table(),
            db.sql(
                "SELECT CAST(entry_id AS BIGINT) AS entry_id, shift_id, operation,"
                f" {micro('quantity', stored)} AS quantity, {quantity_places} AS places, unit"
                " FROM raw_outputs ORDER BY entry_id"
            ).to_arrow_table(),
            db.sql(
                "SELECT CAST(entry_id AS BIGINT) AS entry_id, shift_id, worker_id, operation,"
                f" {micro('hours', stored)} AS hours, {written('hours')} AS hours_places,"
                f" {micro('credited', stored)} AS credited,"
                f" {written('credited')} AS credited_places,"
                f" {micro('coefficient', stored)} AS coefficient"
                " FROM raw_crew ORDER BY entry_id"
            ).to_arrow_table(),
        )
    except (duckdb.OutOfRangeException, duckdb.ConversionException) as err:
        raise NotMicro(str(err)) from err
    finally:
        db.close()
    schemas = (SHIFTS_SCHEMA, OUTPUTS_SCHEMA, CREW_SCHEMA)
    first, second, third = (t.cast(s) for t, s in zip(result, schemas, strict=True))
    return first, second, third


def _as_text(table: pa.Table) -> pa.Table:
    """Every payload column as text: a driver may type a column of nulls as a number."""
    fields = [(f.name, pa.int64() if f.name == "entry_id" else pa.string()) for f in table.schema]
    return table.cast(pa.schema(fields))


def fetch(connection: Connection, sql: str) -> pa.Table:
    """Rows of a query as Arrow, through CSV text the database writes: no Python row objects.

    The query has an integer `entry_id` column and ends in `after(...)` (SQLite reads it in
    chunks after an entry_id); every other column arrives as text.
    """
    if connection.dialect.name == "postgresql":
        return _read_csv(_copy_out(connection, sql))
    return _read_csv(_sqlite_csv(connection, sql))


def _read_csv(data: bytes) -> pa.Table:
    # Every payload column stays text (no type guessing): DuckDB converts the numbers exactly.
    # An unquoted empty cell is NULL, a quoted one an empty string, as COPY writes them.
    names = data.split(b"\n", 1)[0].decode().strip().split(",")
    types = {name: pa.string() for name in names} | {"entry_id": pa.int64()}
    options = pa_csv.ConvertOptions(
        strings_can_be_null=True, quoted_strings_can_be_null=False, column_types=types
    )
    parse = pa_csv.ParseOptions(newlines_in_values=True)
    return pa_csv.read_csv(io.BytesIO(data), parse_options=parse, convert_options=options)


def _copy_out(connection: Connection, sql: str) -> bytes:
    buffer = io.BytesIO()
    raw = connection.connection.dbapi_connection
    assert raw is not None
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)"
    with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:  # type: ignore[attr-defined]
        for block in copy:
            buffer.write(block)
    return buffer.getvalue()


def _cell(column: str) -> str:
    """SQL (SQLite): a CSV cell; text is quoted unless NULL, numbers and dates need no quotes."""
    if column == "entry_id":
        return column
    if column in _PLAIN_COLUMNS:
        return f"coalesce({column}, '')"
    text = f"""'"' || replace({column}, '"', '""') || '"'"""
    return f"CASE WHEN {column} IS NULL THEN '' ELSE {text} END"


def _sqlite_csv(connection: Connection, sql: str) -> bytes:
    """SQLite writes each chunk of rows as one CSV text (group_concat), read in one call.

    A second SQLite library in the process (ADBC's) would break the WAL locks of SQLAlchemy's
    connections when it closes the file, so the reader stays on Python's own sqlite3.
    """
    raw = connection.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    cursor.execute(f"SELECT * FROM ({sql}) AS q LIMIT 0", (-1,))
    names = [d[0] for d in cursor.description]
    line = " || ',' || ".join(_cell(n) for n in names)
    chunk = (
        f"SELECT group_concat(line, char(10)), max(entry_id), count(*) FROM ("
        f"SELECT entry_id, {line} AS line FROM ({sql} LIMIT {CHUNK_ROWS}) AS q)"
    )
    parts, last = [",".join(names)], -1
    while True:
        text, last_id, count = cursor.execute(chunk, (last,)).fetchone()
        if count:
            parts.append(text)
            last = last_id
        if count < CHUNK_ROWS:
            break
    cursor.close()
    return ("\n".join(parts) + "\n").encode()
