"""The methods registry: submit a method, evaluate it, reject it or adopt it as the technical
basis of a norm revision, and see what its authors are owed.

Adopting proposes a technical norm revision whose evidence names the method; the revision then
goes through the governed approval steps like any other (`norms decide`). The authors' reward
is paid by pay's close through the bonus source in `method_rewards` once the revised norm is
in effect. Each author of an adopted method is also credited a method innovation, which title
rules may count (`innovations`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.errors import InvalidValue, Refusal, Refused
from stakhanov.domain.methods import (
    Method,
    MethodState,
    RewardTerms,
    Step,
    check_step,
    check_submission,
)
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.periods import Period
from stakhanov.domain.proposals import Basis
from stakhanov.domain.units import is_within, parse_path
from stakhanov.domain.wording import say
from stakhanov.services import proposals, titles
from stakhanov.services.method_rewards import method_bonuses
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.methods import Adoption, MethodStore


class MethodRefused(Refused):
    """The method cannot be recorded or moved as asked; nothing was written."""


@dataclass(frozen=True)
class Submission:
    operation: str
    title: str
    change: str
    evidence: str
    time_study: str | None
    authors: tuple[str, ...]
    brigade: str | None
    on: dt.date
    by: str


def _refused(err: InvalidValue) -> MethodRefused:
    return MethodRefused(
        say("%(field)s: %(reason)s", field=err.field, reason=err.reason), field=err.field
    )


def submit(engine: Engine, s: Submission) -> Method:
    """Record a method; a brigade's authors are its workers when none are named."""
    with engine.begin() as connection:
        snapshot = LedgerStore(connection).master()
        brigade = None
        authors = s.authors
        try:
            if s.brigade:
                brigade = parse_path(s.brigade)
                authors = authors or tuple(
                    sorted(w for w, k in snapshot.workers.items() if is_within(k.unit, brigade))
                )
            check_submission(s.operation, s.title, s.change, authors)
        except InvalidValue as err:
            raise _refused(err) from err
        unknown = [a for a in authors if a not in snapshot.workers]
        if unknown:
            raise MethodRefused(
                say("unknown worker(s): %(workers)s", workers=", ".join(unknown)), field="authors"
            )
        if not snapshot.norms.versions(s.operation.strip()):
            raise MethodRefused(
                say("no norm for %(operation)r", operation=s.operation), field="operation"
            )
        store = MethodStore(connection)
        method_id = store.submit(
            s.operation.strip(),
            s.title.strip(),
            s.change.strip(),
            s.evidence.strip(),
            (s.time_study or "").strip() or None,
            authors,
            brigade,
            s.on,
            s.by,
        )
        return store.methods(method_id)[0]


def method(engine: Engine, method_id: int) -> Method:
    with engine.connect() as connection:
        found = MethodStore(connection).methods(method_id)
    if not found:
        raise MethodRefused(say("no method %(method)s", method=method_id), kind=Refusal.NOT_FOUND)
    return found[0]


def methods(engine: Engine, state: MethodState | None = None) -> list[Method]:
    with engine.connect() as connection:
        found = MethodStore(connection).methods()
    return [m for m in found if state is None or m.state is state]


def _checked(engine: Engine, method_id: int, step: Step) -> Method:
    current = method(engine, method_id)
    try:
        check_step(current, step)
    except InvalidValue as err:
        raise _refused(err) from err
    return current


def move(engine: Engine, method_id: int, step: Step) -> Method:
    """Put a method under evaluation, or reject it (adopting goes through `adopt`)."""
    if step.state is MethodState.ADOPTED:
        raise MethodRefused(
            say("adopt a method with its revised norm and reward terms"), field="state"
        )
    _checked(engine, method_id, step)
    with engine.begin() as connection:
        MethodStore(connection).add_step(method_id, step)
    return method(engine, method_id)


def adopt(
    engine: Engine, method_id: int, norm: Decimal, step: Step, terms: RewardTerms
) -> tuple[Method, dict[str, Any]]:
    """Adopt the method: propose the technical revision it is the basis of, record the
    adoption with the reward terms, and credit each author a method innovation."""
    step = Step(MethodState.ADOPTED, step.by, step.reason, step.on)
    current = _checked(engine, method_id, step)
    evidence = (
        f"method {method_id} ({current.title}) by {', '.join(current.authors)}: "
        f"{current.change}; evidence: {current.evidence or 'none given'}"
        + (f"; time study: {current.time_study}" if current.time_study else "")
    )
    request = proposals.Request(
        operation=current.operation,
        basis=Basis.TECHNICAL,
        by=step.by,
        reason=f"method {method_id}: {step.reason}",
        proposed_on=step.on,
        evidence=evidence,
        norm=norm,
    )
    document = proposals.propose(engine, request)
    revision_id = document["revision_id"]
    if revision_id is None:
        raise MethodRefused(
            say(
                "the revised norm changes nothing: %(warnings)s",
                warnings="; ".join(document["warnings"]),
            ),
            field="norm",
        )
    with engine.begin() as connection:
        store = MethodStore(connection)
        store.add_step(method_id, step)
        store.adopt(method_id, revision_id, terms)
    for author in current.authors:
        titles.record_innovation(
            engine, author, step.on, f"method {method_id} adopted: {current.title}", step.by
        )
    return method(engine, method_id), document


def adoptions(engine: Engine) -> dict[int, Adoption]:
    with engine.connect() as connection:
        return {a.method_id: a for a in MethodStore(connection).adoptions()}


def rewards(engine: Engine, period: Period) -> list[ExternalBonus]:
    """The reward lines a close of the period would pay (what pay's source returns)."""
    with engine.connect() as connection:
        return method_bonuses(connection, period)


def method_dict(m: Method, adoption: Adoption | None = None, full: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "method_id": m.method_id,
        "operation": m.operation,
        "title": m.title,
        "authors": list(m.authors),
        "brigade": m.brigade,
        "state": m.state.value,
        "submitted_on": m.submitted_on,
        "revision_id": adoption.revision_id if adoption else None,
        "share": adoption.terms.share if adoption else None,
        "months": adoption.terms.months if adoption else None,
    }
    if full:
        row |= {
            "change": m.change,
            "evidence": m.evidence,
            "time_study": m.time_study,
            "submitted_by": m.submitted_by,
            "tariff": adoption.terms.tariff if adoption else None,
            "currency": adoption.terms.currency if adoption else None,
            "steps": [
                {"state": s.state.value, "by": s.by, "reason": s.reason, "on": s.on}
                for s in m.steps
            ],
        }
    return row


def bonus_dict(b: ExternalBonus) -> dict[str, Any]:
    return {
        "worker_id": b.worker_id,
        "date": b.date,
        "code": b.code,
        "amount": b.amount,
        "currency": b.currency,
        "explain": b.explain,
    }
