"""The demo's recognition: record attempts registered before their shifts, verified by an
outside auditor (the 1935 records stand only as assisted records; the staged pooled and
implausible shifts are caught), titles conferred for September 1935, a competition between the
sections for a banner, and the mine's honour board."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from stakhanov.data.irmino import (
    ENTERPRISE,
    IMPLAUSIBLE_DAY,
    POOLED_DAY,
    RECORDS,
    SECTIONS,
    STAKHANOV,
)
from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.competition import Metric, Step
from stakhanov.domain.fulfilment import results
from stakhanov.domain.periods import Period
from stakhanov.domain.records import CrewMember
from stakhanov.domain.rounding import percent_or_none
from stakhanov.domain.shifts import Conditions
from stakhanov.services import (
    awards,
    claims,
    competitions,
    honour,
    payroll,
    records,
    reviews,
    titles,
)
from stakhanov.services.reports import ledger_for
from stakhanov.store.ledger import LedgerStore

SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
OCTOBER = Period(dt.date(1935, 10, 1), dt.date(1935, 10, 31))
FOREMAN = "foreman of Section 8"
AUDITOR = "trust inspector N. Auditor"
COMMITTEE = "mine committee"
BANNER = "Red Banner of Central-Irmino"
COMPETITION = "Sections, September 1935"
RECORD_CREW = (
    CrewMember("W003", "timbering"),
    CrewMember("W004", "timbering"),
    CrewMember("W002", "assist"),
)
EVIDENCE = "weighbridge slips checked; witnesses and crew heard"
TOP = 5


@dataclass(frozen=True)
class RecognitionReport:
    claims: list[dict[str, Any]]
    titles: dict[str, int]
    excluded: list[dict[str, Any]]
    competition: list[dict[str, Any]]
    winners: list[str]
    banner: list[dict[str, Any]]
    honour_board: list[dict[str, Any]]
    awards: int
    october_bonuses: dict[str, Decimal]
    paid: list[dict[str, Any]] = field(default_factory=list)  # award lines on September's slips


def register_attempts(engine: Engine) -> None:
    """The foreman registers the three record attempts before their shifts are logged."""
    for day in RECORDS:
        claims.register(
            engine,
            worker_id=STAKHANOV.worker_id,
            operation="hewing",
            date=day,
            by=FOREMAN,
            crew=RECORD_CREW,
            conditions=Conditions.PREPARED,
            resources="face prepared in advance; extra timber and tubs brought up",
            witnesses=("mine director", "party committee secretary"),
            claim_id=f"R-{day.isoformat()}",
        )


def _staged_claims(engine: Engine) -> list[str]:
    """Claims on the staged shifts: the pooled hewing face and the implausible haulage."""
    made = []
    with engine.connect() as connection:
        book = claims.context_for(connection, [POOLED_DAY, IMPLAUSIBLE_DAY])
    for finding, _ in book.findings:
        if finding.kind in (FindingKind.POOLED, FindingKind.IMPLAUSIBLE):
            claim = claims.claim_result(
                engine,
                shift_id=finding.shift_id,
                worker_id=finding.worker_ids[0],
                by="section foreman",
                operation=finding.operation,
            )
            made.append(claim.claim_id)
    return made


def _honest_claim(engine: Engine) -> str:
    """A claim on September's best ordinary hewing shift: standard, unassisted, unpooled."""
    ledger = ledger_for(engine, SEPTEMBER)
    honest = [
        r
        for r in results(ledger, SEPTEMBER.start, SEPTEMBER.end)
        if r.operation == "hewing"
        and r.percent is not None
        and not (r.prepared or r.assisted or r.pooled)
    ]
    best = max(honest, key=lambda r: (r.percent, r.shift_id))
    return claims.claim_result(
        engine, shift_id=best.shift_id, worker_id=best.worker_id, by="section foreman"
    ).claim_id


