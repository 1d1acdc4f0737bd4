"""Disputes and their answers: appended; a later answer supersedes an earlier one."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from stakhanov.domain.disputes import Answer, Dispute, Subject, Verdict
from stakhanov.store.dispute_tables import dispute_answers, disputes
from stakhanov.store.ledger import now


def write_dispute(
    connection: Connection, worker_id: str, subject: Subject, reference: str, text: str, by: str
) -> Dispute:
    at = now()
    result = connection.execute(
        insert(disputes).values(
            worker_id=worker_id,
            subject=subject.value,
            reference=reference,
            text=text,
            opened_by=by,
            opened_at=at,
        )
    )
    assert result.inserted_primary_key is not None
    dispute_id = int(result.inserted_primary_key[0])
    return Dispute(dispute_id, worker_id, subject, reference, text, by, at)


def disputes_of(connection: Connection, worker_ids: Iterable[str] | None = None) -> list[Dispute]:
    """Disputes (of these workers, or all), newest first, each with its answers in order."""
    query = select(disputes).order_by(disputes.c.dispute_id.desc())
    if worker_ids is not None:
        query = query.where(disputes.c.worker_id.in_(sorted(set(worker_ids))))
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


def write_answer(
    connection: Connection, dispute_id: int, verdict: Verdict, text: str, by: str
) -> None:
    connection.execute(
        insert(dispute_answers).values(
            dispute_id=dispute_id,
            verdict=verdict.value,
            text=text,
            answered_by=by,
            answered_at=now(),
        )
    )
