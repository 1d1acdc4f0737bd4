"""Typed request and response bodies. Decimals travel as strings so no digit is lost."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from stakhanov.domain import numbers
from stakhanov.domain.access import Role
from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.competition import Metric
from stakhanov.domain.competition import Step as RoundStep
from stakhanov.domain.disputes import Subject
from stakhanov.domain.disputes import Verdict as DisputeVerdict
from stakhanov.domain.exact import Exact
from stakhanov.domain.governance import Verdict
from stakhanov.domain.norms import NormKind
from stakhanov.domain.shifts import Conditions

Text = Field(min_length=1, max_length=500)


def _kept_exact(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """Hours of thirds stay exact (pydantic would make 1/3 a 28-digit Decimal)."""
    return value if isinstance(value, Exact) else handler(value)


Number = Annotated[
    Decimal,
    WrapValidator(_kept_exact),
    PlainSerializer(numbers.text, return_type=str, when_used="json"),
]
"""A Decimal as a decimal string, by the one policy the command line also follows."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    if isinstance(value, bool | int | float | Decimal) or (
        isinstance(value, str) and not _ISO_DATE.fullmatch(value)
    ):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A date written as the contract writes dates (`1935-08-31`); pydantic alone would also take a
number as a Unix time."""


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(_utc)]
"""A moment in UTC with its offset (SQLite hands stored moments back without one)."""


WrittenHours = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
    Field(description="Hours as the import writes them: 6.5, 20min, 6h20min, 6:20 or 1/3."),
]
"""Hours as text, read by the import's grammar (domain/hours.py) with its located refusals."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class GrantIn(Strict):
    role: Role
    scope: str | None = Field(
        default=None, max_length=500, description="Unit path; omitted: the whole organisation."
    )


class GrantOut(BaseModel):
    grant_id: int
    role: Role
    scope: str | None
    granted_by: str
    granted_at: UtcDateTime


class UserOut(BaseModel):
    user_id: int
    username: str
    display_name: str
    worker_id: str | None
    active: bool
    created_by: str
    grants: list[GrantOut]


class LoginOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'.")
    csrf_token: str = Field(description="Send as X-CSRF-Token on writes made with the cookie.")
    expires_at: UtcDateTime
    user: UserOut


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)
    display_name: str | None = Field(default=None, max_length=200)
    worker_id: str | None = Field(default=None, max_length=100)
    grants: list[GrantIn] = Field(default_factory=list, max_length=50)


class UserPatch(Strict):
    password: str | None = Field(default=None, min_length=1, max_length=1000)
    display_name: str | None = Field(default=None, max_length=200)
    active: StrictBool | None = None


class PinIn(Strict):
    pin: str = Field(pattern=r"^[0-9]{4,8}$", description="4 to 8 digits.")


class WorkerOut(BaseModel):
    worker_id: str
    name: str
    unit: str
    trade: str | None
    grade: str | None


class NormOut(BaseModel):
    operation: str
    unit: str
    kind: NormKind
    norm: Number
    norm_hours: Number | None
    includes: list[str]
    max_rate: Number | None
    effective_from: IsoDate
    method: str | None
    source: str | None
    per_hour: Number


class FulfilmentOut(BaseModel):
    """The contract's keys (docs/contract.md): `unit` is the unit path for brigade and unit
    groupings."""

    shift_id: str | None = None
    worker_id: str | None = None
    unit: str | None
    operation: str
    shifts: int
    hours: Number
    output: Number
    quantity_unit: str | None
    norm_output: Number | None
    percent: Number | None
    fair_percent: Number | None


class TrendOut(BaseModel):
    date: IsoDate
    hours: Number
    percent: Number | None
    fair_percent: Number | None


class ReviewOut(BaseModel):
    decision: Decision
    reason: str
    reviewer: str


class FindingOut(BaseModel):
    kind: FindingKind
    shift_id: str
    operation: str | None
    worker_ids: list[str]
    message: str
    date: IsoDate | None
    status: str = Field(description="open, explained or upheld")
    review: ReviewOut | None


class ChainFindingOut(BaseModel):
    """A row (or chain link, or seal) that is not as the chain recorded it."""

    table: str
    id: str
    batch: int | None
    shift: str | None
    what: str = Field(description="edited, deleted, inserted, reordered, link broken, ...")
    detail: str


