"""The root command loads each command's module on demand, and lists every command."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import typer
from typer.testing import CliRunner

import stakhanov.cli
from stakhanov.cli.lazy import COMMANDS, registered
from stakhanov.cli.main import app


def commands_registered_by_every_module() -> dict[str, set[str]]:
    """Each top-level command, with the cli modules whose `register` (or import) adds to it."""
    found: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(stakhanov.cli.__path__):
        module = importlib.import_module(f"stakhanov.cli.{info.name}")
        if info.name == "main" or not hasattr(module, "register"):
            continue
        part = typer.Typer()
        module.register(part)
        if part.registered_commands or part.registered_groups:
            for name in typer.main.get_group(part).commands:
                found.setdefault(name, set()).add(info.name)
    return found


def test_the_map_names_every_command_and_modules_that_register_it() -> None:
    assert set(COMMANDS) == set(commands_registered_by_every_module())
    for name, modules in COMMANDS.items():
        assert name in registered(modules).commands, name


def test_help_lists_every_command_and_an_unknown_one_is_refused() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert all(f" {name} " in shown.stdout for name in COMMANDS)
    unknown = runner.invoke(app, ["fulfillment"])
    assert unknown.exit_code == 2 and "No such command" in unknown.stderr
    exported = runner.invoke(app, ["payroll", "--help"], env={"COLUMNS": "200"})
    assert " export " in exported.stdout  # registered by another module on payroll's group


def test_a_command_imports_only_what_it_needs() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from stakhanov.cli.main import app;"
        "CliRunner().invoke(app, ['--version']);"
        "print(sorted(m for m in ('fastapi', 'duckdb', 'openpyxl') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
