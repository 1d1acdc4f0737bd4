"""Pay on a connection: the stored scale versions, closed periods, and their locked slips."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, insert, select

from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.canonical import canonical_value, row_hasher
from stakhanov.domain.errors import Problem
from stakhanov.domain.hours import read_hours, stored_hours
from stakhanov.domain.payslips import PayLine, PaySlip, Section
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale
from stakhanov.domain.values import STORED_PLACES, places_of
from stakhanov.store import chain
from stakhanov.store.bulk import analyze
from stakhanov.store.ledger import LedgerStore, now
from stakhanov.store.pay_tables import LOCKED_TABLES, pay_lines, pay_periods, pay_slips
from stakhanov.store.recognition_tables import (
    awards,
    claim_decisions,
    record_claims,
    title_events,
    title_grants,
)
from stakhanov.store.records import SCALES, ScaleDocument
from stakhanov.store.schema import batches
from stakhanov.store.types import keeping, kept, micro_units

T = TypeVar("T")
WRITE_BATCH = 5_000  # rows per executemany of a close's slips and lines
ANALYZE_LINES = 10_000  # a close writing this many lines refreshes the statistics (0549, 0590)


@dataclass(frozen=True)
class Totals:
    """What a closed period's row says of its slips, known before they are written."""

    slips: int
    gross: Decimal
    net: Decimal
    digest: str

    @classmethod
    def of(cls, slips: tuple[PaySlip, ...], digest: str) -> Totals:
        gross = sum((s.gross for s in slips), Decimal(0))
        return cls(len(slips), gross, sum((s.net for s in slips), Decimal(0)), digest)


@dataclass(frozen=True)
class ClosedPeriod:
    period_id: int
    period: Period
    closed_at: dt.datetime
    batch_id: int
    slips: int
    gross: Decimal
    net: Decimal
    digest: str


class PayStore:
    """Reads scales and closed periods, and writes a closed period once."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ledger = LedgerStore(connection)

    def documents(self) -> list[tuple[int, ScaleDocument]]:
        return [
            (entry_id, record)
            for entry_id, record in self.ledger.current(SCALES)
            if isinstance(record, ScaleDocument)
        ]

    def scales(self) -> tuple[list[PayScale], list[Problem]]:
        """Every current scale version, parsed from its stored text."""
        found, problems = [], []
        for _, document in self.documents():
            origin = document.origin
            scale, wrong = parse_scale(
                document.document, origin.file if origin else document.name, pack_text
            )
            problems += wrong
            if scale is not None:
                found.append(scale)
        return found, problems

    def last_changes(self) -> tuple[int, dt.datetime | None]:
        """The last batch that can change pay (anything but a close) and the last write to what
        award bonuses read: what a closed period's corrections are judged against."""
        batch = self.connection.execute(
            select(func.max(batches.c.batch_id)).where(batches.c.kind != "payroll")
        ).scalar()
        # Award bonuses follow the awards and the standing of their claims and titles.
        written = [
            self.connection.execute(select(func.max(table.c.written_at))).scalar()
            for table in (awards, record_claims, claim_decisions, title_grants, title_events)
        ]
        found = [w for w in written if w is not None]
        return int(batch or 0), max(found) if found else None

    def periods(self) -> list[ClosedPeriod]:
        rows = self.connection.execute(select(pay_periods).order_by(pay_periods.c.start_date))
        return [
            ClosedPeriod(
                row.period_id,
                Period(row.start_date, row.end_date),
                row.closed_at,
                row.batch_id,
                row.slips,
                kept(row, "gross"),
                kept(row, "net"),
                row.digest,
            )
            for row in rows
        ]

    def write(self, period: Period, batch_id: int, slips: Iterable[PaySlip], totals: Totals) -> int:
        """Write a closed period with its slips and lines; nothing of it can change afterwards.

        The slips may stream (a close spools them to disk): they are written a batch at a time.
        The period, its slips and lines join the hash chain when the close commits, and the
        period is sealed with the chain's head then (store/chain.py).
        """
        for table in LOCKED_TABLES:  # noted even if a faster writer bypasses statements
            chain.note(self.connection, table)
        result = self.connection.execute(
            insert(pay_periods).values(
                start_date=period.start,
                end_date=period.end,
                batch_id=batch_id,
                closed_at=now(),
                slips=totals.slips,
                digest=totals.digest,
                **keeping(gross=totals.gross, net=totals.net),
            )
        )
        assert result.inserted_primary_key is not None
        period_id = int(result.inserted_primary_key[0])
        # In bulk: the slips in batches that return their ids in order, then their lines.
        dialect = self.connection.dialect.name
        # The chain is handed each row's content hash, taken from the canonical cells written
        # here, so that the commit does not read the rows back (decision 0567).
        returning = insert(pay_slips).returning(pay_slips.c.slip_id, sort_by_parameter_order=True)
        written = 0
        for chunk in batched(slips, WRITE_BATCH):
            slip_rows = [_slip_row(period_id, s) for s in chunk]
            slip_ids = list(self.connection.execute(returning, slip_rows).scalars())
            chain.prepare(
                self.connection,
                pay_slips,
                (pay_slips.c.slip_id.name,),
                {(i,): _slip_hash(row) for i, row in zip(slip_ids, slip_rows, strict=True)},
            )
            hashes: dict[tuple[Any, ...], str] = {}
            cells = (
                _line_cells(slip_id, position, section, line)
                for slip_id, slip in zip(slip_ids, chunk, strict=True)
                for section, lines in (
                    (Section.EARNING, slip.lines),
                    (Section.DEDUCTION, slip.deductions),
                )
                for position, line in enumerate(lines)
            )
            _append_lines(self.connection, _hashed_lines(cells, hashes, dialect))
            chain.prepare(self.connection, pay_lines, LINE_NAMING, hashes)
            written += len(chunk)
        assert written == totals.slips, f"{written} slips written, {totals.slips} counted"
        return period_id

    def slips(self, closed: ClosedPeriod, worker_id: str | None = None) -> list[PaySlip]:
        """The locked slips of a closed period, exactly as they were written."""
        query = select(pay_slips).where(pay_slips.c.period_id == closed.period_id)
        if worker_id is not None:
            query = query.where(pay_slips.c.worker_id == worker_id)
        heads = self.connection.execute(query.order_by(pay_slips.c.worker_id)).all()
        lines: dict[int, dict[str, list[PayLine]]] = defaultdict(lambda: defaultdict(list))
        ids = [h.slip_id for h in heads]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.connection.execute(
                select(pay_lines)
                .where(pay_lines.c.slip_id.in_(chunk))
                .order_by(pay_lines.c.slip_id, pay_lines.c.section, pay_lines.c.position)
            )
            for row in rows:
                lines[row.slip_id][row.section].append(pay_line(row))
        return [
            PaySlip(
                h.worker_id,
                h.name,
                h.currency,
                closed.period,
                tuple(lines[h.slip_id][Section.EARNING]),
                tuple(lines[h.slip_id][Section.DEDUCTION]),
            )
            for h in heads
        ]


