"""Disputes: opened by a worker on their own shift, pay line or norm; answered by the person
whose work it is (the foreman, the accountant, the rate-setter), with a reason."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine

from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.disputes import (
    Dispute,
    Subject,
    Verdict,
    check_text,
    split_pay_line,
)
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.ledger import CrewEntry
from stakhanov.domain.periods import parse_period
from stakhanov.domain.wording import say
from stakhanov.services import dashboard, payroll
from stakhanov.services.accounts import Account
from stakhanov.store import disputes as dispute_store
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, NORMS

ANSWERED_BY = {
    Subject.SHIFT: Permission.ENTER_SHIFTS,
    Subject.PAY_LINE: Permission.CLOSE_PERIODS,
    Subject.NORM: Permission.MANAGE_NORMS,
}
"""Who answers a dispute: the role whose work it contests."""
SEEING = (*ANSWERED_BY.values(), Permission.VIEW_AUDIT)
SORTS = dispute_store.SORTS


def may_see(account: Account, unit: str | None, subject: Subject) -> bool:
    for permission in (ANSWERED_BY[subject], Permission.VIEW_AUDIT):
        subtrees = account.scopes(permission)
        if subtrees != [] and (subtrees is None or (unit and within_any(unit, subtrees))):
            return True
    return False


def _check_reference(engine: Engine, worker_id: str, subject: Subject, reference: str) -> str:
    """The reference names something of the worker's own: their shift, slip line, or norm."""
    reference = reference.strip()
    if subject is Subject.SHIFT:
        with engine.connect() as connection:
            crew = LedgerStore(connection).records(CREW, CrewEntry, "shift_id", [reference])
        if not any(e.worker_id == worker_id for e in crew):
            raise InvalidValue("reference", reference, say("is not a shift you worked"))
    elif subject is Subject.NORM:
        with engine.connect() as connection:
            known = LedgerStore(connection).current(NORMS, "operation", [reference])
        if not known:
            raise InvalidValue("reference", reference, say("is not an operation with a norm"))
    else:
        text, key = split_pay_line(reference)
        period = parse_period(text)
        slips = payroll.slips(engine, period, worker_id).slips
        lines = [line.key for slip in slips for line in (*slip.lines, *slip.deductions)]
        if key not in lines:
            raise InvalidValue(
                "reference",
                reference,
                say("is not a line of your slip for %(period)s", period=period),
            )
        reference = f"{period}:{key}"
    return reference


def open_dispute(
    engine: Engine, worker_id: str, subject: Subject, reference: str, text: str, by: str
) -> Dispute:
    """Open a dispute on one's own shift, pay line or norm; refuse anything else, by field."""
    checked = _check_reference(engine, worker_id, subject, reference)
    body = check_text("text", text)
    with engine.begin() as connection:
        return dispute_store.write_dispute(connection, worker_id, subject, checked, body, by)


def load(engine: Engine, worker_ids: Iterable[str] | None = None) -> list[Dispute]:
    """Disputes, newest first, each with its answers in order."""
    with engine.connect() as connection:
        return dispute_store.disputes_of(connection, worker_ids)


def find(engine: Engine, dispute_id: int) -> Dispute | None:
    with engine.connect() as connection:
        return dispute_store.dispute(connection, dispute_id)


def answer(engine: Engine, dispute_id: int, verdict: Verdict, text: str, by: str) -> Dispute:
    """Answer a dispute; a later answer supersedes an earlier one, and both are kept."""
    body = check_text("text", text)
    if find(engine, dispute_id) is None:
        raise LookupError(f"dispute {dispute_id}")
    with engine.begin() as connection:
        dispute_store.write_answer(connection, dispute_id, verdict, body, by)
        answered = dispute_store.dispute(connection, dispute_id)
    assert answered is not None
    return answered


def where(engine: Engine, dispute: Dispute) -> str | None:
    """The unit a dispute belongs to, for scope: the shift's workplace, else the worker's unit."""
    if dispute.subject is Subject.SHIFT:
        shift = dashboard.shift(engine, dispute.reference)
        if shift is not None:
            return shift.workplace
    worker = dashboard.worker(engine, dispute.worker_id)
    return worker.unit if worker else None


def seeing(account: Account) -> dispute_store.Seeing:
    """Per subject, the units whose disputes the person sees (may_see, as SQL takes it): those
    of the role that answers it and those of the auditor's view, together."""
    found: dict[Subject, list[str] | None] = {}
    for subject, answering in ANSWERED_BY.items():
        units: list[str] | None = []
        for permission in (answering, Permission.VIEW_AUDIT):
            subtrees = account.scopes(permission)
            units = None if units is None or subtrees is None else [*units, *subtrees]
        found[subject] = units
    return found


def page(
    engine: Engine,
    account: Account,
    words: Sequence[str],
    sort: str,
    descending: bool,
    limit: int | None,
    number: int = 1,
) -> dispute_store.DisputePage:
    """Page `number` of the disputes the person sees, searched and sorted, scoped in the query
    (every one with no limit)."""
    with engine.connect() as connection:
        return dispute_store.dispute_page(
            connection, seeing(account), words, sort, descending, limit, number
        )


def visible(engine: Engine, account: Account) -> list[Dispute]:
    """The disputes a person answers or oversees, in their scope, newest first: the one rule
    the API and the pages both show by."""
    return [d for d, _, _ in page(engine, account, (), "", False, None).rows]


def answerable(account: Account, dispute: Dispute, unit: str | None) -> bool:
    """may_answer, the dispute's unit known."""
    return account.allows(
        ANSWERED_BY[dispute.subject], unit if dispute.subject is Subject.SHIFT else None
    )


def may_answer(engine: Engine, account: Account, dispute: Dispute) -> bool:
    """Whether the dispute contests this person's work: a shift in their scope, a pay line or a
    norm by their role."""
    unit = where(engine, dispute) if dispute.subject is Subject.SHIFT else None
    return answerable(account, dispute, unit)
