"""`stakhanov serve` and `stakhanov users`: the web application and the people who log in."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from stakhanov.api.hardening import ENV_TRUSTED, trusted_networks
from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import CsvOption, JsonOption, XlsxOption
from stakhanov.cli.output import console, emit, errors
from stakhanov.domain.access import Grant, Role
from stakhanov.domain.errors import InvalidValue
from stakhanov.services import accounts
from stakhanov.services.importing import default_author
from stakhanov.store.db import ENV_URL

users_app = typer.Typer(help="Users who log in to the web application, and their roles.")


class LogLevel(StrEnum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    DEBUG = "debug"


RoleOption = Annotated[Role, typer.Option("--role", help="The role to grant.")]
ScopeOption = Annotated[
    str | None,
    typer.Option("--unit", help="The subtree of units the role applies to (default: all)."),
]


@writes
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            envvar=ENV_TRUSTED,
            help="A proxy (address or network) whose X-Forwarded-For and X-Forwarded-Proto "
            "are believed; repeat for several. Default: none, the peer is the client.",
        ),
    ] = None,
    log_level: Annotated[
        LogLevel, typer.Option("--log-level", help="The least severe message logged.")
    ] = LogLevel.INFO,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log one line per request.")
    ] = True,
    log_file: Annotated[
        Path | None,
        typer.Option("--log-file", help="Also append the log to this file.", dir_okay=False),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, help="Server processes, each with its own connections."
        ),
    ] = 1,
) -> None:
    """Serve the web application and the REST API (OpenAPI at /openapi.json)."""
    import uvicorn

    from stakhanov.web.app import create_app

    try:
        trusted = trusted_networks(trusted_proxy or [])
    except ValueError as err:
        errors.print(f"--trusted-proxy: {err}", style="red", markup=False)
        raise typer.Exit(2) from err
    app = app_context(ctx)
    engine = app.engine()
    if not accounts.accounts(engine):
        errors.print(
            "[yellow]no users yet: create the first admin with "
            "`stakhanov users add NAME --role admin`[/yellow]"
        )
    console.print(f"stakhanov on http://{host}:{port}/ with {app.url} (Ctrl+C stops it)")
    target: Any
    if workers > 1:
        # Each worker process builds its own application from the environment (serving.py).
        os.environ[ENV_URL] = app.url
        os.environ[ENV_TRUSTED] = " ".join(str(n) for n in trusted)
        engine.dispose()
        target = "stakhanov.cli.serving:served_app"
    else:
        target = create_app(engine)
        # The application reads forwarded headers itself, only from the proxies trusted here.
        target.state.trusted_proxies = trusted
    try:
        uvicorn.run(
            target,
            factory=workers > 1,
            workers=workers,
            host=host,
            port=port,
            log_level=log_level.value,
            log_config=log_config(log_file),
            access_log=access_log,
            proxy_headers=False,
        )
    except SystemExit as stop:
        # uvicorn exits this way when it cannot start (the port is taken, say).
        errors.print(f"stakhanov stopped: the server could not start on {host}:{port}")
        raise typer.Exit(1) from stop
    except Exception as err:
        errors.print(f"stakhanov stopped: {type(err).__name__}: {err}", markup=False)
        raise


def log_config(log_file: Path | None) -> dict[str, Any]:
    """uvicorn's loggers with a time stamp on every line, to stderr and optionally a file."""
    stamp = "%(asctime)s %(levelname)s %(name)s: "
    handlers: dict[str, dict[str, Any]] = {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    }
    if log_file is not None:
        handlers["file"] = {
            "class": "logging.FileHandler",
            "formatter": "plain",
            "filename": str(log_file),
            "encoding": "utf-8",
        }
    to = list(handlers)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": stamp + "%(message)s"}},
        "handlers": handlers,
        "loggers": {
            "uvicorn": {"handlers": to, "propagate": False},
            "uvicorn.error": {},
            "uvicorn.access": {"handlers": to, "propagate": False},
            "stakhanov": {"handlers": to, "propagate": False},
        },
    }


def _author() -> str:
    return f"cli:{default_author()}"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    text: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return text


def _fail(err: InvalidValue) -> typer.Exit:
    errors.print(f"{err.field}: {err.reason}", style="red", markup=False)
    return typer.Exit(1)


def _show(account: accounts.Account, as_json: bool) -> None:
    row = _row(account)
    if as_json:
        print(dumps(row))
    else:
        console.print(f"{account.username}: {row['roles'] or 'no roles'}")


def _row(account: accounts.Account) -> dict[str, object]:
    return {
        "user_id": account.user_id,
        "username": account.username,
        "display_name": account.display_name,
        "worker_id": account.worker_id,
        "active": account.active,
        "roles": ";".join(f"{g.role.value}@{g.scope or '*'}" for g in account.grants),
        "created_by": account.created_by,
    }


@users_app.command("add")
@writes
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The login name.")],
    role: RoleOption,
    unit: ScopeOption = None,
    worker: Annotated[
        str | None, typer.Option("--worker", help="The worker this user is (worker role).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The name to show.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create a user with one role (the first admin is made this way)."""
    engine = app_context(ctx).engine()
    try:
        grant = Grant(role, unit)
        account = accounts.add_user(
            engine,
            username,
            _password(password_stdin),
            author=_author(),
            display_name=name,
            worker_id=worker,
            grants=[grant],
        )
    except InvalidValue as err:
        raise _fail(err) from err
    _show(account, as_json)


@users_app.command("grant")
@writes
def grant(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The login name.")],
    role: RoleOption,
    unit: ScopeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Grant a user another role on a subtree of units."""
    engine = app_context(ctx).engine()
    found = _find(engine, username)
    try:
        account = accounts.add_grant(engine, found.user_id, Grant(role, unit), author=_author())
    except InvalidValue as err:
        raise _fail(err) from err
    _show(account, as_json)


@users_app.command("password")
@writes
def password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The login name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a user's password; their open sessions end."""
    engine = app_context(ctx).engine()
    found = _find(engine, username)
    try:
        accounts.change_user(
            engine, found.user_id, author=_author(), password=_password(password_stdin)
        )
    except InvalidValue as err:
        raise _fail(err) from err
    console.print(f"password changed for {found.username}")


@users_app.command("list")
def list_(
    ctx: typer.Context, as_json: JsonOption = False, csv: CsvOption = None, xlsx: XlsxOption = None
) -> None:
    """List users and their roles (role@unit, * for the whole organisation)."""
    rows = [_row(a) for a in accounts.accounts(app_context(ctx).engine())]
    emit(rows, title="Users", as_json=as_json, csv_path=csv, xlsx_path=xlsx)


def _find(engine: Engine, username: str) -> accounts.Account:
    found = accounts.account_named(engine, username)
    if found is None:
        errors.print(f"username: no user {username!r}", style="red", markup=False)
        raise typer.Exit(1)
    return found


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
