"""The bank-transfer list of a closed period: each worker's net pay, with their bank reference.

Bank references come from a file given with the export, never from the ledger: an append-only
ledger could not forget a worker's account when the worker asks it to (decision 0442).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.wording import say

COLUMNS = ("worker_id", "bank_reference")
MAX_REFERENCE = 100


@dataclass(frozen=True)
class Transfer:
    worker_id: str
    name: str
    bank_reference: str
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class Transfers:
    """What the bank pays, and the slips it does not (a net of zero or below)."""

    transfers: list[Transfer]
    unpaid: list[str]

    def totals(self) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for t in self.transfers:
            found[t.currency] = found.get(t.currency, Decimal(0)) + t.amount
        return found


def parse_references(
    header: Sequence[str], rows: Iterable[Sequence[str]], file: str
) -> tuple[dict[str, str], list[Problem]]:
    """worker_id -> bank reference from CSV rows (row 1 is the header); every problem listed."""
    problems: list[Problem] = []
    if tuple(h.strip() for h in header) != COLUMNS:
        return {}, [
            Problem(
                Source(file, 1),
                "-",
                say("expected the columns %(columns)s", columns=",".join(COLUMNS)),
            )
        ]
    found: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        if len(row) != len(COLUMNS):
            problems.append(Problem(Source(file, number), "-", say("expected 2 cells")))
            continue
        worker_id, reference = (cell.strip() for cell in row)
        if not worker_id:
            problems.append(Problem(Source(file, number), "worker_id", say("is empty")))
        elif worker_id in found:
            problems.append(Problem(Source(file, number), "worker_id", say("given twice")))
        if not reference or len(reference) > MAX_REFERENCE:
            message = say("a reference of 1 to %(most)d characters is required", most=MAX_REFERENCE)
            problems.append(Problem(Source(file, number), "bank_reference", message))
        found[worker_id] = reference
    return found, problems


def transfers(
    nets: Iterable[tuple[str, str, str, Decimal]], references: Mapping[str, str], file: str
) -> tuple[Transfers, list[Problem]]:
    """A transfer per slip with net pay above zero; a worker paid without a reference is a
    problem naming the worker (nothing is listed then)."""
    found, unpaid, problems = [], [], []
    for worker_id, name, currency, net in nets:
        if net <= 0:
            unpaid.append(worker_id)
            continue
        reference = references.get(worker_id)
        if not reference:
            message = say(
                "no bank reference for worker %(worker_id)r (%(name)s), paid %(net)s %(currency)s",
                worker_id=worker_id,
                name=name,
                net=net,
                currency=currency,
            )
            problems.append(Problem(Source(file, 0), "worker_id", message))
            continue
        found.append(Transfer(worker_id, name, reference, currency, net))
    return Transfers(found, unpaid), problems
