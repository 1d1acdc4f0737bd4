"""`norms propose`: a revision with its basis, its exclusions and its impact, recorded for approval.

The proposal is a document frozen when it is made: the evidence the approvers see is what the
rate-setter saw, even if the ledger is corrected later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.audit import FindingKind, audit, review_of
from stakhanov.domain.disclosure import norm_text
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.fulfilment import results
from stakhanov.domain.governance import Policy, policy_dict
from stakhanov.domain.impact import Impact, WorkerImpact, driven_by, impact
from stakhanov.domain.ledger import Ledger, MeasuredOutput
from stakhanov.domain.methods import Method, MethodState
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.numbers import counted
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.proposals import (
    Basis,
    Reason,
    StatisticalBasis,
    capped,
    exact_raise,
    from_time_study,
    statistical_basis,
    with_rate,
)
from stakhanov.domain.provenance import TimeStudy
from stakhanov.domain.records import Claim, ClaimStatus
from stakhanov.domain.rounding import percent_or_none, rounded
from stakhanov.domain.shifts import Shift
from stakhanov.domain.whatif import WhatIf, WorkerChange
from stakhanov.domain.wording import say
from stakhanov.services import claims, payroll, policies, reports, reviews
from stakhanov.store import revisions as revision_store
from stakhanov.store.ledger import NO_PAID_TIME, LedgerStore
from stakhanov.store.methods import MethodStore
from stakhanov.store.records import NORMS, OUTPUT, SHIFTS

EXCLUDED_FINDINGS = (FindingKind.POOLED, FindingKind.IMPLAUSIBLE)
EXCLUDED_STATUSES = ("open", "upheld")
RATE_QUANTUM = Decimal("0.001")


class ProposalRefused(Refused):
    """The proposal cannot be made as asked; nothing was recorded."""


@dataclass(frozen=True)
class Request:
    operation: str
    basis: Basis
    by: str
    reason: str
    proposed_on: dt.date
    window: Period | None = None
    evidence: str | None = None
    percentile: Decimal | None = None
    target: Decimal | None = None
    norm: Decimal | None = None
    study: TimeStudy | None = None
    pay_search: bool = False


def freeze(document: Any) -> str:
    """JSON that keeps Decimals and dates exact, for the stored evidence."""

    def tag(value: Any) -> Any:
        if isinstance(value, Decimal):
            return {"$decimal": str(value)}
        if isinstance(value, dt.date):
            return {"$date": value.isoformat()}
        raise TypeError(f"cannot store {type(value).__name__}")

    return json.dumps(document, default=tag, ensure_ascii=False)


def thaw(text: str) -> Any:
    def untag(obj: dict[str, Any]) -> Any:
        if set(obj) == {"$decimal"}:
            return Decimal(obj["$decimal"])
        if set(obj) == {"$date"}:
            return dt.date.fromisoformat(obj["$date"])
        return obj

    return json.loads(text, object_hook=untag)


def latest_shift_date(
    connection: Connection, operation: str, reference: bool = False
) -> dt.date | None:
    """The date of the last shift that measured output of the operation: a MAX in SQL, or
    with `reference` every output of the operation and its shift read as objects."""
    store = LedgerStore(connection)
    if not reference:
        return store.last_date_measuring(operation)
    outputs = store.records(OUTPUT, MeasuredOutput, "operation", [operation])
    shifts = store.records(SHIFTS, Shift, "shift_id", {o.shift_id for o in outputs})
    return max((s.date for s in shifts), default=None)


def operation_ledger(engine: Engine, operation: str, window: Period) -> Ledger:
    """The shifts in the window that measured output of the operation, whole (every crew
    entry and output, so each result and each shift's audit is what the window's give), with
    their crews' workers and the norms: the operation's results, their home units, and the
    findings that flag them, at the cost of the operation's work, not the window's."""
    with engine.connect() as connection:
        store = LedgerStore(connection)
        measured = {o.shift_id for o in store.outputs_between(operation, window.start, window.end)}
        return store.snapshot(measured, NO_PAID_TIME, ())


def norm_book(connection: Connection) -> NormBook:
    return NormBook.of(LedgerStore(connection).records(NORMS, Norm))


def flagged_findings(
    engine: Engine, ledger: Ledger, window: Period
) -> dict[tuple[str, str], list[str]]:
    """Open or upheld pooled and implausible findings, by shift and operation."""
    found = audit(ledger, window.start, window.end)
    with engine.connect() as connection:
        made = reviews.load_reviews(connection, {f.shift_id for f in found})
    flagged: dict[tuple[str, str], list[str]] = {}
    for finding in found:
        item = reviews.ReviewedFinding(finding, review_of(finding, made))
        if finding.kind in EXCLUDED_FINDINGS and item.status in EXCLUDED_STATUSES:
            key = (finding.shift_id, finding.operation or "")
            flagged.setdefault(key, []).append(
                f"{item.status} {finding.kind.value} finding: {finding.message}"
            )
    return flagged


def claimed_records(
    engine: Engine, operation: str, window: Period
) -> dict[tuple[str, str], list[tuple[Reason, str]]]:
    """What the record claims of the operation in the window say of their results.

    Keyed by (shift_id, worker_id), each a list of reasons to leave the result out, with their
    words. A verified claim is a record won by the worker's own methods, and an undecided one
    at least their own record attempt: `own record`. Prepared conditions or resources declared
    for the attempt make it `prepared`, and an auditor's "assisted record" for any other reason
    (helpers, pooled credits, undeclared co-workers) `assisted`, even where the ledger's shift
    reads standard. A rejected claim says nothing: its result is an ordinary one.
    """
    with engine.connect() as connection:
        book = claims.claim_book(connection)
        methods = [m for m in MethodStore(connection).methods() if m.operation == operation]
    found: dict[tuple[str, str], list[tuple[Reason, str]]] = {}
    for state in book.states:
        claim, group = state.claim, state.assessment.located.group
        if claim.operation != operation or group is None or group.shift.date not in window:
            continue
        reasons: list[tuple[Reason, str]] = []
        named = f"claim {claim.claim_id}"
        standing = (ClaimStatus.VERIFIED, ClaimStatus.CLAIMED, ClaimStatus.ASSISTED)
        if state.status in standing and claim.declared_prepared:
            reasons.append(
                (
                    Reason.PREPARED,
                    "prepared conditions or resources declared for the record attempt "
                    f"({named}" + (f": {claim.resources})" if claim.resources else ")"),
                )
            )
        if state.status is ClaimStatus.ASSISTED:
            others = [r for r in state.assessment.reasons if not r.startswith(_PREPARED_WORDS)]
            if others or not reasons:
                reasons.append(
                    (
                        Reason.ASSISTED,
                        f"an assisted record ({named})"
                        + (f": {'; '.join(others)}" if others else ""),
                    )
                )
        elif state.status in (ClaimStatus.VERIFIED, ClaimStatus.CLAIMED):
            how = (
                f"verified record, {named}"
                if state.status is ClaimStatus.VERIFIED
                else f"claimed as a record, {named}, not yet decided"
            )
            reasons.append(
                (
                    Reason.OWN_RECORD,
                    f"{claim.worker_id}'s own record ({how}{own_method(methods, claim)}); a "
                    "worker's own record is never a ground for revision",
                )
            )
        if reasons:
            found.setdefault((group.shift.shift_id, claim.worker_id), []).extend(reasons)
    return found


def own_method(methods: list[Method], claim: Claim) -> str:
    """`, with his own method ...` where the record's worker authored a method of the operation
    submitted by the record's day and not rejected (the methods registry)."""
    own = [
        m
        for m in methods
        if claim.worker_id in m.authors
        and m.submitted_on <= claim.date
        and m.state_on(claim.date) is not MethodState.REJECTED
    ]
    named = ", ".join(f"method {m.method_id}: {m.title}" for m in own)
    return f", set with his own method ({named})" if own else ""


