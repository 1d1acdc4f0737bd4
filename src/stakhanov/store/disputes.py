"""Disputes and their answers: appended; a later answer supersedes an earlier one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    true,
)

from stakhanov.domain.disputes import Answer, Dispute, Subject, Verdict
from stakhanov.domain.periods import Period
from stakhanov.store.dispute_tables import dispute_answers, disputes
from stakhanov.store.ledger import current_query, now
from stakhanov.store.lists import every_word
from stakhanov.store.read_model import paths_within
from stakhanov.store.records import SHIFTS, WORKERS


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
    return _with_answers(connection, list(connection.execute(query)))


def open_in(connection: Connection, period: Period) -> list[Dispute]:
    """Unanswered disputes on a current shift of the period, or on a line of the period's
    slips (a reference `<period>:<line>`), newest first as `disputes_of` gives them."""
    shift_table = SHIFTS.table
    in_period = (
        current_query(SHIFTS)
        .order_by(None)
        .with_only_columns(shift_table.c.shift_id)
        .where(shift_table.c.date >= period.start, shift_table.c.date <= period.end)
    )
    prefix = f"{period}:"
    c = disputes.c
    query = (
        select(disputes)
        .where(
            ~exists().where(dispute_answers.c.dispute_id == c.dispute_id),
            or_(
                and_(c.subject == Subject.SHIFT.value, c.reference.in_(in_period)),
                and_(
                    c.subject == Subject.PAY_LINE.value,
                    func.substr(c.reference, 1, len(prefix)) == prefix,
                ),
            ),
        )
        .order_by(c.dispute_id.desc())
    )
    return _with_answers(connection, list(connection.execute(query)))


def dispute(connection: Connection, dispute_id: int) -> Dispute | None:
    """One dispute with its answers; None if there is none by that id."""
    rows = list(connection.execute(select(disputes).where(disputes.c.dispute_id == dispute_id)))
    found = _with_answers(connection, rows)
    return found[0] if found else None


def _with_answers(connection: Connection, rows: Sequence[Row[Any]]) -> list[Dispute]:
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


Seeing = Mapping[Subject, Sequence[str] | None]
"""Per subject, the units whose disputes a reader sees: None everywhere, [] nowhere."""
SORTS = ("opened", "worker", "subject", "status")


@dataclass(frozen=True)
class DisputePage:
    rows: list[tuple[Dispute, str | None, str | None]]  # each with its unit and worker's name
    found: int  # after the search
    in_scope: int
    open: int


def _status() -> Any:
    latest = (
        select(dispute_answers.c.verdict)
        .where(dispute_answers.c.dispute_id == disputes.c.dispute_id)
        .order_by(dispute_answers.c.answer_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, "open")


def dispute_page(
    connection: Connection,
    seeing: Seeing,
    words: Sequence[str],
    sort: str,
    descending: bool,
    limit: int | None,
    page: int = 1,
) -> DisputePage:
    """The disputes a reader sees (scoped here, in SQL), every word found in the id, worker,
    worker's name, reference or text; one page of them (a page past the last is the last),
    newest first unless sorted, with the counts the page shows. A dispute's unit is its shift's
    workplace, else its worker's home (services.disputes.where)."""
    shifts = current_query(SHIFTS).order_by(None).subquery()
    workers = current_query(WORKERS).order_by(None).subquery()
    unit = func.coalesce(shifts.c.workplace, workers.c.unit)
    scoped = or_(
        false(),
        *(
            and_(
                disputes.c.subject == subject.value,
                true() if subtrees is None else paths_within(unit, subtrees),
            )
            for subject, subtrees in seeing.items()
            if subtrees != []
        ),
    )
    joined = disputes.outerjoin(
        shifts,
        and_(disputes.c.subject == Subject.SHIFT.value, shifts.c.shift_id == disputes.c.reference),
    ).outerjoin(workers, workers.c.worker_id == disputes.c.worker_id)
    searched = every_word(
        [
            cast(disputes.c.dispute_id, String),
            disputes.c.worker_id,
            workers.c.name,
            disputes.c.reference,
            disputes.c.text,
        ],
        words,
    )
    matching = and_(true(), *searched)
    unanswered = ~exists().where(dispute_answers.c.dispute_id == disputes.c.dispute_id)
    counted = connection.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((matching, 1), else_=0)), 0),
            func.coalesce(func.sum(case((unanswered, 1), else_=0)), 0),
        )
        .select_from(joined)
        .where(scoped)
    ).one()
    in_scope, found, still_open = (int(n) for n in counted)
    keys = {
        "opened": disputes.c.opened_at,
        "worker": disputes.c.worker_id,
        "subject": disputes.c.subject,
        "status": _status(),
    }
    column = keys.get(sort)
    if column is None:
        order = [disputes.c.dispute_id.desc()]
    else:
        order = [column.desc() if descending else column.asc(), disputes.c.dispute_id.desc()]
    query = (
        select(disputes, unit.label("unit"), workers.c.name.label("name"))
        .select_from(joined)
        .where(scoped, matching)
        .order_by(*order)
    )
    if limit is not None:
        pages = max(1, -(-found // limit))
        query = query.limit(limit).offset((min(page, pages) - 1) * limit)
    rows = list(connection.execute(query))
    listed = _with_answers(connection, rows)
    return DisputePage(
        [(d, r.unit, r.name) for d, r in zip(listed, rows, strict=True)],
        found,
        in_scope,
        still_open,
    )


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
