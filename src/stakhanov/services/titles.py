"""Titles: evaluate the rulebook over a period, confer proposals (with their awards), confer by
an authority, revoke, appeal; record method innovations. Everything is appended, never edited."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.performance import Tally, merged_by
from stakhanov.domain.periods import Period
from stakhanov.domain.records import ClaimStatus
from stakhanov.domain.title_grants import Grant as Grant  # re-exported: the api names titles.Grant
from stakhanov.domain.titles import (
    Evaluation,
    Facts,
    Proposal,
    Rulebook,
    TitleEvent,
    TitleEventKind,
    TitleRule,
    evaluate_titles,
    gate,
    refusal,
    thresholds,
    validity,
)
from stakhanov.domain.units import is_within
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.services import awards, claims, mentoring, ordinary, rulebooks, skills
from stakhanov.services.incidents import load_incidents
from stakhanov.store import titles as title_store
from stakhanov.store import worker_lists
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import WORKERS


class TitleRefused(Refused):
    """The title cannot be conferred, revoked or appealed as asked; `reasons` lists why."""


def facts(
    connection: Connection, period: Period, within: str | None = None, reference: bool = False
) -> tuple[Rulebook, list[Facts]]:
    """What the rules may know of each worker who worked or was hurt in the period.

    Ordinary work is tallied set-based from the stored results (services.ordinary; with
    `reference`, by the domain's code over the period's ledger)."""
    rulebook = rulebooks.in_force(connection).rulebook
    workers_read = (
        LedgerStore(connection).records(WORKERS, Worker)
        if within is None
        else worker_lists.workers_within(connection, within)  # the unit's, by the index
    )
    roster = {w.worker_id: w for w in workers_read}
    hurt = load_incidents(connection, period)
    if reference:
        by_operation = ordinary.reference_tallies(connection, period, within, hurt)
    else:  # counts of the results reaching each threshold the rules ask, not their list
        asked = thresholds(rulebook)
        by_operation = ordinary.tallies(connection, period, within, hurt, asked, per_worker=True)
    tallies = merged_by(by_operation, lambda w: w)
    records: dict[tuple[str, ClaimStatus], int] = defaultdict(int)
    for state in claims.claim_book(connection).states:
        if state.claim.date in period:
            records[(state.claim.worker_id, state.status)] += 1
    invented = title_store.innovations_by_worker(connection, period)
    passed, taught = skills.course_counts(connection, period)
    links = [m for m in mentoring.load_links(connection) if m.overlaps(period)]
    start = period.end + dt.timedelta(days=1)
    held: dict[str, set[str]] = defaultdict(set)
    for grant in title_store.grants(connection):
        if grant.valid_on(start):
            held[grant.worker_id].add(grant.title)
    workers = set(tallies) | {w for i in hurt for w in i.worker_ids}
    found = []
    for worker_id in sorted(workers):
        worker = roster.get(worker_id)
        if within and (worker is None or not is_within(worker.unit, within)):
            continue
        found.append(
            Facts(
                worker_id=worker_id,
                tally=tallies.get(worker_id, Tally()),
                incidents=tuple(i for i in hurt if i.involves(worker_id)),
                verified_records=records[(worker_id, ClaimStatus.VERIFIED)],
                assisted_records=records[(worker_id, ClaimStatus.ASSISTED)],
                innovations=invented[worker_id],
                apprentices=len({m.apprentice_id for m in links if m.master_id == worker_id}),
                held=frozenset(held[worker_id]),
                courses_passed=passed.get(worker_id, 0),
                courses_taught=taught.get(worker_id, 0),
            )
        )
    return rulebook, found


def evaluate(
    engine: Engine, period: Period, within: str | None = None, reference: bool = False
) -> Evaluation:
    with engine.connect() as connection:
        rulebook, found = facts(connection, period, within, reference)
    return evaluate_titles(rulebook, period, found)


def _evidence_text(evidence: dict[str, Any]) -> str:
    """The evidence as JSON with its numbers exact (Decimals are written as they are)."""

    def value(item: Any) -> str:
        if isinstance(item, Decimal):
            return format(item, "f")
        return json.dumps(item, ensure_ascii=False)

    return "{" + ", ".join(f"{json.dumps(k)}: {value(v)}" for k, v in evidence.items()) + "}"


def _rule_text(rulebook: Rulebook, rule: TitleRule) -> str:
    return f"{rule.code} ({rulebook.name} v{rulebook.version})"


def _write(
    connection: Connection,
    *,
    worker_id: str,
    rule: TitleRule,
    rule_text: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    evidence: dict[str, Any],
    period: Period,
    by: str,
) -> Grant:
    grant = title_store.write_grant(
        connection,
        Grant(
            0,
            worker_id,
            rule.code,
            rule.name,
            valid_from,
            valid_to,
            rule_text,
            json.loads(_evidence_text(evidence), parse_float=Decimal, parse_int=Decimal),
            period,
            by,
        ),
        _evidence_text(evidence),
    )
    title_id = grant.title_id
    if rule.award is not None:
        awards.add(
            connection,
            worker_id=worker_id,
            date=valid_from,
            code=rule.code,
            terms=rule.award,
            by=by,
            title_id=title_id,
            reason=f"title {rule.name}",
        )
    return grant


@dataclass(frozen=True)
class Conferral:
    evaluation: Evaluation
    grants: list[Grant]


def _unmet_requests(
    rulebook: Rulebook,
    evaluation: Evaluation,
    found: list[Facts],
    workers: set[str] | None,
    titles: set[str] | None,
) -> list[str]:
    """Why the named workers or titles cannot be conferred by rule for the period."""
    problems = []
    for code in sorted(titles or ()):
        rule = rulebook.rule(code)
        if rule is None:
            known = ", ".join(r.code for r in rulebook.titles)
            problems.append(f"unknown title {code!r} (the rulebook has: {known})")
        elif rule.by_authority:
            problems.append(
                f"{code!r} is conferred by an authority: give --authority and --reason "
                "with one --worker and one --title"
            )
    barred = {e.worker_id: e.reasons for e in evaluation.exclusions}
    facts_of = {f.worker_id: f for f in found}
    proposed = {(p.worker_id, p.rule.code) for p in evaluation.proposals}
    for worker_id in sorted(workers or ()):
        if worker_id in barred:
            problems.append(f"{worker_id} is not eligible: {'; '.join(barred[worker_id])}")
            continue
        mine = facts_of.get(worker_id)
        if mine is None:
            problems.append(f"{worker_id} did no normed work in {evaluation.period}")
            continue
        for code in sorted(titles or ()):
            rule = rulebook.rule(code)
            if rule is None or rule.by_authority or code in mine.held:
                continue
            if (worker_id, code) not in proposed:
                problems.append(
                    f"{worker_id} does not meet the rule for {code} in {evaluation.period}"
                )
    return problems


def confer(
    engine: Engine,
    period: Period,
    by: str,
    *,
    workers: set[str] | None = None,
    titles: set[str] | None = None,
    within: str | None = None,
) -> Conferral:
    """Confer the evaluation's proposals (optionally only some workers or titles).

    Naming a title or a worker is a request: it is refused, and nothing is written, for a title
    the rulebook does not have or reserves for an authority, for a worker the gates bar, and for
    a named worker and title whose rule the worker did not meet (unless they already hold it).
    """
    with engine.begin() as connection:
        rulebook, found = facts(connection, period, within)
        evaluation = evaluate_titles(rulebook, period, found)
        chosen: list[Proposal] = [
            p
            for p in evaluation.proposals
            if (workers is None or p.worker_id in workers)
            and (titles is None or p.rule.code in titles)
        ]
        problems = _unmet_requests(rulebook, evaluation, found, workers, titles)
        if problems:
            raise TitleRefused(*problems)
        grants = [
            _write(
                connection,
                worker_id=p.worker_id,
                rule=p.rule,
                rule_text=_rule_text(rulebook, p.rule),
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                evidence={"period": str(period), **p.evidence},
                period=period,
                by=by,
            )
            for p in chosen
        ]
        return Conferral(evaluation, grants)


def confer_by_authority(
    engine: Engine,
    *,
    worker_id: str,
    title: str,
    authority: str,
    period: Period,
    reason: str,
    by: str,
) -> Grant:
    """Confer a title that only an authority confers; the safety and quality gates still hold."""
    if not authority.strip() or not reason.strip():
        raise TitleRefused(say("name the authority and give the reason"))
    with engine.begin() as connection:
        rulebook, found = facts(connection, period)
        rule = rulebook.rule(title)
        if rule is None or not rule.by_authority:
            names = ", ".join(r.code for r in rulebook.titles if r.by_authority)
            raise TitleRefused(
                say(
                    "%(title)r is not conferred by an authority (those are: %(names)s)",
                    title=title,
                    names=names,
                )
            )
        mine = next((f for f in found if f.worker_id == worker_id), None)
        if mine is None:
            raise TitleRefused(
                say(
                    "%(worker)s did no normed work in %(period)s",
                    worker=worker_id,
                    period=str(period),
                )
            )
        barred = gate(mine, rulebook.gates)
        if barred:
            raise TitleRefused(
                say(
                    "%(worker_id)s is not eligible: %(barred)s",
                    worker_id=worker_id,
                    barred="; ".join(barred),
                )
            )
        if title in mine.held:
            raise TitleRefused(
                say("%(worker)s already holds %(title)s", worker=worker_id, title=title)
            )
        valid_from, valid_to = validity(rule, period.end + dt.timedelta(days=1))
        return _write(
            connection,
            worker_id=worker_id,
            rule=rule,
            rule_text=f"{rule.code} (conferred by {authority.strip()})",
            valid_from=valid_from,
            valid_to=valid_to,
            evidence={"period": str(period), "authority": authority.strip(), "reason": reason},
            period=period,
            by=by,
        )


def record_event(
    engine: Engine, title_id: int, kind: TitleEventKind, on: dt.date, reason: str, by: str
) -> Grant:
    """Revoke, appeal, reinstate or dismiss an appeal, in the order the history allows."""
    if not reason.strip():
        raise TitleRefused(say("'%(kind)s' needs a reason", kind=kind.value), field="reason")
    with engine.begin() as connection:
        grant = next((g for g in title_store.grants(connection) if g.title_id == title_id), None)
        if grant is None:
            raise TitleRefused(
                say("unknown title %(title)s", title=title_id), kind=Refusal.NOT_FOUND
            )
        refused = refusal(list(grant.events), kind)
        if refused:
            raise TitleRefused(refused, field="reason")
        if grant.events and on < grant.events[-1].date:
            raise TitleRefused(
                say("the last event was on %(date)s", date=str(grant.events[-1].date)), field="on"
            )
        event = TitleEvent(kind, on, reason.strip(), by)
        title_store.write_event(connection, title_id, event)
        return replace(grant, events=(*grant.events, event))


def record_innovation(
    engine: Engine, worker_id: str, on: dt.date, description: str, by: str
) -> None:
    if not description.strip():
        raise TitleRefused(say("describe the innovation"), field="description")
    with engine.begin() as connection:
        known = LedgerStore(connection).master([worker_id]).workers
        if worker_id not in known:
            raise TitleRefused(
                say("unknown worker %(id)r%(hint)s", id=worker_id, hint=""), field="worker_id"
            )
        title_store.write_innovation(connection, worker_id, on, description.strip(), by)


def grants(engine: Engine, worker_id: str | None = None, on: dt.date | None = None) -> list[Grant]:
    """Conferred titles; with `on`, those valid that day, with their status and history as
    they stood then (a later revocation is not shown as if it had happened)."""
    with engine.connect() as connection:
        found = title_store.grants(connection)
    return [
        g if on is None else replace(g, events=tuple(e for e in g.events if e.date <= on))
        for g in found
        if (worker_id is None or g.worker_id == worker_id) and (on is None or g.valid_on(on))
    ]


def grant_page(
    engine: Engine,
    subtrees: Sequence[str] | None,
    unit: str | None,
    words: Sequence[str],
    descending: bool,
    limit: int | None,
    number: int = 1,
    worker_id: str | None = None,
) -> tuple[list[Grant], int]:
    """One page of the titles conferred on workers at home in the subtrees (and the unit),
    searched in the store (no limit: every one); with how many the search finds."""
    with engine.connect() as connection:
        return title_store.grant_page(
            connection, subtrees, unit, words, descending, limit, number, worker_id
        )


def grant_dict(grant: Grant) -> dict[str, Any]:
    return {
        "worker_id": grant.worker_id,
        "title": grant.title,
        "from": grant.valid_from,
        "to": grant.valid_to,
        "rule": grant.rule,
        "evidence": grant.evidence,
        "title_id": grant.title_id,
        "name": grant.name,
        "status": grant.state.value,
        "period": str(grant.period),
        "conferred_by": grant.conferred_by,
        "history": [
            {"event": e.kind.value, "date": e.date, "reason": e.reason, "by": e.by}
            for e in grant.events
        ],
    }


def proposal_dict(proposal: Proposal, rulebook: Rulebook) -> dict[str, Any]:
    """A proposal with the keys of a conferred title (`titles --json`)."""
    return {
        "worker_id": proposal.worker_id,
        "title": proposal.rule.code,
        "from": proposal.valid_from,
        "to": proposal.valid_to,
        "rule": _rule_text(rulebook, proposal.rule),
        "evidence": dict(proposal.evidence),
        "name": proposal.rule.name,
        "award": None if proposal.rule.award is None else str(proposal.rule.award),
    }