_PREPARED_WORDS = (
    "the shift ran under prepared conditions",
    "prepared conditions or resources were declared",
)


def propose(
    engine: Engine, request: Request, *, dry_run: bool = False, reference: bool = False
) -> dict[str, Any]:
    """Build the proposal document and, unless a dry run, record it for approval.

    When the basis supports no change, nothing is recorded (`revision_id` stays None) and the
    document says so: its evidence, such as the results a statistical basis left out, is still
    what the rate-setter and the workers need to see.

    It reads the shifts that measured the operation in the window, and the pay of the workers
    with results there (decision 0903). `reference` reads the whole window's ledger, audits it
    all and replays every worker's pay: the readable reference the tests compare with.
    """
    with engine.connect() as connection:
        policy = policies.current(connection).policy
        book = norm_book(connection)
        latest = (
            None if request.window else latest_shift_date(connection, request.operation, reference)
        )
    if request.percentile is not None and not 0 < request.percentile <= 100:
        raise ProposalRefused(
            say("percentile: must be more than 0 and at most 100"), field="percentile"
        )
    if request.target is not None and not request.target > 0:
        raise ProposalRefused(say("target: must be more than 0 percent"), field="target")
    versions = book.versions(request.operation)
    if not versions:
        raise ProposalRefused(
            say("no norm for %(operation)r; import one first", operation=request.operation),
            field="operation",
        )
    current = versions[-1]
    window = request.window or _default_window(policy, latest or request.proposed_on)
    if reference:
        ledger = reports.ledger_for(engine, window)
    else:
        ledger = operation_ledger(engine, request.operation, window)
    found = results(ledger, window.start, window.end)

    def home_unit(worker_id: str) -> str:
        worker = ledger.workers.get(worker_id)
        return worker.unit if worker else "(unknown)"

    precision = policy.statistical.precision
    basis: StatisticalBasis | None = None
    flagged = flagged_findings(engine, ledger, window)
    target = policy.statistical.target_percent if request.target is None else request.target
    try:
        if request.basis is Basis.STATISTICAL:
            rules = dataclasses.replace(
                policy.statistical,
                percentile=policy.statistical.percentile
                if request.percentile is None
                else request.percentile,
                target_percent=target,
            )
            basis = statistical_basis(
                found,
                ledger.norms,
                current,
                window,
                home_unit,
                flagged,
                rules,
                claimed_records(engine, request.operation, window),
            )
            value = basis.exact_value
            if value is None:
                counts = Counter(r.value for e in basis.exclusions for r in e.reasons)
                raise ProposalRefused(
                    say(
                        "no result of %(operation)s in %(window)s is left to compute from "
                        "(excluded: %(excluded)s)",
                        operation=request.operation,
                        window=window,
                        excluded=dict(counts) or "none found",
                    ),
                    field="operation",
                )
            computed = with_rate(current, value / Fraction(target), precision)
        elif request.basis is Basis.TECHNICAL:
            if request.norm is None or not (request.evidence or "").strip():
                raise ProposalRefused(
                    say("a technical basis needs --norm and --evidence"), field="norm"
                )
            computed = dataclasses.replace(current, norm=request.norm, origin=None)
        else:
            if request.study is None:
                raise ProposalRefused(
                    say("a time-study basis needs the study's figures"), field="basis"
                )
            computed = from_time_study(current, request.study, precision)
    except InvalidValue as err:
        raise ProposalRefused(
            say("%(field)s: %(reason)s", field=err.field, reason=err.reason), field=err.field
        ) from err
    proposed = capped(current, computed, policy.max_raise_percent, precision)
    effect = impact(found, ledger.norms, proposed, home_unit, policy.validation, flagged)
    # Only a worker with a result of the operation is paid by its norm (helpers' results
    # have no percent of their own): no one else's pay can change.
    workers = (
        None if reference else {r.worker_id for r in found if r.operation == proposed.operation}
    )
    pay = pay_effect(engine, window, proposed, request.pay_search, workers)
    warnings = list(effect.warnings)
    paid = {c.worker_id for c in pay.workers}
    if effect.workers and not any(w.worker_id in paid for w in effect.workers):
        warnings.append(
            f"no pay scale pays {request.operation} in the window, so pay under the old and the "
            "revised norm cannot be shown (stakhanov scales import)"
        )
    if pay.problems:
        warnings.append(
            f"pay under the revised norm has {counted(len(pay.problems), 'problem')}, "
            f"e.g. {pay.problems[0].message}"
        )
    if basis is not None:
        warnings += driven_by(basis, target)
        warnings += list(basis.notes)
    if proposed != computed:
        warnings.append(
            f"the basis supports {norm_text(computed)} ({_rate(exact_raise(current, computed))}"
            f"% more per hour); capped at the policy's largest raise of "
            f"{policy.max_raise_percent}%"
        )
    unchanged = proposed.norm == current.norm
    if unchanged:
        warnings.append(
            f"the basis supports no change to the {request.operation} norm "
            f"({norm_text(current)}): nothing to propose, and nothing is recorded"
        )
    document: dict[str, Any] = {
        "revision_id": None,
        "operation": request.operation,
        "basis": request.basis.value,
        "proposed_on": request.proposed_on,
        "proposed_by": request.by,
        "reason": request.reason,
        "evidence": request.evidence,
        "current": norm_summary(current, current),
        "computed": norm_summary(computed, current),
        "proposed": norm_summary(proposed, current),
        "capped": proposed != computed,
        "statistical": None if basis is None else basis_document(basis),
        "time_study": None if request.study is None else study_document(request.study),
        "impact": impact_document(effect, window, pay),
        "warnings": warnings,
    }
    if dry_run or unchanged:
        return document
    with engine.begin() as connection:
        document["revision_id"] = revision_store.write_revision(
            connection,
            operation=request.operation,
            basis=request.basis.value,
            base_from=current.effective_from,
            proposed_norm=proposed.norm,
            proposed_on=request.proposed_on,
            proposed_by=request.by,
            reason=request.reason,
            evidence=freeze(document),
            policy=freeze(policy_dict(policy)),
        )
    return document


