"""Exports of a closed period for accounting and the bank, read from the locked slips.

Nothing is recomputed: every figure is a stored line or slip, so an export of a period says
exactly what was paid, however the ledger or the scales changed after the close. Lines are
streamed off a cursor; only per-worker sums (the journal, the bank list) are held at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.bank import Transfers, parse_references, transfers
from stakhanov.domain.errors import Problem, Refusal, Refused, Source
from stakhanov.domain.journal import Accounts, JournalRow, journal
from stakhanov.domain.periods import Period
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.store import pay_exports as store
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import ClosedPeriod, PayStore
from stakhanov.store.records import WORKERS

LINE_COLUMNS = (
    "from",
    "to",
    "worker_id",
    "name",
    "currency",
    "section",
    "position",
    "code",
    "key",
    "quantity",
    "unit",
    "rate",
    "amount",
    "explain",
    "reference",
)
JOURNAL_COLUMNS = (
    "date",
    "reference",
    "cost_centre",
    "account",
    "code",
    "currency",
    "debit",
    "credit",
    "description",
)
BANK_COLUMNS = ("worker_id", "name", "bank_reference", "currency", "amount", "reference")


class NotClosed(Refused):
    """Exports read a closed period's locked slips; this period is not closed."""

    def __init__(self, period: Period) -> None:
        super().__init__(
            say(
                "%(period)s is not a closed pay period: exports read the locked slips of a "
                "closed period (`payroll periods` lists them; close it first)",
                period=str(period),
            ),
            field="period",
            kind=Refusal.NOT_FOUND,
        )


class BankRefused(Refused):
    """The bank list cannot be made as asked; nothing was written."""


@dataclass(frozen=True)
class Reading:
    """A closed period open for export, on one connection."""

    connection: Connection
    closed: ClosedPeriod

    @property
    def reference(self) -> str:
        return f"pay {self.closed.period}"

    def count(self) -> int:
        return store.line_count(self.connection, self.closed.period_id)

    def lines(self) -> Iterator[dict[str, Any]]:
        """Every slip line as a row of LINE_COLUMNS, streamed."""
        start, end = self.closed.period.start, self.closed.period.end
        for found in store.lines(self.connection, self.closed.period_id):
            slip = {k: v for k, v in found.__dict__.items() if k != "line"}
            yield {"from": start, "to": end, **slip, **found.line.as_dict()}

    def units(self) -> dict[str, str]:
        workers = LedgerStore(self.connection).records(WORKERS, Worker)
        return {w.worker_id: w.unit for w in workers}

    def journal(self, accounts: Accounts) -> list[JournalRow]:
        totals = store.line_totals(self.connection, self.closed.period_id)
        return journal(totals, self.units(), accounts)

    def journal_rows(self, entries: list[JournalRow]) -> list[dict[str, Any]]:
        return [
            {"date": self.closed.period.end, "reference": self.reference, **r.__dict__}
            for r in entries
        ]

    def bank(self, references: Mapping[str, str], file: str) -> Transfers:
        """The transfers; refused, naming every worker, when a paid worker has no reference."""
        nets = (
            (n.worker_id, n.name, n.currency, n.net)
            for n in store.nets(self.connection, self.closed.period_id)
        )
        found, problems = transfers(nets, references, file)
        if problems:
            raise BankRefused(problems=problems)
        return found

    def bank_rows(self, found: Transfers) -> list[dict[str, Any]]:
        return [{**t.__dict__, "reference": self.reference} for t in found.transfers]


@contextmanager
def reading(engine: Engine, period: Period) -> Iterator[Reading]:
    """The closed period for export; refused when the period is not closed as given."""
    with engine.connect() as connection:
        closed = next((c for c in PayStore(connection).periods() if c.period == period), None)
        if closed is None:
            raise NotClosed(period)
        yield Reading(connection, closed)


def references_from_text(text: str, file: str) -> dict[str, str]:
    """Bank references from CSV text (`worker_id,bank_reference`); refused with every problem."""
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise BankRefused(problems=[Problem(Source(file, 1), "-", say("the file is empty"))])
    found, problems = parse_references(rows[0], rows[1:], file)
    if problems:
        raise BankRefused(problems=problems)
    return found


def references_from_file(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        problem = Problem(
            Source(path.name, 0), "-", say("cannot read the file: %(err)s", err=str(err))
        )
        raise BankRefused(problems=[problem]) from err
    return references_from_text(text, path.name)
