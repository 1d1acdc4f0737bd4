"""`stakhanov awards`: awards for titles and records, and the bonuses they make for pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
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
    period_of,
)
from stakhanov.cli.output import console, emit
from stakhanov.domain.titles import AwardKind, AwardTerms
from stakhanov.services import awards as service

awards_app = typer.Typer(
    help="Awards (money or in kind) for titles and records; money awards are paid as bonuses.",
    invoke_without_command=True,
    no_args_is_help=False,
)
NUMBERS = ("amount",)


@awards_app.callback()
def awards(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    worker: Annotated[str | None, typer.Option("--worker", help="Only this worker.")] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Current awards (cancelled ones are left out), by date."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = period_of(period, start, end)
    with app_context(ctx).engine().connect() as connection:
        found = service.current(connection, chosen)
    rows = [service.award_dict(a) for a in found if worker is None or a.worker_id == worker]
    emit(rows, title="Awards", as_json=as_json, csv_path=csv, xlsx_path=xlsx, right=NUMBERS)


@awards_app.command("grant")
@writes
def grant(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", help="Who receives it.")],
    title_id: Annotated[int | None, typer.Option("--title-id", help="The title it is for.")] = None,
    claim: Annotated[
        str | None, typer.Option("--claim", help="The record claim it is for.")
    ] = None,
    money: Annotated[str | None, typer.Option("--money", help="An amount, e.g. 250.00.")] = None,
    currency: Annotated[str, typer.Option("--currency", help="Currency of --money.")] = "RUB",
    in_kind: Annotated[
        str | None, typer.Option("--in-kind", help="What is given, e.g. 'a gramophone'.")
    ] = None,
    code: Annotated[str, typer.Option("--code", help="The award's name on a pay slip.")] = "award",
    date: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Grant an award for a title or a record claim: money (--money) or in kind (--in-kind)."""
    if (money is None) == (in_kind is None):
        raise typer.BadParameter("give --money or --in-kind")
    if money is not None:
        try:
            amount = Decimal(money)
        except InvalidOperation as err:
            raise typer.BadParameter(f"{money!r} is not an amount", param_hint="--money") from err
        if not amount.is_finite() or amount <= 0:
            raise typer.BadParameter("must be more than 0", param_hint="--money")
        terms = AwardTerms(AwardKind.MONEY, amount, currency)
    else:
        terms = AwardTerms(AwardKind.IN_KIND, description=in_kind)
    award = service.grant(
        app_context(ctx).engine(),
        worker_id=worker,
        date=day(date, "--date", dt.date.today()),
        code=code,
        terms=terms,
        by=actor(by),
        title_id=title_id,
        claim_id=claim,
        reason=reason,
    )
    if as_json:
        print(dumps(service.award_dict(award)))
    else:
        console.print(f"award {award.award_id} granted to {worker}: {award.terms}")


@awards_app.command("cancel")
@writes
def cancel(
    ctx: typer.Context,
    award_id: Annotated[int, typer.Argument(help="The award id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is cancelled.")],
    by: ByOption = None,
) -> None:
    """Cancel an award (a reversing entry; the award stays in the history)."""
    award = service.cancel(app_context(ctx).engine(), award_id, reason, actor(by))
    console.print(f"award {award.award_id} cancelled")


@awards_app.command("bonuses")
def bonuses(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """The named bonus lines that pay receives for a period's money awards."""
    chosen = period_of(period, start, end)
    with app_context(ctx).engine().connect() as connection:
        found = service.award_bonuses(connection, chosen)
    rows = [
        {
            "worker_id": b.worker_id,
            "date": b.date,
            "code": b.code,
            "amount": b.amount,
            "currency": b.currency,
            "explain": b.explain,
            "reference": b.reference,
        }
        for b in found
    ]
    emit(
        rows,
        title=f"Award bonuses for {chosen}",
        as_json=as_json,
        csv_path=csv,
        xlsx_path=xlsx,
        right=NUMBERS,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(awards_app, name="awards")