class ChainStateOut(BaseModel):
    """The hash chain recomputed now, as `stakhanov verify-ledger --json`."""

    intact: bool
    links: int
    rows: int
    seals: int
    head: str
    findings: list[ChainFindingOut]
    rolled_back_batches: list[int] = Field(description="Batch ids never committed.")


class ReviewIn(Strict):
    """An auditor's decision on one current finding; decisions are superseded, never edited."""

    kind: FindingKind
    shift_id: str = Text
    operation: str | None = Field(default=None, max_length=500)
    decision: Decision
    reason: str = Field(min_length=1, max_length=2000)


class FindingRef(Strict):
    kind: FindingKind
    shift_id: str = Text
    operation: str | None = Field(default=None, max_length=500)


class BulkReviewIn(Strict):
    """One decision with one reason on many current findings, in one transaction: each is
    recorded as its own review; if any is not a current finding, none is."""

    findings: list[FindingRef] = Field(min_length=1, max_length=5000)
    decision: Decision
    reason: str = Field(min_length=1, max_length=2000)


class VoidIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class VoidOut(BaseModel):
    shift_id: str
    batch_id: int
    output_rows: int
    crew_rows: int


class ClaimOut(BaseModel):
    claim_id: str
    person: str | None
    industry: str | None
    operation: str | None
    place: str | None
    date: str | None
    output: Number | None
    unit: str | None
    norm: Number | None
    shift_hours: Number | None
    stated_ratio: str | None
    source: str | None
    note: str | None
    percent: Number | None


class OutputIn(Strict):
    operation: str = Text
    quantity: Decimal
    unit: str = Text
    rejected: Decimal | None = None


class CrewIn(Strict):
    worker_id: str = Text
    operation: str = Text
    hours: Decimal | WrittenHours
    credited: Decimal | None = None
    coefficient: Decimal | None = None


class ShiftIn(Strict):
    """A shift with its measured output and crew, checked exactly as an import would be."""

    shift_id: str = Text
    date: IsoDate
    hours: Decimal | WrittenHours
    workplace: str = Text
    conditions: Conditions = Conditions.STANDARD
    note: str | None = Field(default=None, max_length=2000)
    start_time: str | None = Field(
        default=None, max_length=5, description="Clock time HH:MM, with end_time (night work)."
    )
    end_time: str | None = Field(default=None, max_length=5, description="Clock time HH:MM.")
    outputs: list[OutputIn] = Field(default_factory=list, max_length=50)
    crew: list[CrewIn] = Field(default_factory=list, max_length=200)
    correct: StrictBool = False
    reason: str | None = Field(default=None, max_length=2000)


class KioskCrewIn(Strict):
    """A worker without an account signs their own part of a shift with their PIN."""

    worker_id: str = Text
    pin: str = Field(min_length=1, max_length=20)
    shift_id: str = Text
    operation: str = Text
    hours: Annotated[Decimal, Field(gt=0, le=24)] | WrittenHours


class FileCountsOut(BaseModel):
    file: str
    source: str | None = Field(
        None, description="The file as it was sent, where that differs: book.xlsx[workers]."
    )
    added: int
    unchanged: int
    corrected: int
    withdrawn: int


class ImportOut(BaseModel):
    batch_id: int | None
    changed: bool
    checked_only: bool = Field(description="True when only checked: nothing was written.")
    files: list[FileCountsOut]


class TierOut(BaseModel):
    above: Number
    multiplier: str


class ScaleOut(BaseModel):
    """A pay scale version as `stakhanov scales list --json` prints it."""

    name: str
    effective_from: IsoDate
    currency: str
    operations: list[str] | None
    basis: str
    percent: str
    grades: dict[str, str] = Field(description="Hourly tariff per grade, decimal strings.")
    tiers: list[TierOut]


class ScaleImportOut(BaseModel):
    batch_id: int | None
    added: list[str]
    unchanged: list[str]
    corrected: list[str]


class UnpaidOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    days: int