def pay_effect(
    engine: Engine,
    window: Period,
    revised: Norm,
    search: bool,
    workers: Collection[str] | None = None,
) -> WhatIf:
    """The pay over the window under today's norms and with the revision in force: every
    worker's, or with `workers` theirs only, read from the shifts they worked (a slip's
    tiers and guarantees read all of a worker's work, and a crew is split within its shift).

    With `search`, this is the pay engine's what-if, which also searches, for each worker who
    would lose, the output that keeps their pay (slow on large ledgers). Without it, their
    slips under both norm books (`payroll.pay_under`: with `workers`, by the set-based
    engine, decision 0906), without the search.
    """
    if search:
        return payroll.whatif(engine, window, norms=[revised], workers=workers)
    old, new = payroll.pay_under(engine, window, [revised], workers)
    paid = sorted({s.worker_id for s in (*old.slips, *new.slips)})
    return WhatIf(
        window,
        tuple(
            WorkerChange(w, w, _gross(old.slip(w)), _gross(new.slip(w)), None, None, False, False)
            for w in paid
            if workers is None or w in workers
        ),
        (*old.problems, *new.problems),
    )


def _gross(slip: PaySlip | None) -> Decimal:
    return slip.gross if slip else Decimal(0)


def _default_window(policy: Policy, last: dt.date) -> Period:
    return Period(last - dt.timedelta(days=policy.statistical.window_days - 1), last)


