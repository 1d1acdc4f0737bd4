"""`stakhanov norms ...`: provenance, revisions, decisions, policy, notices; and `worker-data`."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from stakhanov.cli import reports as listing
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    ToOption,
    XlsxOption,
    day_of,
    number_of,
    period_of,
)
from stakhanov.cli.output import cell, console, emit, write_exports
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.governance import Verdict, policy_dict
from stakhanov.domain.proposals import Basis
from stakhanov.domain.provenance import TimeStudy
from stakhanov.i18n import current
from stakhanov.services import dashboard, notices, policies, proposals, revisions
from stakhanov.services.importing import default_author

norms_app = typer.Typer(
    help="Norms: every version, their provenance, revisions and written notices.",
    invoke_without_command=True,
    no_args_is_help=False,
)
policy_app = typer.Typer(
    help="The governance policy: notice, approval steps, caps, breaks.",
    invoke_without_command=True,
    no_args_is_help=False,
)
norms_app.add_typer(policy_app, name="policy")

ByOption = Annotated[str | None, typer.Option("--by", help="Who acts (default: the system user).")]
OperationOption = Annotated[str | None, typer.Option("--operation", help="Only this operation.")]
OnOption = Annotated[str | None, typer.Option("--on", help="The date it is done (default: today).")]


class BasisChoice(StrEnum):
    STATISTICAL = "statistical"
    TECHNICAL = "technical"
    TIME_STUDY = "time-study"


# `stakhanov norms` with no subcommand lists norms exactly as before the group existed.
norms_app.callback(invoke_without_command=True)(listing.norms)


@norms_app.command("propose")
@writes
def propose(
    ctx: typer.Context,
    operation: Annotated[str, typer.Argument(help="The operation whose norm to revise.")],
    basis: Annotated[BasisChoice, typer.Option("--basis", help="What the revision rests on.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the revision is proposed.")],
    start: FromOption = None,
    end: ToOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "--window",
            help="The window: a period (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO).",
        ),
    ] = None,
    percentile: Annotated[
        str | None, typer.Option("--percentile", help="Statistical: percentile of fair %.")
    ] = None,
    target: Annotated[
        str | None,
        typer.Option("--target", help="Statistical: the percent that percentile should score."),
    ] = None,
    norm: Annotated[
        str | None, typer.Option("--norm", help="Technical: the new norm value.")
    ] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", help="What supports it (equipment, study, order).")
    ] = None,
    observations: Annotated[
        int | None, typer.Option("--observations", help="Time study: observations made.")
    ] = None,
    observed_minutes: Annotated[
        str | None, typer.Option("--observed-minutes", help="Time study: mean minutes per unit.")
    ] = None,
    pace_rating: Annotated[
        str | None, typer.Option("--pace-rating", help="Time study: pace rating in percent.")
    ] = None,
    allowances: Annotated[
        str | None, typer.Option("--allowances", help="Time study: allowances in percent.")
    ] = None,
    by: ByOption = None,
    on: OnOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the proposal and its impact; record nothing.")
    ] = False,
    pay_search: Annotated[
        bool,
        typer.Option(
            "--pay-search",
            help="Also search each losing worker's output that keeps their pay (slow).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Propose a norm revision with its evidence, exclusions and impact on every worker."""
    window = period_of(period, start, end) if (period or start or end) else None
    study = None
    if basis is BasisChoice.TIME_STUDY:
        figures = (observations, observed_minutes, pace_rating, allowances)
        if any(f is None for f in figures):
            raise typer.BadParameter(
                "a time study needs --observations, --observed-minutes, --pace-rating and "
                "--allowances",
                param_hint="--basis",
            )
        try:
            study = TimeStudy(
                observations or 0,
                number_of(observed_minutes, "--observed-minutes") or Decimal(0),
                number_of(pace_rating, "--pace-rating") or Decimal(0),
                number_of(allowances, "--allowances") or Decimal(0),
            )
        except InvalidValue as err:
            raise typer.BadParameter(f"{err.value!r} {err.reason}", param_hint=err.field) from err
    request = proposals.Request(
        operation=operation,
        basis=Basis.TIME_STUDY if basis is BasisChoice.TIME_STUDY else Basis(basis.value),
        by=by or default_author(),
        reason=reason,
        proposed_on=day_of(on, "--on"),
        window=window,
        evidence=evidence,
        percentile=number_of(percentile, "--percentile"),
        target=number_of(target, "--target"),
        norm=number_of(norm, "--norm"),
        study=study,
        pay_search=pay_search,
    )
    document = proposals.propose(app_context(ctx).engine(), request, dry_run=dry_run)
    if as_json:
        print(dumps(document))
        return
    _print_proposal(document)