class BlockerOut(BaseModel):
    kind: str = Field(description="pooled, implausible, uncredited, unpayable or dispute.")
    subject: str = Field(description="The shift id, or the disputed reference.")
    operation: str | None
    line: str | None = Field(description="The slip line a pay-line dispute names.")
    worker_ids: list[str]
    message: str
    overridable: bool = Field(
        description="False where the close itself refuses (a grade the scale does not pay)."
    )
    blocks: bool = Field(
        description="False for work no scale covers: listed, but it may be paid elsewhere."
    )


class LockCheckOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    closed: bool = Field(description="The period is locked already: nothing was checked.")
    clear: bool = Field(description="Nothing blocks the lock (items with blocks false may remain).")
    blockers: list[BlockerOut]
    total: int | None = Field(
        default=None, description="How many items the check found, on every page."
    )


class CloseOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    slips: int
    gross: str = Field(description="Money as a decimal string.")
    net: str
    adjusted: int = Field(description="Slips carrying adjustments of earlier closed periods.")
    digest: str = Field(description="sha-256 of the slips as canonical JSON.")
    already_closed: bool
    unpaid_before: UnpaidOut | None = Field(
        None,
        description="Work dated before the period that no closed period pays yet (close a "
        "period that covers it); null when there is none.",
    )


class ClosedPeriodOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    closed_at: UtcDateTime
    batch_id: int
    slips: int
    gross: str
    net: str
    digest: str


class PayLineOut(BaseModel):
    code: str
    key: str
    quantity: str
    unit: str
    rate: str
    amount: str
    explain: str
    reference: str | None


class SlipOut(BaseModel):
    """A pay slip as `stakhanov payroll show --json` prints it; money as decimal strings."""

    model_config = ConfigDict(populate_by_name=True)

    worker_id: str
    name: str
    currency: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    gross: str
    lines: list[PayLineOut]
    deductions: list[PayLineOut]
    total_deductions: str
    net: str
    status: str = Field(description="closed, or open: provisional, as it would close now")


class JobOut(BaseModel):
    job_id: str
    state: str = Field(description="running, done, rejected, refused or failed")
    stage: str
    fraction: Number = Field(description='How far the job has got, from "0" to "1".')
    result: ImportOut | CloseOut | WhatIfOut | None = None
    problems: list[str] = Field(default_factory=list)


class CrewRowOut(BaseModel):
    worker_id: str
    name: str
    operation: str
    hours: Number
    credited: Number | None
    declared: Number | None
    coefficient: Number | None
    percent: Number | None
    fair_percent: Number | None


class OutputOut(BaseModel):
    operation: str
    quantity: Number
    unit: str
    rejected: Number | None


class ShiftOut(BaseModel):
    shift_id: str
    date: IsoDate
    hours: Number
    workplace: str
    conditions: Conditions
    note: str | None
    resources: list[str] = Field(
        default_factory=list, description="Extra resources declared for the shift, by name."
    )
    start_time: str | None = Field(default=None, description="Clock time HH:MM, or null.")
    end_time: str | None = Field(default=None, description="Clock time HH:MM, or null.")
    outputs: list[OutputOut]
    crew: list[CrewRowOut]


class BatchOut(BaseModel):
    batch_id: int
    kind: str
    source: str | None
    author: str
    reason: str | None
    written_at: UtcDateTime


class WorkerDetailOut(BaseModel):
    worker: WorkerOut
    fulfilment: list[FulfilmentOut]
    trend: list[TrendOut]


class MeOut(BaseModel):
    user: UserOut
    worker: WorkerOut | None
    permissions: list[str]


class Health(BaseModel):
    status: str
    version: str


def as_model(model: type[BaseModel], values: dict[str, Any]) -> Any:
    return model.model_validate(values)


class NeededOut(BaseModel):
    operation: str
    unit: str
    output: Number
    needed: Number


class ChangeOut(BaseModel):
    worker_id: str
    name: str
    old: str | None = Field(description="Pay now, a decimal string; null outside your rights.")
    new: str | None = Field(description="Pay under the proposal.")
    change: str | None
    old_percent: Number | None
    new_percent: Number | None
    minimum_wage_make_up: bool | None = Field(description="Under the proposal.")
    old_minimum_wage_make_up: bool | None = Field(description="Now.")
    needed: list[NeededOut] = Field(description="Output needed to keep today's pay.")
    more_percent: Number | None


