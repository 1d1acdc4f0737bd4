"""`stakhanov records`: standing records, and the claims behind them from attempt to decision."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from stakhanov.cli.arguments import ByOption, actor, day
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    XlsxOption,
    period_of,
)
from stakhanov.cli.output import console, emit
from stakhanov.domain.records import ClaimDecision, ClaimStatus, CrewMember, Measure
from stakhanov.domain.scopes import Scope
from stakhanov.domain.shifts import Conditions
from stakhanov.services import claims
from stakhanov.services import records as service
from stakhanov.services.awards import award_dict

records_app = typer.Typer(
    help="Records by scope and measure, and record claims: register, claim, verify, reject.",
    invoke_without_command=True,
    no_args_is_help=False,
)

ScopeChoice = StrEnum(  # type: ignore[misc]
    "ScopeChoice", {s.name: s.value for s in Scope} | {"HISTORICAL": service.HISTORICAL}
)


class RecordStatus(StrEnum):
    VERIFIED = "verified"
    ASSISTED = "assisted"
    HISTORICAL = "historical"


NUMBERS = ("hours", "output", "percent", "fair_percent", "value", "fair_value")
ClaimOption = Annotated[str, typer.Argument(help="The claim id (C1, ...).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="A note.")]
ClaimIdOption = Annotated[str | None, typer.Option("--id", help="Claim id (default C<n>).")]


@records_app.callback()
def records(
    ctx: typer.Context,
    operation: Annotated[
        str | None, typer.Option("--operation", help="Only this operation.")
    ] = None,
    scope: Annotated[
        ScopeChoice | None,
        typer.Option("--scope", help="Only this scope ('historical': the sources' claims)."),
    ] = None,
    measure: Annotated[Measure | None, typer.Option("--measure", help="Only this measure.")] = None,
    status: Annotated[
        RecordStatus | None, typer.Option("--status", help="Only records with this status.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """The best verified result, and the best assisted one, per scope, operation and measure.

    Absolute output is compared only between shifts of equal hours. Without a period, records
    are all-time and the historical claims of the sources follow, as stated, never verified.
    """
    if ctx.invoked_subcommand is not None:
        return
    chosen = period_of(period, start, end) if (period or start or end) else None
    rows = service.listing(
        app_context(ctx).engine(),
        operation=operation,
        scope=scope.value if scope else None,
        measure=measure,
        status=status.value if status else None,
        period=chosen,
    )
    emit(
        rows,
        title="Records (fair value decides; assisted records stand apart)",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=(
            "scope",
            "scope_id",
            "operation",
            "measure",
            "hours",
            "worker_id",
            "date",
            "output",
            "unit",
            "percent",
            "fair_percent",
            "fair_value",
            "status",
            "claim_id",
        ),
        right=NUMBERS,
    )


def _crew(values: list[str] | None, operation: str | None) -> list[CrewMember]:
    members = []
    for value in (v for given in values or [] for v in given.split(",")):  # W1,W2 = two
        worker, _, role = value.partition(":")
        if not worker.strip():
            raise typer.BadParameter(f"{value!r}: give WORKER or WORKER:OPERATION")
        members.append(CrewMember(worker.strip(), role.strip() or operation or "assist"))
    return members


@records_app.command("register")
@writes
def register_attempt(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", help="Who attempts the record.")],
    operation: Annotated[str, typer.Option("--operation", help="The operation, e.g. hewing.")],
    date: Annotated[str, typer.Option("--date", help="The date of the shift.")],
    shift: Annotated[
        str | None, typer.Option("--shift", help="The shift id, if already known.")
    ] = None,
    crew: Annotated[
        list[str] | None,
        typer.Option("--crew", help="A co-worker on the same operation (repeatable, or W1,W2)."),
    ] = None,
    helper: Annotated[
        list[str] | None,
        typer.Option(
            "--helper",
            help="WORKER[:OPERATION]: a helper on included work, or assist (repeatable, "
            "or W1:timbering,W2).",
        ),
    ] = None,
    conditions: Annotated[
        Conditions, typer.Option("--conditions", help="standard, or prepared.")
    ] = Conditions.STANDARD,
    resources: Annotated[
        str | None, typer.Option("--resources", help="Extra resources prepared for it.")
    ] = None,
    witness: Annotated[
        list[str] | None, typer.Option("--witness", help="A witness (repeatable).")
    ] = None,
    note: NoteOption = None,
    claim_id: ClaimIdOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register a record attempt before the shift, with everything that will help it."""
    members = _crew(crew, operation) + _crew(helper, None)
    claim = claims.register(
        app_context(ctx).engine(),
        worker_id=worker,
        operation=operation,
        date=day(date, "--date"),
        by=actor(by),
        shift_id=shift,
        crew=members,
        conditions=conditions,
        resources=resources,
        witnesses=witness or (),
        note=note,
        claim_id=claim_id,
    )
    _show(service.claim_dict(claim), as_json, "registered")