IMPACT_NUMBERS = (
    "shifts",
    "hours",
    "output",
    "percent_old",
    "fair_percent_old",
    "fair_percent_new",
    "output_same_percent",
    "pay_old",
    "pay_new",
    "pay_change",
    "pay_output",
    "pay_output_needed",
)


def _print_proposal(document: dict[str, Any]) -> None:
    current, proposed = document["current"], document["proposed"]
    number = document.get("revision_id")
    title = f"Revision {number}" if number else "Proposal (not recorded)"
    console.print(
        f"[bold]{title}: {document['operation']}[/bold] ({document['basis']}) "
        f"by {document['proposed_by']} on {cell(document['proposed_on'])}: {document['reason']}"
    )
    console.print(
        f"Norm {cell(current['norm'])} {current['unit']} → {cell(proposed['norm'])} "
        f"{proposed['unit']} ({cell(proposed['per_hour'])} {proposed['unit']}/h, "
        f"{cell(proposed['raise_percent'])}% per hour)"
        + (" [yellow]capped by policy[/yellow]" if document["capped"] else "")
    )
    stats = document.get("statistical")
    if stats:
        distribution = stats["distribution"] or {}
        console.print(
            f"\nBasis: the {cell(stats['percentile'])}th percentile of fair fulfilment, "
            f"{cell(stats['window']['from'])}..{cell(stats['window']['to'])}: "
            f"[bold]{cell(stats['value'])}%[/bold] over {len(stats['sample'])} results "
            f"(target {cell(stats['target_percent'])}%)."
        )
        if distribution:
            console.print(
                "Distribution: "
                + ", ".join(
                    f"{k} {cell(distribution[k])}"
                    for k in ("count", "min", "q1", "median", "q3", "max", "mean")
                )
            )
            emit(
                [
                    {
                        "fair_percent": f"{cell(b['from'])}-{cell(b['to'])}",
                        "results": b["count"],
                        "bar": "#" * b["count"],
                    }
                    for b in distribution["histogram"]
                ],
                title="Histogram of the sample",
                as_json=False,
                csv_path=None,
                right=("results",),
            )
        console.print(
            "Excluded, never a ground for revision: "
            + ", ".join(f"{n} {reason}" for reason, n in stats["excluded"].items())
            + f". Own record: {stats['record_rule']}."
        )
        emit(
            stats["exclusions"],
            title="Excluded results, each with its reasons",
            as_json=False,
            csv_path=None,
            columns=("date", "shift_id", "worker_id", "fair_percent", "reasons", "message"),
            right=("fair_percent",),
        )
    effect = document["impact"]
    console.print(
        f"\nImpact ({cell(effect['window']['from'])}..{cell(effect['window']['to'])}): "
        f"{cell(effect['share_meeting_percent'])}% of {effect['workers_count']} workers would "
        + (
            f"meet the revised norm; the {effect['experienced_workers']} experienced workers "
            f"average {cell(effect['experienced_average_old'])}% now and "
            f"{cell(effect['experienced_average_new'])}% after."
            if effect["experienced_workers"]
            else "meet the revised norm; no worker has the shifts to count as experienced."
        )
    )
    emit(
        effect["workers"],
        title="Each worker: recent ordinary shifts under the old and the revised norm",
        as_json=False,
        csv_path=None,
        right=IMPACT_NUMBERS,
    )
    for warning in document["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@norms_app.command("revisions")
def revisions_(
    ctx: typer.Context,
    operation: OperationOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """List norm revisions with their status and next step."""
    rows = [r.as_dict() for r in revisions.revisions(app_context(ctx).engine(), operation)]
    emit(
        rows,
        title="Norm revisions",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        right=("current_norm", "proposed_norm", "raise_percent"),
    )


@norms_app.command("show")
def show(
    ctx: typer.Context,
    revision_id: Annotated[int, typer.Argument(help="The revision number.")],
    as_json: JsonOption = False,
) -> None:
    """Show a revision: its evidence, exclusions, impact and every decision on it."""
    found = revisions.revision(app_context(ctx).engine(), revision_id)
    document = found.as_dict(full=True)
    if as_json:
        print(dumps(document))
        return
    _print_proposal(document)
    _print_decisions(document)


def _print_decisions(document: dict[str, Any]) -> None:
    steps = " → ".join(
        s["role"] + (" (opinion)" if s["advisory"] else "") for s in document["steps"]
    )
    console.print(
        f"\nSteps: {steps}. Status: [bold]{document['status']}[/bold]"
        + (f", next: {document['next_step']}" if document["next_step"] else "")
        + (
            f"; takes effect on {cell(document['effective_from'])}"
            if document["effective_from"]
            else ""
        )
    )
    emit(document["decisions"], title="Decisions", as_json=False, csv_path=None)


@norms_app.command("decide")
@writes
def decide(
    ctx: typer.Context,
    revision_id: Annotated[int, typer.Argument(help="The revision number.")],
    step: Annotated[str, typer.Option("--step", help="The approval step (a role of the policy).")],
    decision: Annotated[Verdict, typer.Option("--decision", help="approve, reject or withdraw.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept with the decision.")],
    by: ByOption = None,
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a decision at the next step; the last approval announces the revision."""
    done = revisions.decide(
        app_context(ctx).engine(),
        revision_id,
        step,
        decision,
        by or default_author(),
        reason,
        day_of(on, "--on"),
    )
    row = done.as_dict()
    if as_json:
        print(dumps(row))
        return
    console.print(
        f"revision {revision_id}: {step} {decision.value}s; status {row['status']}"
        + (f", next: {row['next_step']}" if row["next_step"] else "")
        + (
            f"; the new norm takes effect on {cell(row['effective_from'])}"
            if row["effective_from"]
            else ""
        )
    )


@policy_app.callback()
def policy_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the governance policy in force (the defaults until one is set)."""
    if ctx.invoked_subcommand is not None:
        return
    stored = policies.load(app_context(ctx).engine())
    data = {"policy_id": stored.policy_id, "author": stored.author, **policy_dict(stored.policy)}
    if as_json:
        print(dumps(data))
        return
    if stored.document:
        console.print(f"Policy {stored.policy_id} (set by {stored.author}):\n")
        console.print(stored.document, markup=False, highlight=False)
        console.print(
            "What the file leaves out has its default; `stakhanov norms policy --json` shows "
            "every setting in force.",
            markup=False,
        )
    else:
        console.print("No policy set; the defaults apply:")
        console.print(dumps(data), markup=False, highlight=False)


@policy_app.command("set")
@writes
def policy_set(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A policy TOML file.", exists=True, dir_okay=False)],
    reason: Annotated[str | None, typer.Option("--reason", help="Why it changes.")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set the governance policy; it governs every proposal made from now on."""
    stored = policies.write(
        app_context(ctx).engine(),
        file.read_text(encoding="utf-8"),
        by or default_author(),
        reason,
    )
    if as_json:
        print(dumps({"policy_id": stored.policy_id, **policy_dict(stored.policy)}))
        return
    console.print(f"policy {stored.policy_id} in force: steps {stored.policy.roles}")


@norms_app.command("provenance")
def provenance(
    ctx: typer.Context,
    operation: OperationOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """How each norm version was set: method, time-study figures, evidence, approvals."""
    rows = dashboard.provenance(app_context(ctx).engine(), operation)
    emit(rows, title="Norm provenance", as_json=as_json, csv_path=csv, xlsx_path=xlsx)


@norms_app.command("notice")
def notice(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", help="The worker's id.")],
    on: Annotated[
        str | None, typer.Option("--on", help="Norms as of this date (default: today).")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Also write the notice as a PDF.", dir_okay=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The written notice of every norm that applies to a worker, as text (and PDF)."""
    found = notices.notice(app_context(ctx).engine(), worker, day_of(on, "--on"))
    if pdf is not None:
        notices.write_pdf(found, pdf, current())
    if as_json:
        print(dumps(notices.notice_dict(found)))
        return
    for line in notices.notice_lines(found, current()):
        console.print(line, markup=False, highlight=False)
    if pdf is not None:
        console.print(f"[dim]written to {pdf}[/dim]")


def worker_data(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", help="The worker's id.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Last day of the 90 days (default: their latest shift)."),
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """A worker's own output and fulfilment over 90 days, as CSV and JSON."""
    data = notices.worker_data(
        app_context(ctx).engine(), worker, day_of(as_of, "--as-of") if as_of else None
    )
    columns = list(data["shifts"][0]) if data["shifts"] else ["date", "shift_id"]
    write_exports(data["shifts"], columns, csv, xlsx)
    if as_json:
        print(dumps(data))
        return
    console.print(
        f"{data['name']} ({data['worker_id']}), {data['unit']}: "
        f"{cell(data['from'])}..{cell(data['to'])}"
    )
    emit(
        data["shifts"],
        title="Shifts",
        as_json=False,
        csv_path=None,
        columns=(
            "date",
            "shift_id",
            "operation",
            "hours",
            "output",
            "unit",
            "norm_output",
            "percent",
            "fair_percent",
            "conditions",
        ),
        right=listing.NUMBERS,
    )
    emit(
        data["fulfilment"],
        title="Totals",
        as_json=False,
        csv_path=None,
        columns=(
            "operation",
            "shifts",
            "hours",
            "output",
            "unit",
            "norm_output",
            "percent",
            "fair_percent",
        ),
        right=listing.NUMBERS,
    )
    if csv is not None:
        console.print(f"[dim]written to {csv}[/dim]")


def register(app: typer.Typer) -> None:
    app.add_typer(norms_app, name="norms")
    app.command("worker-data")(worker_data)