class WhatIfOut(BaseModel):
    """A period replayed under a proposed scale and/or norms; nothing is written."""

    model_config = ConfigDict(populate_by_name=True)

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    old_total: str | None = Field(description="Over the pay you may see; null if none.")
    new_total: str | None
    change: str | None
    losers: int
    workers: list[ChangeOut]
    falls: list[str] = Field(
        default_factory=list,
        description="Where the proposed scale's pay falls as output rises (docs/plans.md).",
    )


class RevisionOut(BaseModel):
    """A norm revision as `stakhanov norms revisions --json` lists it."""

    revision_id: int | None
    operation: str
    basis: str
    current_norm: Number
    proposed_norm: Number
    raise_percent: Number
    status: str = Field(description="pending, approved, rejected or withdrawn")
    next_step: str | None = Field(description="The role whose decision is awaited.")
    proposed_on: IsoDate
    proposed_by: str
    effective_from: IsoDate | None


class RevisionDecisionOut(BaseModel):
    step: str
    verdict: str
    by: str
    reason: str
    on: IsoDate


class StepOut(BaseModel):
    role: str
    advisory: bool


class RevisionDetailOut(RevisionOut):
    """A revision with its evidence: the basis, the impact on workers and pay, the decisions."""

    reason: str
    evidence: dict[str, Any] = Field(
        description="The proposal document: current, computed and proposed norms, the "
        "statistical basis or time study, the impact per worker and warnings."
    )
    decisions: list[RevisionDecisionOut]
    steps: list[StepOut]


class ProposalIn(Strict):
    """A proposed revision of an operation's norm, as `stakhanov norms propose` takes it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    operation: str = Text
    basis: str = Field(description="technical, time study or statistical")
    reason: str = Field(min_length=1, max_length=2000)
    norm: Decimal | None = Field(default=None, description="Technical basis: the new norm.")
    evidence: str | None = Field(default=None, max_length=2000)
    percentile: Decimal | None = None
    target: Decimal | None = None
    start: IsoDate | None = Field(default=None, alias="from")
    end: IsoDate | None = Field(default=None, alias="to")
    observations: int | None = Field(default=None, ge=1, le=100_000)
    observed_minutes: Decimal | None = None
    pace_rating: Decimal | None = None
    allowances: Decimal | None = None
    dry_run: StrictBool = Field(default=False, description="Show the proposal; record nothing.")


class DecisionIn(Strict):
    step: str = Field(min_length=1, max_length=100, description="The approval step taken.")
    decision: Verdict = Field(description="approve, reject or withdraw")
    reason: str = Field(min_length=1, max_length=2000)


class PlanOut(BaseModel):
    unit: str
    operation: str
    period_start: IsoDate
    period_end: IsoDate
    granularity: str
    unit_of_measure: str
    target: Number
    actual: Number
    percent: Number | None
    forecast: Number | None
    forecast_percent: Number | None
    derived: bool
    as_of: IsoDate


class CrewMemberIn(Strict):
    worker_id: str = Text
    operation: str = Field(min_length=1, max_length=200, description="Their work, or assist.")


class ClaimIn(Strict):
    """A record attempt registered before the shift, with everything that will help it."""

    worker_id: str = Text
    operation: str = Text
    date: IsoDate
    shift_id: str | None = Field(default=None, max_length=100)
    crew: list[CrewMemberIn] = Field(default_factory=list, max_length=50)
    conditions: Conditions = Conditions.STANDARD
    resources: str | None = Field(default=None, max_length=2000)
    witnesses: list[str] = Field(default_factory=list, max_length=20)
    note: str | None = Field(default=None, max_length=2000)


class VerifyIn(Strict):
    evidence: str = Field(min_length=1, max_length=2000, description="What the auditor saw.")


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class DisputeIn(Strict):
    subject: Subject = Field(description="shift, pay line or norm")
    reference: str = Field(
        min_length=1,
        max_length=500,
        description="The shift id, FROM..TO:line-key of a pay line, or the norm's operation.",
    )
    text: str = Field(min_length=1, max_length=4000)


class AnswerIn(Strict):
    verdict: DisputeVerdict = Field(description="upheld, rejected or answered")
    text: str = Field(min_length=1, max_length=4000)


class AnswerOut(BaseModel):
    verdict: str
    text: str
    by: str
    at: UtcDateTime


class DisputeOut(BaseModel):
    dispute_id: int
    worker_id: str
    subject: str
    reference: str
    text: str
    opened_by: str
    opened_at: UtcDateTime
    status: str = Field(description="open, or the latest answer's verdict")
    answers: list[AnswerOut]


class CompetitionIn(Strict):
    """A competition between units, as `stakhanov competition declare` takes it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1, max_length=200)
    units: list[str] = Field(min_length=2, max_length=100)
    metric: Metric = Field(description="What is compared.")
    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    step: RoundStep = Field(default=RoundStep.WEEK, description="The length of a round.")
    banner: str | None = Field(default=None, max_length=200)