@records_app.command("claim")
@writes
def claim_(
    ctx: typer.Context,
    shift: Annotated[str, typer.Argument(help="The shift whose result is claimed.")],
    worker: Annotated[str, typer.Option("--worker", help="Whose result.")],
    operation: Annotated[
        str | None, typer.Option("--operation", help="Needed if the worker did several.")
    ] = None,
    note: NoteOption = None,
    claim_id: ClaimIdOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Claim a result already in the ledger as a record (nothing was declared before it)."""
    claim = claims.claim_result(
        app_context(ctx).engine(),
        shift_id=shift,
        worker_id=worker,
        by=actor(by),
        operation=operation,
        note=note,
        claim_id=claim_id,
    )
    _show(service.claim_dict(claim), as_json, "claimed")


def _show(row: dict[str, Any], as_json: bool, done: str) -> None:
    if as_json:
        print(dumps(row))
        return
    console.print(
        f"claim {row['claim_id']} {done}: {row['worker_id']} {row['operation']} on {row['date']}"
    )


@records_app.command("claims")
def list_claims(
    ctx: typer.Context,
    status: Annotated[
        ClaimStatus | None, typer.Option("--status", help="Only claims with this status.")
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Every claim with its status, what blocks it, and what a verification would decide."""
    with app_context(ctx).engine().connect() as connection:
        book = claims.claim_book(connection)
    rows = [service.state_dict(s) for s in book.states if status is None or s.status is status]
    emit(
        rows,
        title="Record claims",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=(
            "claim_id",
            "worker_id",
            "operation",
            "date",
            "shift_id",
            "pre_registered",
            "percent",
            "fair_percent",
            "status",
            "outcome_if_verified",
            "blockers",
        ),
        right=NUMBERS,
    )


@records_app.command("check")
def check(
    ctx: typer.Context,
    claim_id: ClaimOption,
    auditor: Annotated[
        str | None, typer.Option("--auditor", help="Also check this auditor is an outsider.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """What verifying the claim would decide now, and anything that blocks it."""
    with app_context(ctx).engine().connect() as connection:
        state = claims.state_of(connection, claim_id, auditor)
    row = service.state_dict(state)
    if as_json:
        print(dumps(row))
        return
    console.print(f"claim {claim_id}: {row['status']}")
    for blocker in row["blockers"]:
        console.print(f"  blocked: {blocker}", markup=False)
    if row["outcome_if_verified"]:
        console.print(f"  a verification now would decide: {row['outcome_if_verified']}")
    for reason in row["reasons"] + row["notes"]:
        console.print(f"  - {reason}", markup=False)


def _decided(decision: ClaimDecision, as_json: bool, extra: dict[str, Any]) -> None:
    row = {
        "claim_id": decision.claim_id,
        "status": decision.status.value,
        "auditor": decision.auditor,
        "evidence": decision.evidence,
        "reason": decision.reason,
        **extra,
    }
    if as_json:
        print(dumps(row))
        return
    console.print(f"claim {decision.claim_id}: {decision.status.value}", markup=False)
    if decision.reason:
        console.print(f"  {decision.reason}", markup=False)
    if extra.get("award"):
        console.print(f"  award {extra['award']['award_id']}: {extra['award']['code']}")


AuditorOption = Annotated[str, typer.Option("--by", help="The auditor (not in the crew).")]


@records_app.command("verify")
@writes
def verify(
    ctx: typer.Context,
    claim_id: ClaimOption,
    by: AuditorOption,
    evidence: Annotated[
        str, typer.Option("--evidence", help="What the auditor saw: slips, witnesses, measures.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Verify a claim: it becomes verified, or an assisted record, or rejected, as the ledger
    shows. Refused (exit 1) while an open finding or anything else blocks it."""
    decision, award = service.verify(app_context(ctx).engine(), claim_id, by, evidence)
    _decided(decision, as_json, {"award": award_dict(award) if award else None})


@records_app.command("reject")
@writes
def reject(
    ctx: typer.Context,
    claim_id: ClaimOption,
    by: AuditorOption,
    reason: Annotated[str, typer.Option("--reason", help="Why it is rejected.")],
    as_json: JsonOption = False,
) -> None:
    """Reject a claim with a reason."""
    decision = claims.reject(app_context(ctx).engine(), claim_id, by, reason)
    _decided(decision, as_json, {})


def register(app: typer.Typer) -> None:
    app.add_typer(records_app, name="records")