def _rate(value: Fraction) -> Decimal:
    return rounded(value, Decimal("0.01"))


def norm_summary(norm: Norm, current: Norm) -> dict[str, Any]:
    return {
        "norm": norm.norm,
        "kind": norm.kind.value,
        "unit": norm.unit,
        "norm_hours": norm.norm_hours,
        "per_hour": rounded(norm.per_hour, RATE_QUANTUM).normalize(),
        "raise_percent": _rate(exact_raise(current, norm)),
    }


def basis_document(basis: StatisticalBasis) -> dict[str, Any]:
    distribution = basis.distribution
    counts = Counter(r.value for e in basis.exclusions for r in e.reasons)
    return {
        "window": {"from": basis.window.start, "to": basis.window.end},
        "percentile": basis.rules.percentile,
        "target_percent": basis.rules.target_percent,
        "value": _shown(basis.exact_value),
        "record_rule": (
            f"a result above Q3 + {basis.rules.record_fence} x max(IQR, "
            f"{basis.rules.record_min_spread}) of the other workers' results is the worker's "
            "own record"
        ),
        "distribution": None
        if distribution is None
        else {
            "count": distribution.count,
            "min": _shown(distribution.minimum),
            "q1": _shown(distribution.q1),
            "median": _shown(distribution.median),
            "q3": _shown(distribution.q3),
            "max": _shown(distribution.maximum),
            "mean": _shown(distribution.mean),
            "histogram": [
                {"from": low, "to": low + 10, "count": count} for low, count in distribution.bins
            ],
        },
        "sample": [
            {
                "shift_id": o.shift_id,
                "date": o.date,
                "worker_id": o.worker_id,
                "unit": o.unit,
                "hours": o.hours,
                "fair_percent": _shown(o.exact),
            }
            for o in basis.sample
        ],
        "excluded": {reason: counts.get(reason, 0) for reason in _REASONS},
        "exclusions": [
            {
                "shift_id": e.observation.shift_id,
                "date": e.observation.date,
                "worker_id": e.observation.worker_id,
                "unit": e.observation.unit,
                "fair_percent": _shown(e.observation.exact),
                "reasons": [r.value for r in e.reasons],
                "message": e.message,
            }
            for e in basis.exclusions
        ],
    }