def pay_line(row: Any) -> PayLine:
    """A stored line of `pay_lines`, as it was written."""
    return PayLine(
        row.code,
        row.key,
        read_hours(kept(row, "quantity"), row.quantity_exact),
        row.unit,
        kept(row, "rate"),
        kept(row, "amount"),
        row.explain,
        row.reference,
    )


def _slip_row(period_id: int, slip: PaySlip) -> dict[str, Any]:
    return {
        "period_id": period_id,
        "worker_id": slip.worker_id,
        "name": slip.name,
        "currency": slip.currency,
        **keeping(gross=slip.gross, deducted=slip.deducted, net=slip.net),
    }


# The lines go in on the raw driver connection of the same transaction (COPY on PostgreSQL, one
# executemany per chunk on SQLite): a close writes a line per paid result, and SQLAlchemy's
# per-row parameter processing cost more than computing them.
# The table's columns after its generated id, in table order (what the chain's content
# covers); `_line_cells` follows it.
LINE_COLUMNS = tuple(chain.columns(pay_lines))
LINE_NAMING = ("slip_id", "section", "position")  # a line before its id is known
_EXACT_CELLS = tuple(LINE_COLUMNS.index(name) for name in ("quantity", "rate", "amount"))
_AT_NAMING = tuple(LINE_COLUMNS.index(name) for name in LINE_NAMING)
SLIP_COLUMNS = tuple(chain.columns(pay_slips))
_line_hash = row_hasher(LINE_COLUMNS)
_slip_content = row_hasher(SLIP_COLUMNS)


def _slip_hash(row: dict[str, Any]) -> str:
    """A slip row's content hash as the chain takes it from the stored row."""
    return _slip_content(
        [None if row[n] is None else canonical_value(row[n]) for n in SLIP_COLUMNS]
    )


def _line_cells(slip_id: int, position: int, section: Section, line: PayLine) -> tuple[Any, ...]:
    """A line's row in LINE_COLUMNS order, canonical: each exact decimal in micro-units, as
    SQLite stores it and the chain hashes it."""
    quantity, exact = stored_hours(line.quantity)  # 1/3 h beside its rounded decimal
    numbers = (quantity, line.rate, line.amount)
    return (
        slip_id,
        position,
        section.value,
        line.code,
        line.key,
        micro_units(quantity),
        line.unit,
        micro_units(line.rate),
        micro_units(line.amount),
        line.explain,
        line.reference,
        *(places_of(n) for n in numbers),
        exact,
    )


def _hashed_lines(
    cells: Iterable[tuple[Any, ...]], hashes: dict[tuple[Any, ...], str], dialect: str
) -> Iterator[tuple[Any, ...]]:
    """The lines' canonical cells as the dialect's columns take them, each line's content hash
    noted in `hashes` by LINE_NAMING on the way."""
    for row in cells:
        hashes[tuple(row[i] for i in _AT_NAMING)] = _line_hash(row)
        if dialect == "postgresql":
            stored = list(row)
            for i in _EXACT_CELLS:
                stored[i] = Decimal(row[i]).scaleb(-STORED_PLACES)
            row = tuple(stored)
        yield row


def _append_lines(connection: Connection, rows: Iterable[tuple[object, ...]]) -> None:
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    names = ", ".join(LINE_COLUMNS)
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY {pay_lines.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {pay_lines.name} ({names}) VALUES ({', '.join('?' * len(LINE_COLUMNS))})"
    for chunk in batched(rows, WRITE_BATCH):
        cursor.executemany(sql, chunk)


def batched(rows: Iterable[T], size: int) -> Iterable[list[T]]:
    """Consecutive lists of `size` rows (the last shorter), without holding them all."""
    found = iter(rows)
    while chunk := list(islice(found, size)):
        yield chunk


def analyze_after_close(engine: Engine, lines: int) -> None:
    """Refresh the planner's statistics of the slips and lines after a close of many lines.

    The pay slips pages read them by period and worker; with autovacuum off or late the
    planner would still see the tables as they were before the close (decision 0590).
    """
    if lines >= ANALYZE_LINES:
        analyze(engine, (pay_slips, pay_lines))
