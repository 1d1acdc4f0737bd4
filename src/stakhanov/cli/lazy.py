"""The root command loads a command's module only when that command runs.

Importing every command's module (the web server, the engine, the demo, the workbook writer)
cost about two seconds before any command began; a script calling `stakhanov fulfilment` in a
loop paid it each time. `COMMANDS` names the module(s) that register each top-level command;
tests/unit/test_cli_lazy.py keeps it equal to what the modules register.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from stakhanov.cli.refusals import RefusingGroup

COMMANDS: dict[str, tuple[str, ...]] = {
    "init": ("ledger",),
    "import": ("ledger",),
    "void": ("ledger",),
    "rebuild-read-model": ("ledger",),
    "workers": ("reports",),
    "fulfilment": ("reports",),
    "history": ("reports",),
    "audit": ("audit",),
    "equity": ("equity",),
    "demo": ("demo",),
    "generate": ("generate",),
    "serve": ("web",),
    "users": ("web",),
    "scales": ("scales",),
    "payroll": ("payroll", "pay_exports"),  # the export command joins payroll's group
    "fair-rate": ("fair_rate",),
    "worker-data": ("governance",),
    "norms": ("governance",),
    "plan": ("plans",),
    "simulate": ("simulate",),
    "plan-crew": ("organise",),
    "balance-line": ("organise",),
    "incidents": ("recognition",),
    "records": ("recognition",),
    "titles": ("recognition",),
    "rulebook": ("recognition",),
    "awards": ("recognition",),
    "mentoring": ("recognition",),
    "competition": ("recognition",),
    "honour": ("recognition",),
    "backup": ("backups",),
    "restore": ("backups",),
    "skills": ("skills",),
    "courses": ("skills",),
    "methods": ("methods",),
    "verify-ledger": ("chain",),
    "work-orders": ("work_orders",),
    "tickets": ("tickets",),
}
_loaded: dict[tuple[str, ...], TyperGroup] = {}


def registered(modules: tuple[str, ...]) -> TyperGroup:
    """The commands these modules register, as one group (built once per process: a module's
    `register` adds to Typer apps of its own, which must not gain a command twice)."""
    if modules not in _loaded:
        part = typer.Typer(rich_markup_mode="rich", pretty_exceptions_enable=False)
        for name in modules:
            importlib.import_module(f"stakhanov.cli.{name}").register(part)
        _loaded[modules] = typer.main.get_group(part)
    return _loaded[modules]


class LazyGroup(RefusingGroup):
    """The root group: every command listed, each module imported when its command is asked
    for (running it, or `--help`, which lists every command with its summary)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            command = registered(COMMANDS[cmd_name]).commands.get(cmd_name)
            if command is not None:
                self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)
