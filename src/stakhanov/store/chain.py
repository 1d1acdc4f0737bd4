"""The hash chain over every append-only table, extended as each transaction commits.

Any insert into a chained table notes the table on the connection (a SQLAlchemy event for
statements, `note` for a bulk writer's driver cursor). When the transaction commits, the rows it
wrote are read back as stored, hashed in one pass and linked after the head, under a lock of
the chain's own so that links follow commit order; closed periods and verified records among
them are sealed with the new head. The chain commits with the rows or not at all.

A writer that knows the canonical content of what it writes (a close's slips and lines) hands
their content hashes over with `prepare`: the commit then reads back only the new rows' keys
and the columns that name them, not every value (decision 0567). The hashes wait on disk, in
the order they were handed over, which is the order of the rows' keys (decision 0892).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    Table,
    event,
    insert,
    inspect,
    select,
)

from stakhanov.domain.canonical import GENESIS, link_hash, row_hasher
from stakhanov.domain.values import STORED_PLACES
from stakhanov.store import catalog, pickles
from stakhanov.store.bulk import IMPORT_LOCK
from stakhanov.store.chain_tables import chain_links, chain_seals
from stakhanov.store.metadata import derived
from stakhanov.store.types import ExactDecimal

# Chained in this order when a transaction wrote to several (and by the migration).
CHAINED_NAMES = (
    "batches",
    "units",
    "worker_entries",
    "norm_entries",
    "shift_entries",
    "output_entries",
    "crew_entries",
    "time_entries",
    "reject_fault_entries",
    "pay_scale_entries",
    "provenance_entries",
    "plan_entries",
    "incident_entries",
    "pay_periods",
    "pay_slips",
    "pay_lines",
    "governance_policies",
    "norm_revisions",
    "revision_decisions",
    "finding_reviews",
    "disputes",
    "dispute_answers",
    "rulebooks",
    "record_claims",
    "claim_crew",
    "claim_decisions",
    "title_grants",
    "title_events",
    "awards",
    "innovations",
    "mentorships",
    "mentorship_ends",
    "competitions",
    "competition_units",
    "board_preferences",
    "certifications",
    "courses",
    "course_sessions",
    "examinations",
    "methods",
    "method_steps",
    "method_adoptions",
    "work_order_entries",
    "ktu_entries",
    "day_signoffs",
)
CHAINED: dict[str, Table] = {name: catalog.metadata.tables[name] for name in CHAINED_NAMES}
RECORD_STATUSES = ("verified", "assisted")  # a claim decision that makes a record
PENDING = "stakhanov_chain_pending"
PREPARED = "stakhanov_chain_prepared"
Hashed = tuple[str, int | None, str, list[Any]]  # key, batch, content hash, canonical values
CHUNK = 20_000
# A lock of the chain's own, held only while a commit links its rows: the writers' lock
# (store/bulk.py) is held by a correcting import for its whole transaction, and a write that
# opens a batch meanwhile must not wait for it (decision 0547). Nothing waits while holding it.
CHAIN_LOCK = IMPORT_LOCK + 1


def key_column(table: Table) -> str:
    (column,) = table.primary_key.columns
    return column.name


def _numbered(table: Table) -> bool:
    """Keys handed out in increasing order (a sequence or SQLite's rowid)."""
    column = table.c[key_column(table)]
    return isinstance(column.type, Integer) and not column.foreign_keys


class Row:
    """Reads a named column from the values `hashed_rows` gives for one table."""

    def __init__(self, table: Table) -> None:
        self.at = {name: i for i, name in enumerate(columns(table))}

    def get(self, values: list[Any], name: str) -> Any:
        return values[self.at[name]] if name in self.at else None


@dataclass(frozen=True)
class Floor:
    """Where a transaction's rows of one table start: keys above `key` (None: any key) that
    no link up to `seq` can name."""

    key: int | None
    seq: int


class Prepared:
    """Content hashes of rows a transaction writes, by the values of `by` (columns that name a
    row before the database gives it its key), computed by the writer from what it wrote.

    They are kept in a temporary file in the order they were handed over: a close of ten
    million crew rows writes some fourteen million lines, whose hashes in a dict took
    gigabytes. The rows come back in key order, which is the order they were written in, so
    the commit reads the file once, holding a few thousand hashes at a time (`lookup`)."""

    def __init__(self, by: tuple[str, ...]) -> None:
        self.by = by
        self._file = tempfile.TemporaryFile(prefix="stakhanov-chain-")  # noqa: SIM115 - close()

    def add(self, hashes: Mapping[tuple[Any, ...], str]) -> None:
        found = iter(hashes.items())
        while piece := list(islice(found, PIECE)):
            pickles.keep(self._file, piece)

    def _pieces(self) -> Iterator[list[tuple[tuple[Any, ...], str]]]:
        yield from pickles.kept(self._file)

    def lookup(self) -> Callable[[tuple[Any, ...]], str | None]:
        """A row's prepared hash by its naming values, asked in key order; None for a row not
        prepared. Hashes are read ahead until the row's is found, at most AHEAD beyond those
        read and not yet asked for: a row beyond that is hashed from the stored row instead,
        which is what its link must hold anyway."""
        pieces = self._pieces()
        window: dict[tuple[Any, ...], str] = {}

        def find(naming: tuple[Any, ...]) -> str | None:
            while naming not in window and len(window) < AHEAD:
                piece = next(pieces, None)
                if piece is None:
                    break
                window.update(piece)
            return window.pop(naming, None)

        return find

    def close(self) -> None:
        self._file.close()


PIECE = 10_000  # prepared hashes per pickled piece
AHEAD = 50_000  # prepared hashes the commit holds at most before it finds a row's


@dataclass(frozen=True)
class Head:
    seq: int
    chain_hash: str


def install(engine: Engine) -> None:
    """Chain what every transaction on this engine writes, when it commits."""
    if event.contains(engine, "commit", _on_commit):
        return
    event.listen(engine, "before_cursor_execute", _on_statement)
    event.listen(engine, "commit", _on_commit)
    event.listen(engine, "rollback", _forget)


def note(connection: Connection, table: Table) -> None:
    """Mark `table` as written in this transaction (called before the first insert into it)."""
    if table.name not in CHAINED:
        return
    pending: dict[str, Floor] = connection.info.setdefault(PENDING, {})
    if table.name in pending:
        return
    # Keys this transaction is given are above every key visible now, committed or not, and
    # a link naming one of them can only come from a commit after now: after the head read
    # first (a commit between the two reads has its rows below the floor read second).
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute("SELECT max(seq) FROM chain_links")
    seq = int(cursor.fetchone()[0] or 0)
    lower = None
    if _numbered(table):
        cursor.execute(f"SELECT max({key_column(table)}) FROM {table.name}")
        lower = int(cursor.fetchone()[0] or 0)
    cursor.close()
    pending[table.name] = Floor(lower, seq)


def _on_statement(
    connection: Connection, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
) -> None:
    if context is None or not context.isinsert or context.compiled is None:
        return
    table = getattr(context.compiled.statement, "table", None)
    if isinstance(table, Table):
        note(connection, table)


def prepare(
    connection: Connection, table: Table, by: tuple[str, ...], hashes: Mapping[tuple[Any, ...], str]
) -> None:
    """Hand over the content hashes (`row_hasher` over `columns(table)`) of rows this
    transaction writes into `table`, each by its values of the columns `by`. Only for a
    numbered table without a batch or shift column (a link needs no other value of its row)."""
    assert _numbered(table) and not {"batch_id", "shift_id"} & set(table.c.keys()), table.name
    note(connection, table)
    prepared: dict[str, Prepared] = connection.info.setdefault(PREPARED, {})
    found = prepared.get(table.name) or prepared.setdefault(table.name, Prepared(by))
    assert found.by == by, f"{table.name} prepared by {found.by}, then by {by}"
    found.add(hashes)


def _forget(connection: Connection) -> None:
    connection.info.pop(PENDING, None)
    _let_go(connection.info.pop(PREPARED, None))


def _let_go(prepared: Mapping[str, Prepared] | None) -> None:
    for found in (prepared or {}).values():
        found.close()


def _on_commit(connection: Connection) -> None:
    pending = connection.info.pop(PENDING, None)
    prepared = connection.info.pop(PREPARED, None)
    try:
        if pending:
            extend(connection, pending, prepared=prepared)
    finally:
        _let_go(prepared)


def head(connection: Connection) -> Head:
    row = connection.execute(
        select(chain_links.c.seq, chain_links.c.chain_hash).order_by(chain_links.c.seq.desc())
    ).first()
    return Head(0, GENESIS) if row is None else Head(row.seq, row.chain_hash)


def extend(
    connection: Connection,
    pending: Mapping[str, Floor],
    whole: bool = False,
    absent: Mapping[str, frozenset[str]] | None = None,
    prepared: Mapping[str, Prepared] | None = None,
) -> Head:
    """Link the rows of the pending tables that no link names yet, then seal; the new head.

    A row without a batch column (a pay line, a slip) is linked with the batch its transaction
    opened, when it opened exactly one; `whole` (every table at once) links it with none.
    `absent`: columns a later migration adds, read as empty (the hash leaves empty ones out).
    `prepared`: content hashes a writer computed (`prepare`), used instead of reading rows.
    """
    if connection.dialect.name == "postgresql":  # SQLite has one writer at a time
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")
    now = head(connection)
    sealed: list[tuple[str, str]] = []
    opened: list[int] = []
    for name in CHAINED_NAMES:
        if name not in pending:
            continue
        table = CHAINED[name]
        row = Row(table)
        links: list[tuple[Any, ...]] = []
        missing = (absent or {}).get(name, frozenset())
        given = (prepared or {}).get(name)
        found = (
            unlinked(connection, table, pending[name], missing)
            if given is None
            else unlinked_prepared(connection, table, pending[name], given)
        )
        for key, own, content, values in found:
            if name == "batches":
                opened.append(int(key))
            batch = own if "batch_id" in table.c or whole or len(opened) != 1 else opened[0]
            seq = now.seq + 1
            now = Head(seq, link_hash(now.chain_hash, name, key, batch, content))
            shift = row.get(values, "shift_id")
            links.append((seq, name, key, batch, shift, content, now.chain_hash))
            if len(links) >= CHUNK:
                _write_links(connection, links)
                links = []
            if name == "pay_periods":
                sealed.append(("period", str(row.get(values, "start_date"))))
            elif name == "claim_decisions" and row.get(values, "status") in RECORD_STATUSES:
                sealed.append(("record", str(row.get(values, "claim_id"))))
        _write_links(connection, links)
    if sealed:
        stamp = dt.datetime.now(dt.UTC)
        connection.execute(
            insert(chain_seals),
            [
                {
                    "subject": subject,
                    "subject_key": key,
                    "seq": now.seq,
                    "chain_hash": now.chain_hash,
                    "sealed_at": stamp,
                }
                for subject, key in sealed
            ],
        )
    return now


def columns(table: Table) -> list[str]:
    """The columns a row's content covers, in table order: all but the key and the derived
    ones (a row's shift date, checked against its shift by verify-ledger: decision 0594)."""
    key = key_column(table)
    return [c.name for c in table.columns if c.name != key and not derived(c)]


def _selected(column: Column[Any], dialect: str, quote: Callable[[str], str]) -> str:
    """A column as the chain reads it: already canonical from the database where it can be.

    SQLite holds the canonical forms (micro-units, ISO dates, UTC moments as text); PostgreSQL
    is asked for them (psycopg would give Decimal, date and zoned datetime objects, slow to
    convert one by one in Python).
    """
    name = quote(column.name)
    if dialect != "postgresql":
        return name
    if isinstance(column.type, ExactDecimal):
        return f"CAST({name} * {10**STORED_PLACES} AS BIGINT)"
    if isinstance(column.type, DateTime):
        return f"to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    if isinstance(column.type, Date):
        return f"to_char({name}, 'YYYY-MM-DD')"
    return name


def hashed_rows(
    connection: Connection,
    table: Table,
    lower: int | None = None,
    absent: frozenset[str] = frozenset(),
    limit: int = CHUNK,
) -> Iterator[Hashed]:
    """(key, batch, content hash, values) of the table's rows as stored, in key order (the
    values canonical, in `columns(table)` order), those above `lower` when it is given.

    Read a page at a time by key through the driver (no per-value type processing), each page
    finished before the caller writes links.
    """
    key = key_column(table)
    names = [key, *columns(table)]
    dialect = connection.dialect.name
    flags = [i for i, name in enumerate(names[1:]) if isinstance(table.c[name].type, Boolean)]
    hashed = row_hasher(names[1:])
    at_batch = names.index("batch_id") - 1 if "batch_id" in names else None
    quote = connection.dialect.identifier_preparer.quote  # a column may be called `by`
    selected = [
        "NULL" if name in absent else _selected(table.c[name], dialect, quote) for name in names
    ]
    select_from = f"SELECT {', '.join(selected)} FROM {quote(table.name)}"
    for page in _pages(connection, table, select_from, lower, limit):
        for raw in page:
            values = list(raw[1:])
            for i in flags:  # 0/1 on SQLite
                if values[i] is not None:
                    values[i] = bool(values[i])
            batch = values[at_batch] if at_batch is not None else None
            yield str(raw[0]), batch if isinstance(batch, int) else None, hashed(values), values


def _pages(
    connection: Connection, table: Table, select_from: str, lower: int | None, limit: int
) -> Iterator[list[Any]]:
    """The rows of `select_from` (the key first) above `lower`, a page of `limit` at a time."""
    quote = connection.dialect.identifier_preparer.quote
    key = quote(key_column(table))
    order = f"ORDER BY {key} LIMIT {limit}"
    after = f"WHERE {key} > {'%s' if connection.dialect.name == 'postgresql' else '?'}"
    last: Any = lower
    while True:
        if last is None:  # the first page of a table read whole (a text key has no floor)
            page = list(connection.exec_driver_sql(f"{select_from} {order}").all())
        else:
            page = list(connection.exec_driver_sql(f"{select_from} {after} {order}", (last,)).all())
        yield page
        if len(page) < limit:
            return
        last = page[-1][0]


def unlinked(
    connection: Connection, table: Table, floor: Floor | None, absent: frozenset[str] = frozenset()
) -> Iterator[Hashed]:
    """The table's rows above the floor's key that no link names yet: only links after the
    floor's head can name them (another writer's that committed first), read once, not joined."""
    lower = floor.key if floor is not None else None
    rows = hashed_rows(connection, table, lower, absent)
    linked = _linked(connection, table, floor)
    return (row for row in rows if row[0] not in linked)


def _linked(connection: Connection, table: Table, floor: Floor | None) -> set[str]:
    since = floor.seq if floor is not None and floor.key is not None else 0
    query = select(chain_links.c.row_key).where(
        chain_links.c.table_name == table.name, chain_links.c.seq > since
    )
    return set(connection.scalars(query))


def unlinked_prepared(
    connection: Connection, table: Table, floor: Floor, prepared: Prepared
) -> Iterator[Hashed]:
    """`unlinked` for a table whose writer prepared its rows' content hashes: only each row's
    key and the columns naming it are read; a row the writer did not prepare (written in the
    same transaction some other way) is read and hashed whole, as `unlinked` would."""
    linked = _linked(connection, table, floor)
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in (key_column(table), *prepared.by))
    hash_of = prepared.lookup()
    for page in _pages(
        connection, table, f"SELECT {names} FROM {quote(table.name)}", floor.key, CHUNK
    ):
        for raw in page:
            key = str(raw[0])
            if key in linked:
                continue
            content = hash_of(tuple(raw[1:]))
            if content is None:
                whole = hashed_rows(connection, table, int(raw[0]) - 1, limit=1)
                content = next(whole)[2]
            yield key, None, content, []


def _write_links(connection: Connection, links: list[tuple[Any, ...]]) -> None:
    if not links:
        return
    names = [c.name for c in chain_links.columns]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY chain_links ({', '.join(names)}) FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)
    else:
        marks = ", ".join("?" * len(names))
        cursor.executemany(f"INSERT INTO chain_links ({', '.join(names)}) VALUES ({marks})", links)
    cursor.close()


def chain_everything(connection: Connection) -> Head:
    """Link every row not yet linked, table by table in key order (the migration's pass).

    Only the tables and columns the database has yet: a later migration creates the rest,
    empty (a column a later migration adds is read as empty, as it will then be)."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    names = [n for n in CHAINED_NAMES if n in present]
    absent = {
        name: frozenset(
            set(CHAINED[name].c.keys()) - {c["name"] for c in inspector.get_columns(name)}
        )
        for name in names
    }
    return extend(connection, dict.fromkeys(names, Floor(None, 0)), whole=True, absent=absent)
