"""What blocks a period's lock: open findings, uncredited output, unpayable work, open disputes.

A blocker names the shift (or slip line) and the workers it touches, so that a lock made over
it with an override can say so on exactly the slip lines it concerns, and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stakhanov.domain.audit import Finding, FindingKind
from stakhanov.domain.disputes import Dispute, Subject
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook

# Findings that question what a worker is paid for; "assisted" and "prepared" only explain it.
BLOCKING_FINDINGS = (FindingKind.POOLED, FindingKind.IMPLAUSIBLE, FindingKind.UNCREDITED)


class BlockKind(StrEnum):
    POOLED = "pooled"
    IMPLAUSIBLE = "implausible"
    UNCREDITED = "uncredited"
    UNPAYABLE = "unpayable"
    DISPUTE = "dispute"


@dataclass(frozen=True)
class Blocker:
    kind: BlockKind
    subject: str  # a shift id, or a dispute's reference
    worker_ids: tuple[str, ...]
    message: str
    operation: str | None = None
    line_key: str | None = None  # the one slip line a pay dispute names
    # A grade the scale does not pay stops the close itself (with its located problem): no
    # override can pay it. Work no scale covers is listed but blocks nothing: its unit may be
    # paid outside stakhanov (scales cover the operations they list).
    overridable: bool = True
    blocks: bool = True

    def concerns(self, worker_id: str, line: PayLine) -> bool:
        """Whether the slip line of a worker is one this blocker questions."""
        if worker_id not in self.worker_ids:
            return False
        if self.line_key is not None:
            return line.key == self.line_key
        # A shift's lines are keyed code:shift:operation (piece, tiers, bonuses, rejects).
        parts = line.key.split(":")
        return (
            len(parts) >= 3
            and parts[1] == self.subject
            and (self.operation is None or parts[2] == self.operation)
        )

    @property
    def words(self) -> str:
        """What a search of the check's list looks in: kind, shift or line, workers, message."""
        return " ".join(
            [self.kind.value, self.subject, self.operation or "", *self.worker_ids, self.message]
        )

    @property
    def label(self) -> str:
        what = f"{self.subject} {self.operation}" if self.operation else self.subject
        return f"{self.kind.value} {what}"


def finding_blockers(open_findings: Iterable[Finding]) -> list[Blocker]:
    """The open (unreviewed) findings that block a lock."""
    return [
        Blocker(BlockKind(f.kind.value), f.shift_id, f.worker_ids, f.message, f.operation)
        for f in open_findings
        if f.kind in BLOCKING_FINDINGS
    ]


@dataclass(frozen=True)
class Unpayable:
    """Why work of one operation, date and grade cannot be paid."""

    why: str
    covered: bool  # a scale covers the operation (then the grade has no tariff in it)


def why_unpayable(
    operation: str, on: dt.date, grade: str | None, scales: ScaleBook
) -> Unpayable | None:
    """Why work of an operation on a date by a worker of a grade is not paid; None if it is.

    Whether work is payable depends on these three alone, so a period's check decides each
    distinct combination once (services.lock_check), not each crew row."""
    covering = scales.covering(operation, on)
    if not covering:
        return Unpayable(f"no pay scale covers {operation} on {on}; not paid here", False)
    if all(s.tariff(grade) is None for s in covering):
        names = ", ".join(s.label for s in covering)
        return Unpayable(f"grade {grade or '(none)'} has no tariff in {names}", True)
    return None


def unpayable_blocker(worker_id: str, shift_id: str, operation: str, found: Unpayable) -> Blocker:
    """The blocker of one worker's unpayable work in one shift and operation."""
    return Blocker(
        BlockKind.UNPAYABLE,
        shift_id,
        (worker_id,),
        f"worker {worker_id} cannot be paid for {operation}: {found.why}",
        operation,
        overridable=not found.covered,
        blocks=found.covered,
    )


def unpayable(ledger: Ledger, period: Period, scales: ScaleBook) -> list[Blocker]:
    """Work of the period no scale pays: no scale for the operation, or none for the grade.

    The reference: row by row over the ledger, in crew key order (shift, worker, operation),
    one blocker per key."""
    found: dict[tuple[str, str, str], Blocker] = {}
    for entry in sorted(ledger.crew, key=lambda e: e.key):
        shift = ledger.shifts.get(entry.shift_id)
        if shift is None or shift.date not in period:
            continue
        worker = ledger.workers.get(entry.worker_id)
        grade = worker.grade if worker is not None else None
        why = why_unpayable(entry.operation, shift.date, grade, scales)
        if why is not None:
            found.setdefault(
                entry.key, unpayable_blocker(entry.worker_id, entry.shift_id, entry.operation, why)
            )
    return list(found.values())


def dispute_blockers(
    disputes: Iterable[Dispute], period: Period, shift_ids: set[str]
) -> list[Blocker]:
    """Open disputes on a shift of the period or on a line of the period's slips."""
    found = []
    for d in disputes:
        if d.status != "open":
            continue
        line_key = None
        if d.subject is Subject.SHIFT and d.reference in shift_ids:
            pass
        elif d.subject is Subject.PAY_LINE and d.reference.startswith(f"{period}:"):
            line_key = d.reference[len(f"{period}:") :]
        else:
            continue
        message = f"dispute {d.dispute_id} by {d.worker_id} on {d.reference} is open: {d.text}"
        found.append(
            Blocker(BlockKind.DISPUTE, d.reference, (d.worker_id,), message, line_key=line_key)
        )
    return found


def overridden(slips: Sequence[PaySlip], blockers: Sequence[Blocker], reason: str) -> list[PaySlip]:
    """The slips with every line a blocker questions saying so, and the override's reason."""
    # A line is asked only about its worker's blockers, in their order: a month's lines times
    # its blockers would be millions of questions.
    by_worker: dict[str, list[Blocker]] = {}
    for blocker in blockers:
        for worker_id in dict.fromkeys(blocker.worker_ids):
            by_worker.setdefault(worker_id, []).append(blocker)

    def noted(worker_id: str, line: PayLine, his: list[Blocker]) -> PayLine:
        over = [b.label for b in his if b.concerns(worker_id, line)]
        if not over:
            return line
        note = f"; paid over open {', '.join(over)} (locked with override: {reason})"
        return dataclasses.replace(line, explain=line.explain + note)

    found = []
    for slip in slips:
        his = by_worker.get(slip.worker_id)
        if his is None:
            found.append(slip)
            continue
        found.append(
            dataclasses.replace(
                slip,
                lines=tuple(noted(slip.worker_id, line, his) for line in slip.lines),
                deductions=tuple(noted(slip.worker_id, line, his) for line in slip.deductions),
            )
        )
    return found
