"""The `stakhanov` command."""

from __future__ import annotations

from typing import Annotated

import typer

from stakhanov import __version__
from stakhanov.cli import (
    audit,
    backups,
    chain,
    demo,
    equity,
    fair_rate,
    generate,
    governance,
    ledger,
    methods,
    organise,
    pay_exports,
    payroll,
    plans,
    recognition,
    reports,
    scales,
    simulate,
    skills,
    web,
    work_orders,
)
from stakhanov.cli.context import AppContext
from stakhanov.cli.output import fit_width
from stakhanov.cli.refusals import RefusingGroup
from stakhanov.store.db import ENV_URL

app = typer.Typer(
    cls=RefusingGroup,
    name="stakhanov",
    help="Run work by norms with honest accounting: output ledger, fulfilment, audit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        print(f"stakhanov {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar=ENV_URL,
            help="Database URL (default sqlite:///stakhanov.db; "
            "postgresql+psycopg://user@host/db for PostgreSQL).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    fit_width()
    ctx.obj = AppContext(db)


ledger.register(app)
reports.register(app)
audit.register(app)
equity.register(app)
demo.register(app)
generate.register(app)
web.register(app)
scales.register(app)
payroll.register(app)
pay_exports.register(app)
fair_rate.register(app)
governance.register(app)
plans.register(app)
simulate.register(app)
organise.register(app)
recognition.register(app)
backups.register(app)
skills.register(app)
methods.register(app)
chain.register(app)
work_orders.register(app)


def run() -> None:
    app()
