"""`stakhanov audit`: the findings, and `stakhanov audit review` to decide on one."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

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
from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.services import reports, reviews
from stakhanov.services.importing import default_author

audit_app = typer.Typer(
    help="Shifts whose results were assisted, pooled, implausible or prepared.",
    invoke_without_command=True,
    no_args_is_help=False,
)


class Status(StrEnum):
    OPEN = "open"
    EXPLAINED = "explained"
    UPHELD = "upheld"


def _row(item: reviews.ReviewedFinding) -> dict[str, Any]:
    row = reports.finding_dict(item.finding)
    row["status"] = item.status
    row["review"] = (
        None
        if item.review is None
        else {
            "decision": item.review.decision.value,
            "reason": item.review.reason,
            "reviewer": item.review.reviewer,
        }
    )
    return row


@audit_app.callback()
def audit(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    kind: Annotated[
        list[FindingKind] | None, typer.Option("--kind", help="Only these kinds (repeatable).")
    ] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Only findings with this status.")
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """List audit findings with their review status (open until an auditor decides)."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = period_of(period, start, end)
    kinds = {k.value for k in kind} if kind else None
    found = reviews.reviewed_findings(app_context(ctx).engine(), chosen)
    rows = [
        _row(item)
        for item in found
        if (kinds is None or item.finding.kind.value in kinds)
        and (status is None or item.status == status.value)
    ]
    emit(
        rows,
        title="Audit findings",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=("date", "kind", "shift_id", "operation", "worker_ids", "status", "message"),
    )


@audit_app.command("review")
@writes
def review(
    ctx: typer.Context,
    shift_id: Annotated[str, typer.Argument(help="The shift of the finding.")],
    kind: Annotated[FindingKind, typer.Option("--kind", help="The finding's kind.")],
    decision: Annotated[
        Decision, typer.Option("--decision", help="explained: the data stand; upheld: it stands.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept with the decision.")],
    operation: Annotated[
        str | None,
        typer.Option(
            "--operation",
            help="The finding's operation; may be left out when the shift has one such finding.",
        ),
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option("--by", help="Who decides (default: the system user).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record an auditor's decision on a finding. Decisions are never edited, only superseded."""
    engine = app_context(ctx).engine()
    done = reviews.review(
        engine, kind, shift_id, operation, decision, reason, reviewer or default_author()
    )
    if as_json:
        print(dumps(_row(done)))
    else:
        console.print(f"{kind.value} finding on {shift_id}: {done.status} ({reason})")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
