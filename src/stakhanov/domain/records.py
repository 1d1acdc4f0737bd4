"""Records: claims, their verification, and the best verified result in every scope.

A claim names a worker's result (an operation on a date, optionally a shift). It may be
registered before the shift with the declared crew, helpers, conditions and witnesses. An
auditor outside the crew then verifies it; the outcome follows from the ledger, not from the
auditor's wish:
- open pooled or implausible findings on the shift block any decision until reviewed;
- an upheld pooled or implausible finding rejects it: the claimed figure is not the worker's own;
- a prepared or assisted shift, or pooled credits that were explained, make it an assisted
  record, shown with its fair percentage beside the stated one;
- otherwise it is verified.
Records are chosen among verified claims, and assisted records among assisted ones, by the
fair value of each measure; a claimed or rejected result never counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from stakhanov.domain.attribution import CrewGroup, crew_groups
from stakhanov.domain.audit import Decision, Finding, FindingKind
from stakhanov.domain.fulfilment import Result, results
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import ASSIST
from stakhanov.domain.scopes import ScopeKey, scope_order
from stakhanov.domain.shifts import Conditions
from stakhanov.domain.values import require_text

BLOCKING = (FindingKind.POOLED, FindingKind.IMPLAUSIBLE)


class ClaimStatus(StrEnum):
    CLAIMED = "claimed"
    VERIFIED = "verified"
    ASSISTED = "assisted"
    REJECTED = "rejected"


class Measure(StrEnum):
    OUTPUT = "output"  # absolute output per shift, compared only between equal hours
    PERCENT = "percent"  # percentage of the norm
    PER_HOUR = "per-hour"  # output per hour worked


@dataclass(frozen=True)
class CrewMember:
    """A declared member of an attempt: the operation they work, or `assist`."""

    worker_id: str
    operation: str


@dataclass(frozen=True)
class Claim:
    claim_id: str
    worker_id: str
    operation: str
    date: dt.date
    shift_id: str | None = None
    pre_registered: bool = False
    declared: bool = False  # crew, helpers and conditions were declared with the claim
    conditions: Conditions = Conditions.STANDARD
    crew: tuple[CrewMember, ...] = ()
    resources: str | None = None
    witnesses: tuple[str, ...] = ()
    registered_by: str = ""
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "claim_id", require_text("claim_id", self.claim_id))
        object.__setattr__(self, "worker_id", require_text("worker_id", self.worker_id))
        object.__setattr__(self, "operation", require_text("operation", self.operation))

    @property
    def declared_prepared(self) -> bool:
        return self.conditions is Conditions.PREPARED or bool(self.resources)


@dataclass(frozen=True)
class ClaimDecision:
    """An auditor's decision, valid for the ledger facts it was made on (the fingerprint)."""

    claim_id: str
    status: ClaimStatus
    auditor: str
    evidence: str
    fingerprint: str
    reason: str | None = None


FindingState = tuple[Finding, Decision | None]
"""An audit finding with its review decision (None while open)."""


@dataclass(frozen=True)
class Located:
    """The ledger's result for a claim, or why there is none."""

    group: CrewGroup | None
    result: Result | None
    problem: str | None


def _groups(claim: Claim, ledger: Ledger) -> list[CrewGroup]:
    """The claimant's results on the operation in the named shift, or on the claim's date."""
    if claim.shift_id is None:
        shifts = [s for s in ledger.shifts.values() if s.date == claim.date]
    else:
        shifts = [s for s in (ledger.shifts.get(claim.shift_id),) if s is not None]
    found: list[CrewGroup] = []
    for shift in sorted(shifts, key=lambda s: s.shift_id):
        for group in crew_groups(ledger, shift):
            doers = {c.worker_id for c in group.doers}
            if group.operation == claim.operation and claim.worker_id in doers:
                found.append(group)
    return found


def shifts_claimed(claim: Claim, ledger: Ledger) -> list[str]:
    """The shift the claim names or, without one, every shift of its date with a result."""
    if claim.shift_id is not None:
        return [claim.shift_id]
    return [g.shift.shift_id for g in _groups(claim, ledger)]


def locate(claim: Claim, ledger: Ledger) -> Located:
    """Find the claimed result: the claimant credited on the operation in the named shift or,
    without a shift, in their one shift of that date."""
    found = _groups(claim, ledger)
    what = f"{claim.worker_id} {claim.operation} on {claim.date}"
    if claim.shift_id:
        what += f" in shift {claim.shift_id}"
    if not found:
        return Located(None, None, f"no result in the ledger for {what}")
    if len(found) > 1:
        ids = ", ".join(g.shift.shift_id for g in found)
        return Located(None, None, f"{what}: several shifts ({ids}); name one with --shift")
    group = found[0]
    if group.shift.date != claim.date:
        return Located(None, None, f"shift {group.shift.shift_id} is dated {group.shift.date}")
    day = group.shift.date
    result = next(
        r
        for r in results(ledger, day, day)
        if r.shift_id == group.shift.shift_id
        and r.worker_id == claim.worker_id
        and r.operation == claim.operation
    )
    return Located(group, result, None)


