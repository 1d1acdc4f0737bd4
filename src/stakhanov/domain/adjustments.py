"""Adjustments: a closed period never changes, so a late correction is paid in a later one.

Each line of a closed period is compared, by its key, with what the corrected ledger gives now,
less what earlier adjustments already paid for it. Every difference becomes an `adjustment`
line that names the period and line it corrects (its `reference`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from stakhanov.domain.payroll import Adjustments
from stakhanov.domain.payslips import PayLine, PaySlip, Section, figure
from stakhanov.domain.periods import Period

ADJUSTMENT = "adjustment"
Key = tuple[str, Section, str]  # worker, section, line key


def adjustment_lines(slip: PaySlip) -> Adjustments:
    """The adjustment lines a slip carries, to recompute its period exactly as it was closed."""
    return Adjustments(
        slip.currency,
        tuple(line for line in slip.lines if line.code == ADJUSTMENT),
        tuple(line for line in slip.deductions if line.code == ADJUSTMENT),
    )


def _sections(slip: PaySlip) -> Iterable[tuple[Section, PayLine]]:
    yield from ((Section.EARNING, line) for line in slip.lines)
    yield from ((Section.DEDUCTION, line) for line in slip.deductions)


def corrections(
    period: Period,
    paid: Sequence[PaySlip],
    later: Sequence[PaySlip],
    recomputed: Sequence[PaySlip],
) -> dict[str, Adjustments]:
    """What to pay later, per worker, so that `period` ends up paid as `recomputed` says.

    `paid` are its locked slips; `later` the slips of periods closed after it, whose adjustment
    lines that reference `period` were already paid.
    """
    prefix = f"{period}:"
    old: dict[Key, Decimal] = defaultdict(Decimal)
    currency: dict[str, str] = {}
    for slip in paid:
        currency[slip.worker_id] = slip.currency
        for section, line in _sections(slip):
            old[(slip.worker_id, section, line.key)] += line.amount
    for slip in later:
        for section, line in _sections(slip):
            reference = line.reference or ""
            if line.code == ADJUSTMENT and reference.startswith(prefix):
                old[(slip.worker_id, section, reference[len(prefix) :])] += line.amount
    new: dict[Key, PayLine] = {}
    for slip in recomputed:
        currency[slip.worker_id] = slip.currency
        for section, line in _sections(slip):
            new[(slip.worker_id, section, line.key)] = line
    found: dict[str, tuple[list[PayLine], list[PayLine]]] = {}
    for key in sorted(set(old) | set(new)):
        worker_id, section, line_key = key
        was = old.get(key, Decimal(0))
        due = new.get(key)
        now = due.amount if due else Decimal(0)
        if now == was:
            continue
        what = f"now: {due.explain}" if due else "the line no longer applies"
        adjustment = PayLine(
            ADJUSTMENT,
            f"{ADJUSTMENT}:{period}:{line_key}",
            Decimal(1),
            "correction",
            now - was,
            now - was,
            f"correction of {period}, {line_key}: paid {figure(was)}, due {figure(now)}; "
            f"{figure(now)} - {figure(was)} = {figure(now - was)} ({what})",
            f"{prefix}{line_key}",
        )
        lines, deductions = found.setdefault(worker_id, ([], []))
        (lines if section is Section.EARNING else deductions).append(adjustment)
    return {
        worker_id: Adjustments(currency[worker_id], tuple(lines), tuple(deductions))
        for worker_id, (lines, deductions) in found.items()
    }


def merged(parts: Iterable[dict[str, Adjustments]]) -> dict[str, Adjustments]:
    """Adjustments of several closed periods, joined per worker in the order given."""
    joined: dict[str, Adjustments] = {}
    for part in parts:
        for worker_id, more in part.items():
            have = joined.get(worker_id, Adjustments(more.currency))
            joined[worker_id] = Adjustments(
                have.currency, have.lines + more.lines, have.deductions + more.deductions
            )
    return joined