_REASONS = ("prepared", "assisted", "finding", "own record")


def study_document(study: TimeStudy) -> dict[str, Any]:
    return {
        "observations": study.observations,
        "observed_minutes": study.observed_minutes,
        "pace_rating": study.pace_rating,
        "allowances": study.allowances,
        "normal_minutes": study.normal_minutes,
        "standard_minutes": study.standard_minutes,
    }


def impact_document(effect: Impact, window: Period, pay: WhatIf) -> dict[str, Any]:
    changes = {w.worker_id: w for w in pay.workers}
    mine = [changes[w.worker_id] for w in effect.workers if w.worker_id in changes]
    return {
        "window": {"from": window.start, "to": window.end},
        "workers_count": len(effect.workers),
        "share_meeting_percent": effect.share_meeting,
        "experienced_workers": len(effect.experienced),
        "experienced_average_old": effect.experienced_old,
        "experienced_average_new": effect.experienced_new,
        "pay_old": str(sum((c.old for c in mine), Decimal(0))) if mine else None,
        "pay_new": str(sum((c.new for c in mine), Decimal(0))) if mine else None,
        "workers": [
            worker_document(w, changes.get(w.worker_id), effect.revised.operation)
            for w in effect.workers
        ],
    }


def worker_document(row: WorkerImpact, pay: WorkerChange | None, operation: str) -> dict[str, Any]:
    """One worker's figures: fulfilment on the operation's ordinary results, and pay.

    Pay comes from the pay engine's what-if over every shift of the window. The output needed
    to keep today's pay is for the operation's output on all those shifts: the pay engine's
    search when it ran (`--pay-search`), else the output at the same percent of the revised
    norm on every shift, which keeps pay exactly under any scale that pays by percent of norm.
    """
    needed = next((n for n in pay.needed if n.operation == operation), None) if pay else None
    same = _needed(row.exact_paid_needed)
    return {
        "worker_id": row.worker_id,
        "unit": row.unit,
        "shifts": len(row.shifts),
        "hours": row.hours,
        "output": row.output,
        "percent_old": row.percent_old,
        "fair_percent_old": row.fair_percent_old,
        "fair_percent_new": row.fair_percent_new,
        "meets_new": row.meets_new,
        "output_same_percent": _needed(row.exact_needed_output),
        "pay_old": None if pay is None else str(pay.old),
        "pay_new": None if pay is None else str(pay.new),
        "pay_change": None if pay is None else str(pay.change),
        "pay_output": row.paid_output if needed is None else needed.output,
        "pay_output_needed": same if needed is None else needed.needed,
        "pay_output_needed_by": "same percent" if needed is None else "search",
    }


def _needed(value: Fraction) -> Decimal:
    """An output needed, to 0.001, rounded up: the figure shown is always enough."""
    return rounded(value, Decimal("0.001"), ROUND_CEILING).normalize()


def _shown(value: Fraction | Decimal | None) -> Decimal | None:
    return percent_or_none(value)