def fingerprint(group: CrewGroup) -> str:
    """The ledger facts a decision rests on; if any changes, the decision no longer applies."""
    shift, output = group.shift, group.output
    crew = "; ".join(
        f"{c.worker_id} {c.entry.operation} {c.hours} h {c.quantity}" for c in group.doers
    )
    helpers = "; ".join(
        f"{h.worker_id} {h.operation} {h.hours} h"
        for h in sorted(group.helpers, key=lambda h: (h.worker_id, h.operation))
    )
    return (
        f"{shift.shift_id} {shift.date} {shift.hours} h {shift.conditions.value}; "
        f"{output.operation} {output.quantity} {output.unit} rejected {output.rejected}; "
        f"norm {group.norm.norm if group.norm else None}; crew {crew}; helpers {helpers}"
    )


@dataclass(frozen=True)
class Assessment:
    """What a verification of the claim would decide now, and what stands in its way."""

    claim: Claim
    located: Located
    blockers: tuple[str, ...]
    outcome: ClaimStatus
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    open_findings: tuple[Finding, ...] = ()

    @property
    def fingerprint(self) -> str | None:
        group = self.located.group
        return fingerprint(group) if group else None


def in_crew(auditor: str, claim: Claim, ledger: Ledger, shift_id: str | None) -> bool:
    """True if the auditor, by worker id or name, worked the shift or was declared for it."""
    ids = {claim.worker_id, *(m.worker_id for m in claim.crew)}
    if shift_id is not None:
        ids |= {e.worker_id for e in ledger.crew_of(shift_id)}
    names = {_folded(ledger.workers[i].name) for i in ids if i in ledger.workers}
    who = _folded(auditor)
    return who in {_folded(i) for i in ids} or who in names


def _folded(text: str) -> str:
    """A name or id as people write it: case and runs of spaces do not matter."""
    return " ".join(text.split()).casefold()


def _crew_discrepancies(claim: Claim, group: CrewGroup) -> tuple[list[str], list[str], list[str]]:
    """(declared but missing from the ledger, in the ledger but not declared, declared in
    another role than the ledger's). A worker in the ledger's crew in another role is not
    missing: their work is in the fair figure all the same."""
    declared = {(m.worker_id, m.operation) for m in claim.crew}
    declared.add((claim.worker_id, claim.operation))
    actual = {(c.worker_id, claim.operation) for c in group.doers}
    actual |= {(h.worker_id, h.operation) for h in group.helpers}
    declared_ids = {w for w, _ in declared}
    actual_ids = {w for w, _ in actual}
    missing = [f"{w} ({op})" for w, op in sorted(declared - actual) if w not in actual_ids]
    undeclared = [f"{w} ({op})" for w, op in sorted(actual - declared) if w not in declared_ids]
    moved = [
        f"{w} (declared {op}, logged {', '.join(sorted(o for a, o in actual if a == w))})"
        for w, op in sorted(declared - actual)
        if w in actual_ids
    ]
    return missing, undeclared, moved


def assess(
    claim: Claim,
    ledger: Ledger,
    findings: Iterable[FindingState] = (),
    auditor: str | None = None,
) -> Assessment:
    """Decide what the claim can stand as, and list anything that blocks a decision."""
    located = locate(claim, ledger)
    blockers: list[str] = []
    reasons: list[str] = []
    notes: list[str] = []
    waiting: list[Finding] = []
    group = located.group
    if located.problem:
        blockers.append(located.problem)
    shift_id = group.shift.shift_id if group else claim.shift_id
    if auditor is not None and in_crew(auditor, claim, ledger, shift_id):
        blockers.append(f"auditor {auditor!r} is in the crew; verification needs an outsider")
    if group is None:
        return Assessment(claim, located, tuple(blockers), ClaimStatus.CLAIMED, (), ())
    for finding, decision in findings:
        if finding.kind not in BLOCKING:
            continue
        if (finding.shift_id, finding.operation) != (group.shift.shift_id, group.operation):
            continue
        if finding.kind is FindingKind.IMPLAUSIBLE and claim.worker_id not in finding.worker_ids:
            continue  # a co-worker's impossible credit does not overstate this worker's own
        if decision is None:
            waiting.append(finding)
            blockers.append(
                f"open {finding.kind.value} finding: {finding.message}; "
                "an auditor must explain or uphold it first (stakhanov audit review)"
            )
        elif decision is Decision.UPHELD:
            reasons.append(f"{finding.kind.value} finding upheld: {finding.message}")
        elif finding.kind is FindingKind.POOLED:
            notes.append(f"pooled finding explained: {finding.message}")
    hidden: list[str] = []  # co-workers on the claimed operation the declaration left out
    if claim.declared:
        missing, undeclared, moved = _crew_discrepancies(claim, group)
        if missing:
            blockers.append(
                f"declared crew missing from the ledger: {', '.join(missing)}; correct the "
                "crew (stakhanov import --correct) or reject the claim"
            )
        if undeclared:
            notes.append(f"not declared before the shift: {', '.join(undeclared)}")
        if moved:
            notes.append(f"declared in another role than logged: {', '.join(moved)}")
        declared_ids = {claim.worker_id, *(m.worker_id for m in claim.crew)}
        hidden = sorted({c.worker_id for c in group.doers} - declared_ids)
    if reasons:
        return Assessment(
            claim,
            located,
            tuple(blockers),
            ClaimStatus.REJECTED,
            tuple(reasons),
            tuple(notes),
            tuple(waiting),
        )
    if group.shift.prepared:
        reasons.append("the shift ran under prepared conditions")
    elif claim.declared_prepared:
        reasons.append("prepared conditions or resources were declared for the attempt")
    if group.assisted:
        helpers = ", ".join(
            f"{h.worker_id} ({'assist' if h.operation == ASSIST else h.operation})"
            for h in sorted(group.helpers, key=lambda h: (h.worker_id, h.operation))
        )
        reasons.append(f"helpers did work the norm includes or assisted: {helpers}")
    if group.pooled:
        reasons.append("co-workers' output is pooled in the credits")
    if hidden:
        reasons.append(
            f"co-workers on {claim.operation} in the ledger were not declared: {', '.join(hidden)}"
        )
    outcome = ClaimStatus.ASSISTED if reasons else ClaimStatus.VERIFIED
    return Assessment(
        claim, located, tuple(blockers), outcome, tuple(reasons), tuple(notes), tuple(waiting)
    )


