"""`stakhanov methods`: submit, evaluate, reject and adopt methods; list them and their rewards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

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
    number_of,
    period_of,
)
from stakhanov.cli.output import console, emit
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.methods import MethodState, RewardTerms, Step
from stakhanov.services import methods as service

methods_app = typer.Typer(help="The methods registry: workers' methods, judged and rewarded.")

OnOption = Annotated[str | None, typer.Option("--on", help="The day (default today).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why.")]


@methods_app.command("submit")
@writes
def submit(
    ctx: typer.Context,
    operation: Annotated[str, typer.Option("--operation", help="The operation it changes.")],
    title: Annotated[str, typer.Option("--title", help="The method's name.")],
    change: Annotated[str, typer.Option("--change", help="What changes in the operation.")],
    evidence: Annotated[str, typer.Option("--evidence", help="What shows it works.")] = "",
    time_study: Annotated[
        str | None, typer.Option("--time-study", help="The time study's figures, in words.")
    ] = None,
    author: Annotated[
        list[str] | None, typer.Option("--author", help="An author's worker id (repeatable).")
    ] = None,
    brigade: Annotated[
        str | None,
        typer.Option("--brigade", help="A brigade's method: its workers are the authors."),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a method a worker or a brigade brings in."""
    made = service.submit(
        app_context(ctx).engine(),
        service.Submission(
            operation,
            title,
            change,
            evidence,
            time_study,
            tuple(a.strip() for a in author or []),
            brigade,
            day(on, "--on", dt.date.today()),
            actor(by),
        ),
    )
    if as_json:
        print(dumps(service.method_dict(made, full=True)))
    else:
        console.print(
            f"method {made.method_id}: {made.title} ({made.operation}) by "
            f"{', '.join(made.authors)}, submitted"
        )


def _step(
    ctx: typer.Context,
    method_id: int,
    state: MethodState,
    reason: str,
    on: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    moved = service.move(
        app_context(ctx).engine(),
        method_id,
        Step(state, actor(by), reason, day(on, "--on", dt.date.today())),
    )
    if as_json:
        print(dumps(service.method_dict(moved, full=True)))
    else:
        console.print(f"method {method_id}: {moved.state.value}")


def _stepper(state: MethodState, doc: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        method_id: Annotated[int, typer.Argument(help="The method.")],
        reason: ReasonOption,
        on: OnOption = None,
        by: ByOption = None,
        as_json: JsonOption = False,
    ) -> None:
        _step(ctx, method_id, state, reason, on, by, as_json)

    command.__doc__ = doc
    return writes(command)


methods_app.command("evaluate")(
    _stepper(MethodState.UNDER_EVALUATION, "Put a submitted method under evaluation.")
)
methods_app.command("reject")(
    _stepper(MethodState.REJECTED, "Reject a method under evaluation, saying why.")
)


@methods_app.command("adopt")
@writes
def adopt(
    ctx: typer.Context,
    method_id: Annotated[int, typer.Argument(help="The method.")],
    norm: Annotated[str, typer.Option("--norm", help="The revised norm the method supports.")],
    reason: ReasonOption,
    share: Annotated[
        str, typer.Option("--share", help="The authors' share of the savings (0.2 = 20%).")
    ],
    tariff: Annotated[
        str, typer.Option("--tariff", help="Money per standard hour that values an hour saved.")
    ],
    months: Annotated[
        int, typer.Option("--months", min=1, help="Months of savings shared, from the new norm.")
    ] = 6,
    currency: Annotated[str, typer.Option("--currency", help="The reward's currency.")] = "RUB",
    on: OnOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Adopt a method under evaluation: it becomes the technical basis of a norm revision, and
    its authors share the savings once the revised norm is in effect."""
    try:
        terms = RewardTerms(
            number_of(share, "--share") or Decimal(0),
            number_of(tariff, "--tariff") or Decimal(0),
            currency,
            months,
        )
    except InvalidValue as err:
        raise typer.BadParameter(
            f"{err.value!r} {err.reason}", param_hint=f"--{err.field}"
        ) from err
    revised = number_of(norm, "--norm")
    assert revised is not None
    engine = app_context(ctx).engine()
    made, document = service.adopt(
        engine,
        method_id,
        revised,
        Step(MethodState.ADOPTED, actor(by), reason, day(on, "--on", dt.date.today())),
        terms,
    )
    if as_json:
        adoption = service.adoptions(engine).get(method_id)
        print(dumps({**service.method_dict(made, adoption, full=True), "revision": document}))
        return
    console.print(
        f"method {method_id}: adopted; revision {document['revision_id']} proposes "
        f"{document['proposed']['norm']} for {made.operation} "
        f"(stakhanov norms decide {document['revision_id']} ...)"
    )
    for warning in document["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@methods_app.command("list")
def list_methods(
    ctx: typer.Context,
    state: Annotated[
        str | None,
        typer.Option("--state", help="submitted, under evaluation, adopted or rejected."),
    ] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Methods with their state, authors and the revision they are the basis of."""
    try:
        wanted = MethodState(state) if state else None
    except ValueError as err:
        raise typer.BadParameter(f"{state!r} is not a state", param_hint="--state") from err
    engine = app_context(ctx).engine()
    adopted = service.adoptions(engine)
    rows = [
        service.method_dict(m, adopted.get(m.method_id), full=as_json)
        for m in service.methods(engine, wanted)
    ]
    if not as_json:
        rows = [{**r, "authors": ";".join(r["authors"])} for r in rows]
    emit(rows, title="Methods", as_json=as_json, csv_path=csv, xlsx_path=xlsx)


@methods_app.command("rewards")
def rewards(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """The method rewards a close of the period pays, each with how it was computed."""
    chosen = period_of(period, start, end)
    found = service.rewards(app_context(ctx).engine(), chosen)
    emit(
        [service.bonus_dict(b) for b in found],
        title=f"Method rewards paid for {chosen}",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        right=("amount",),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(methods_app, name="methods")