def _verify_all(engine: Engine, claim_ids: list[str]) -> dict[str, str]:
    """Verify every claim. A staged one is refused while its finding is open; the auditor
    upholds the finding, and the claim is then rejected."""
    blocked: dict[str, str] = {}
    with engine.connect() as connection:
        waiting = {s.claim.claim_id: s.assessment.open_findings
                   for s in claims.claim_book(connection).states}  # fmt: skip
    for claim_id in claim_ids:
        for finding in waiting[claim_id]:
            try:
                records.verify(engine, claim_id, AUDITOR, EVIDENCE)
            except claims.ClaimRefused:
                blocked[claim_id] = f"blocked: open {finding.kind.value} finding"
            reviews.review(
                engine,
                finding.kind,
                finding.shift_id,
                finding.operation,
                Decision.UPHELD,
                "the crew and the weighbridge do not bear the credit out",
                AUDITOR,
            )
        records.verify(engine, claim_id, AUDITOR, EVIDENCE)
    return blocked


def run(engine: Engine) -> RecognitionReport:
    """Everything after the import: claims and verification, titles, competition, board."""
    staged = _staged_claims(engine)
    honest = _honest_claim(engine)
    attempts = [f"R-{day.isoformat()}" for day in RECORDS]
    blocked = _verify_all(engine, [*attempts, *staged, honest])
    with engine.connect() as connection:
        book = claims.claim_book(connection)
        names = LedgerStore(connection).master().workers  # everyone the report names
    claim_rows = []
    for state in book.states:
        result = state.assessment.located.result
        assert result is not None and state.decision is not None
        claim_rows.append(
            {
                "claim_id": state.claim.claim_id,
                "date": state.claim.date,
                "worker": names[state.claim.worker_id].name,
                "operation": state.claim.operation,
                "pre_registered": "yes" if state.claim.pre_registered else "no",
                "output": result.output,
                "percent": percent_or_none(result.percent),
                "fair_percent": percent_or_none(result.fair_percent),
                "first_try": blocked.get(state.claim.claim_id, "decided at once"),
                "status": state.status.value,
                "why": state.decision.reason or "",
            }
        )

    conferral = titles.confer(engine, SEPTEMBER, COMMITTEE)
    counts = Counter(g.title for g in conferral.grants)
    excluded = [
        {"worker": names[e.worker_id].name, "reasons": list(e.reasons)}
        for e in conferral.evaluation.exclusions
    ]

    sections = tuple(f"{ENTERPRISE}/Section {s.number}" for s in SECTIONS)
    competitions.declare(
        engine,
        competitions.Competition(
            COMPETITION, Metric.AVERAGE_FULFILMENT, SEPTEMBER, Step.WEEK, sections, BANNER
        ),
        COMMITTEE,
    )
    contest = competitions.report(engine, COMPETITION)
    board = honour.board(engine, ENTERPRISE, SEPTEMBER, top=TOP)
    with engine.connect() as connection:
        granted = awards.current(connection)
        bonuses = awards.award_bonuses(connection, OCTOBER)
    paid: dict[str, Decimal] = {}
    for bonus in bonuses:
        paid[bonus.currency] = paid.get(bonus.currency, Decimal(0)) + bonus.amount
    return RecognitionReport(
        claims=claim_rows,
        titles=dict(sorted(counts.items())),
        excluded=excluded,
        competition=competitions.standing_rows(contest.overall, contest.competition),
        winners=contest.winners,
        banner=[competitions.holding_dict(h) for h in contest.banner],
        honour_board=[honour.entry_dict(e, workers=False) for e in board],
        awards=len(granted),
        october_bonuses=paid,
    )


def with_paid_awards(engine: Engine, report: RecognitionReport) -> RecognitionReport:
    """The award lines on September's slips, once September is closed."""
    lines = [
        {"worker_id": slip.worker_id, "code": line.code, "amount": line.amount,
         "explain": line.explain}
        for slip in payroll.slips(engine, SEPTEMBER).slips
        for line in slip.lines
        if line.code.startswith("award:")
    ]  # fmt: skip
    return replace(report, paid=lines)
