"""Deciding on norm revisions: each step in turn, every decision kept with who, why and when.

When the last step approves, the revision is announced that day and becomes a new norm version
in the ledger, effective after the notice period (and no sooner than the policy's minimum
interval after the version it replaces). It is written through the same norm storage as an
import, with its provenance, in one transaction. It never applies to shifts already recorded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.errors import InvalidValue, Refusal, Refused
from stakhanov.domain.governance import (
    Decision,
    Policy,
    Progress,
    Status,
    Verdict,
    check_decision,
    effective_date,
    policy_from,
    progress,
)
from stakhanov.domain.norms import Norm
from stakhanov.domain.provenance import Method, Provenance
from stakhanov.domain.wording import say
from stakhanov.services import read_model
from stakhanov.services.accounts import Account
from stakhanov.services.proposals import latest_shift_date, norm_book, thaw
from stakhanov.store import revisions as revision_store
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import NORMS, PROVENANCE

METHODS = {
    "statistical": Method.STATISTICAL,
    "technical": Method.TECHNICAL,
    "time study": Method.TIME_STUDY,
}


class DecisionRefused(Refused):
    """The decision is out of turn, unexplained, or would break a governance rule."""


@dataclass(frozen=True)
class Revision:
    revision_id: int
    operation: str
    basis: str
    base_from: dt.date
    proposed_on: dt.date
    proposed_by: str
    reason: str
    document: dict[str, Any]
    policy: Policy
    decisions: tuple[Decision, ...]
    effective_from: dt.date | None

    @property
    def state(self) -> Progress:
        return progress(self.policy, self.decisions)

    def as_dict(self, full: bool = False) -> dict[str, Any]:
        state = self.state
        row: dict[str, Any] = {
            "revision_id": self.revision_id,
            "operation": self.operation,
            "basis": self.basis,
            "current_norm": self.document["current"]["norm"],
            "proposed_norm": self.document["proposed"]["norm"],
            "raise_percent": self.document["proposed"]["raise_percent"],
            "status": state.status.value,
            "next_step": state.next_step.role if state.next_step else None,
            "proposed_on": self.proposed_on,
            "proposed_by": self.proposed_by,
            "effective_from": self.effective_from,
        }
        if full:
            row = {
                **self.document,
                **row,
                "decisions": [
                    {
                        "step": d.step,
                        "verdict": d.verdict.value,
                        "by": d.by,
                        "reason": d.reason,
                        "on": d.on,
                    }
                    for d in self.decisions
                ],
                "steps": [{"role": s.role, "advisory": s.advisory} for s in self.policy.steps],
            }
        return row


def _load(connection: Connection, revision_id: int | None = None) -> list[Revision]:
    found = []
    parsed = {"document", "policy"}  # stored as JSON text, read back as values
    for stored in revision_store.revisions(connection, revision_id):
        same = {
            f.name: getattr(stored, f.name)
            for f in dataclasses.fields(Revision)
            if f.name not in parsed
        }
        document, policy = thaw(stored.evidence), policy_from(thaw(stored.policy))
        found.append(Revision(**same, document=document, policy=policy))
    return found


def revisions(engine: Engine, operation: str | None = None) -> list[Revision]:
    with engine.connect() as connection:
        found = _load(connection)
    return [r for r in found if operation is None or r.operation == operation]


def revision(engine: Engine, revision_id: int) -> Revision:
    with engine.connect() as connection:
        found = _load(connection, revision_id)
    if not found:
        raise DecisionRefused(
            say("no revision %(revision)s", revision=revision_id), kind=Refusal.NOT_FOUND
        )
    return found[0]


def decide(
    engine: Engine,
    revision_id: int,
    step: str,
    verdict: Verdict,
    by: str,
    reason: str,
    on: dt.date,
) -> Revision:
    """Record one decision; on final approval, write the new norm version and its provenance."""
    with engine.begin() as connection:
        found = _load(connection, revision_id)
        if not found:
            raise DecisionRefused(
                say("no revision %(revision)s", revision=revision_id), kind=Refusal.NOT_FOUND
            )
        current = found[0]
        decision = Decision(step, verdict, by.strip(), reason.strip(), on)
        try:
            check_decision(current.policy, current.decisions, decision, current.proposed_on)
        except InvalidValue as err:
            raise DecisionRefused(
                say("%(field)s: %(reason)s", field=err.field, reason=err.reason), field="step"
            ) from err
        after = progress(current.policy, (*current.decisions, decision))
        effective = None
        if after.status is Status.APPROVED:
            effective = _apply(connection, current, (*current.decisions, decision), on)
        revision_store.write_decision(connection, revision_id, decision, effective)
        return _load(connection, revision_id)[0]


def _apply(
    connection: Connection,
    revision: Revision,
    decisions: tuple[Decision, ...],
    announced_on: dt.date,
) -> dt.date:
    """Write the approved norm version and its provenance; return its effective date."""
    versions = norm_book(connection).versions(revision.operation)
    base = versions[-1]
    if base.effective_from != revision.base_from:
        raise DecisionRefused(
            say(
                "the %(operation)s norm has a newer version (from %(date)s) than the one this "
                "revision was proposed against; propose again",
                operation=revision.operation,
                date=str(base.effective_from),
            ),
            field="step",
        )
    effective = effective_date(revision.policy, announced_on, base.effective_from)
    last = latest_shift_date(connection, revision.operation)
    if last is not None and effective <= last:
        raise DecisionRefused(
            say(
                "the revision would take effect on %(effective)s, but %(operation)s shifts are "
                "recorded up to %(last)s; a revision never applies to recorded shifts",
                effective=str(effective),
                operation=revision.operation,
                last=str(last),
            ),
            field="step",
        )
    norm: Norm = dataclasses.replace(
        base,
        norm=revision.document["proposed"]["norm"],
        effective_from=effective,
        method=revision.basis,
        source=f"revision {revision.revision_id}: {revision.reason}",
        origin=None,
    )
    study = revision.document.get("time_study") or {}
    provenance = Provenance(
        revision.operation,
        effective,
        METHODS[revision.basis],
        study.get("observations"),
        study.get("pace_rating"),
        study.get("allowances"),
        _evidence(revision),
        "; ".join(f"{d.step}: {d.by}, {d.verdict.value}, {d.on}" for d in decisions),
    )
    store = LedgerStore(connection)
    batch = store.new_batch(
        "revision", f"revision {revision.revision_id}", decisions[-1].by, revision.reason
    )
    store.append(NORMS, batch, [norm])
    store.append(PROVENANCE, batch, [provenance])
    read_model.refresh(connection, batch)
    return effective


def _evidence(revision: Revision) -> str:
    document = revision.document
    parts = [f"revision {revision.revision_id} ({revision.basis})"]
    stats = document.get("statistical")
    if stats:
        excluded = ", ".join(f"{n} {reason}" for reason, n in stats["excluded"].items() if n)
        parts.append(
            f"{stats['percentile']}th percentile of fair fulfilment "
            f"{stats['window']['from']}..{stats['window']['to']}: {stats['value']}% "
            f"over {len(stats['sample'])} results; excluded: {excluded or 'none'}"
        )
    if document.get("evidence"):
        parts.append(str(document["evidence"]))
    return "; ".join(parts)


_PAY_FIELDS = ("pay_old", "pay_new", "pay_change", "pay_output", "pay_output_needed")


def visible_revision(account: Account, document: dict[str, Any]) -> dict[str, Any]:
    """A revision's document as the caller may see it: no one's results outside their scope.

    Every one may read a revision (its norms, basis and aggregate figures), but a row naming a
    worker (the impact on each worker, the statistical sample and what it left out) is shown
    only where the caller sees fulfilment, or when it is the caller's own. Pay, each worker's
    or in total, is shown to those who see pay there and to those who propose or decide
    revisions (the rate-setter, the representatives, the director), and a worker's own.
    """
    fulfilment = account.scopes(Permission.VIEW_FULFILMENT)
    pay = account.scopes(Permission.VIEW_PAY)
    deciding = account.allows(Permission.DECIDE_REVISIONS) or account.allows(
        Permission.MANAGE_NORMS
    )
    own = account.worker_id if account.scopes(Permission.VIEW_OWN) != [] else None

    def seen(row: dict[str, Any]) -> bool:
        unit = row.get("unit")
        mine = own is not None and row.get("worker_id") == own
        return mine or (unit is not None and fulfilment != [] and within_any(unit, fulfilment))

    def paid(row: dict[str, Any]) -> bool:
        unit = row.get("unit")
        mine = own is not None and row.get("worker_id") == own
        return mine or deciding or (unit is not None and pay != [] and within_any(unit, pay))

    shown = dict(document)
    impact = shown.get("impact")
    if isinstance(impact, dict):
        rows = [dict(w) for w in impact.get("workers", []) if seen(w)]
        for row in rows:
            if not paid(row):
                row.update(dict.fromkeys(_PAY_FIELDS))
                row["pay_output_needed_by"] = None
        impact = {**impact, "workers": rows}
        if not (deciding or pay is None):
            impact.update(pay_old=None, pay_new=None)
        shown["impact"] = impact
    statistical = shown.get("statistical")
    if isinstance(statistical, dict):
        shown["statistical"] = {
            **statistical,
            **{
                key: [row for row in statistical[key] if seen(row)]
                for key in ("sample", "exclusions")
                if isinstance(statistical.get(key), list)
            },
        }
    return shown