def current_status(decisions: Iterable[ClaimDecision], facts: str | None) -> ClaimDecision | None:
    """The latest decision that still applies to the ledger facts; None means claimed again."""
    latest = None
    for decision in decisions:
        latest = decision
    if latest is None or latest.fingerprint != facts:
        return None
    return latest


# --- choosing records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A decided claim's result with the scopes it counts in."""

    claim_id: str
    status: ClaimStatus
    result: Result
    scopes: tuple[ScopeKey, ...]

    @property
    def fair_output(self) -> Fraction | None:
        """The output the worker's fair fulfilment stands for (the crew average, per hour)."""
        result = self.result
        if result.fair_earned is None or result.norm_output is None:
            honest = not (result.assisted or result.pooled)
            return Fraction(result.output) if honest else None
        return result.fair_earned * result.norm_output / Fraction(result.hours)

    def value(self, measure: Measure, fair: bool) -> Fraction | None:
        """The measure's value, exactly, so that equal results compare equal."""
        result = self.result
        if measure is Measure.PERCENT:
            return result.fair_percent if fair else result.percent
        found = self.fair_output if fair else Fraction(result.output)
        if found is not None and measure is Measure.PER_HOUR:
            found = found / Fraction(result.hours)
        return found


@dataclass(frozen=True)
class Slot:
    """Where a record stands: scope, operation, measure and, for output, the hours worked."""

    scope: ScopeKey
    operation: str
    unit: str | None
    measure: Measure
    hours: Decimal | None


@dataclass(frozen=True)
class StandingRecord:
    slot: Slot
    candidate: Candidate

    @property
    def status(self) -> ClaimStatus:
        return self.candidate.status


RECORD_STATUSES = (ClaimStatus.VERIFIED, ClaimStatus.ASSISTED)


def select_records(candidates: Iterable[Candidate]) -> list[StandingRecord]:
    """The best verified and the best assisted result in every slot, by fair value.

    Equal values go to the earlier date (the first to reach it holds it), then the claim id.
    Claimed and rejected results are never records.
    """
    best: dict[tuple[Slot, ClaimStatus], Candidate] = {}
    for candidate in candidates:
        if candidate.status not in RECORD_STATUSES:
            continue
        result = candidate.result
        for measure in Measure:
            value = candidate.value(measure, fair=True)
            if value is None:
                continue
            hours = result.hours if measure is Measure.OUTPUT else None
            for scope in candidate.scopes:
                slot = Slot(scope, result.operation, result.unit, measure, hours)
                key = (slot, candidate.status)
                held = best.get(key)
                if held is None or _beats(candidate, held, measure):
                    best[key] = candidate
    records = [StandingRecord(slot, c) for (slot, _), c in best.items()]
    return sorted(records, key=_record_order)


def _beats(challenger: Candidate, holder: Candidate, measure: Measure) -> bool:
    a, b = challenger.value(measure, True), holder.value(measure, True)
    assert a is not None and b is not None
    if a != b:
        return a > b
    return (challenger.result.date, challenger.claim_id) < (holder.result.date, holder.claim_id)


_MEASURES = {m: i for i, m in enumerate(Measure)}
_STATUSES = {s: i for i, s in enumerate(ClaimStatus)}


def _record_order(record: StandingRecord) -> tuple[object, ...]:
    slot = record.slot
    return (
        scope_order(slot.scope),
        slot.operation,
        _MEASURES[slot.measure],
        slot.hours or Decimal(0),
        _STATUSES[record.status],
    )
