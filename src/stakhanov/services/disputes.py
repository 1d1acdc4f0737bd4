"""Disputes: opened by a worker on their own shift, pay line or norm; answered by the person
whose work it is (the foreman, the accountant, the rate-setter), with a reason."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, insert, select

from stakhanov.domain.disputes import (
    Answer,
    Dispute,
    Subject,
    Verdict,
    check_text,
    split_pay_line,
)
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.ledger import CrewEntry
from stakhanov.domain.periods import parse_period
from stakhanov.services import dashboard, payroll
from stakhanov.store.dispute_tables import dispute_answers, disputes
from stakhanov.store.ledger import LedgerStore, now
from stakhanov.store.records import CREW, NORMS


def _check_reference(engine: Engine, worker_id: str, subject: Subject, reference: str) -> str:
    """The reference names something of the worker's own: their shift, slip line, or norm."""
    reference = reference.strip()
    if subject is Subject.SHIFT:
        with engine.connect() as connection:
            crew = LedgerStore(connection).records(CREW, CrewEntry, "shift_id", [reference])
        if not any(e.worker_id == worker_id for e in crew):
            raise InvalidValue("reference", reference, "is not a shift you worked")
    elif subject is Subject.NORM:
        with engine.connect() as connection:
            known = LedgerStore(connection).current(NORMS, "operation", [reference])
        if not known:
            raise InvalidValue("reference", reference, "is not an operation with a norm")
    else:
        text, key = split_pay_line(reference)
        period = parse_period(text)
        slips = payroll.slips(engine, period, worker_id).slips
        lines = [line.key for slip in slips for line in (*slip.lines, *slip.deductions)]
        if key not in lines:
            raise InvalidValue("reference", reference, f"is not a line of your slip for {period}")
        reference = f"{period}:{key}"
    return reference


def open_dispute(
    engine: Engine, worker_id: str, subject: Subject, reference: str, text: str, by: str
) -> Dispute:
    """Open a dispute on one's own shift, pay line or norm; refuse anything else, by field."""
    checked = _check_reference(engine, worker_id, subject, reference)
    body = check_text("text", text)
    at = now()
    with engine.begin() as connection:
        result = connection.execute(
            insert(disputes).values(
                worker_id=worker_id,
                subject=subject.value,
                reference=checked,
                text=body,
                opened_by=by,
                opened_at=at,
            )
        )
        assert result.inserted_primary_key is not None
        dispute_id = int(result.inserted_primary_key[0])
    return Dispute(dispute_id, worker_id, subject, checked, body, by, at)


def load(engine: Engine, worker_ids: Iterable[str] | None = None) -> list[Dispute]:
    """Disputes, newest first, each with its answers in order."""
    query = select(disputes).order_by(disputes.c.dispute_id.desc())
    if worker_ids is not None:
        query = query.where(disputes.c.worker_id.in_(sorted(set(worker_ids))))
    with engine.connect() as connection:
        rows = list(connection.execute(query))
        answers: dict[int, list[Answer]] = {}
        if rows:
            found = connection.execute(
                select(dispute_answers)
                .where(dispute_answers.c.dispute_id.in_([r.dispute_id for r in rows]))
                .order_by(dispute_answers.c.answer_id)
            )
            for a in found:
                answers.setdefault(a.dispute_id, []).append(
                    Answer(Verdict(a.verdict), a.text, a.answered_by, a.answered_at)
                )
    return [
        Dispute(
            r.dispute_id,
            r.worker_id,
            Subject(r.subject),
            r.reference,
            r.text,
            r.opened_by,
            r.opened_at,
            tuple(answers.get(r.dispute_id, [])),
        )
        for r in rows
    ]


def answer(engine: Engine, dispute_id: int, verdict: Verdict, text: str, by: str) -> Dispute:
    """Answer a dispute; a later answer supersedes an earlier one, and both are kept."""
    body = check_text("text", text)
    found = [d for d in load(engine) if d.dispute_id == dispute_id]
    if not found:
        raise LookupError(f"dispute {dispute_id}")
    with engine.begin() as connection:
        connection.execute(
            insert(dispute_answers).values(
                dispute_id=dispute_id,
                verdict=verdict.value,
                text=body,
                answered_by=by,
                answered_at=now(),
            )
        )
    return next(d for d in load(engine, [found[0].worker_id]) if d.dispute_id == dispute_id)


def where(engine: Engine, dispute: Dispute) -> str | None:
    """The unit a dispute belongs to, for scope: the shift's workplace, else the worker's unit."""
    if dispute.subject is Subject.SHIFT:
        shift = dashboard.shift(engine, dispute.reference)
        if shift is not None:
            return shift.workplace
    worker = dashboard.worker(engine, dispute.worker_id)
    return worker.unit if worker else None