class HonourIn(Strict):
    public: StrictBool = Field(description="False: leave me off the honour board.")
    reason: str | None = Field(default=None, max_length=2000)


class ResultClaimIn(Strict):
    """A result already in the ledger claimed as a record (nothing was declared before it)."""

    shift_id: str = Text
    worker_id: str = Text
    operation: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class ConferralIn(Strict):
    """Confer what the rulebook gives for a period, optionally to some workers or titles."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    unit: str | None = Field(default=None, max_length=500)
    workers: list[str] | None = Field(default=None, max_length=1000)
    titles: list[str] | None = Field(default=None, max_length=50)


class PolicyIn(Strict):
    text: str = Field(min_length=1, max_length=20_000, description="The policy as TOML.")
    reason: str | None = Field(default=None, max_length=2000)


class MentorshipIn(Strict):
    """A master (at least twice the norm) teaching an apprentice from a date."""

    master_id: str = Text
    apprentice_id: str = Text
    start: IsoDate = Field(alias="from")
    note: str | None = Field(default=None, max_length=2000)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class MentorshipEndIn(Strict):
    on: IsoDate
    reason: str | None = Field(default=None, max_length=2000)


class TitleEventIn(Strict):
    """A step in a title's history: why, and from when (default today)."""

    reason: str = Field(min_length=1, max_length=2000)
    on: IsoDate | None = None


class AppealDecisionIn(TitleEventIn):
    reinstate: StrictBool = Field(
        description="True: reinstate the title; false: dismiss the appeal."
    )


class InnovationIn(Strict):
    """A method innovation a worker brought in (the Stakhanovite rule may count it)."""

    worker_id: str = Text
    date: IsoDate
    description: str = Field(min_length=1, max_length=2000)


class RulebookIn(Strict):
    text: str = Field(min_length=1, max_length=200_000, description="The rulebook as TOML.")
    name: str = Field(
        default="rulebook.toml", min_length=1, max_length=200, description="Its file name."
    )


class AwardIn(Strict):
    """An award for a title or a record claim: money (`amount`) or in kind (`in_kind`)."""

    worker_id: str = Text
    title_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    claim_id: str | None = Field(default=None, max_length=100)
    amount: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)
    currency: str = Field(default="RUB", min_length=1, max_length=10)
    in_kind: str | None = Field(default=None, min_length=1, max_length=500)
    code: str = Field(default="award", min_length=1, max_length=100)
    date: IsoDate | None = None
    reason: str | None = Field(default=None, max_length=2000)


class AwardCancelIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class CascadeIn(Strict):
    """Split a unit's target over the units below it by capacity in norm output."""

    unit: str = Field(min_length=1, max_length=500)
    operation: str = Field(min_length=1, max_length=200)
    period: str = Field(min_length=4, max_length=30, description="The plan's period.")
    target: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=6)
    unit_of_measure: str | None = Field(default=None, min_length=1, max_length=50)
    overrides: dict[str, Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]] = Field(
        default_factory=dict, max_length=500, description="Fixed targets: unit path to target."
    )
    reference: str | None = Field(
        default=None,
        max_length=30,
        description="Period whose hours give capacity (default: the period just before).",
    )
    levels: int = Field(default=1, ge=0, le=20, description="Levels down; 0 goes to the leaves.")
    apply: StrictBool = Field(
        default=False, description="Record the targets (an import of plans.csv)."
    )
    correct: StrictBool = Field(default=False, description="With apply: replace differing targets.")


class WorkerHonourIn(HonourIn):
    """A worker's wish about public boards, recorded for them (a worker is not a login)."""
